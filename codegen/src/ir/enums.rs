//! Naming closed string sets. A set is named after its field (`priority` → `Priority`) when
//! every field of that name carries the same values, so one `Priority` serves every tool and
//! model; when they differ, each is named after its owner too (`TicketsListSortBy`,
//! `SearchTicketsSortBy`), so no name depends on which tool came first.

use super::EnumDef;
use super::names::{claim, variant_name};

/// One occurrence of a closed string set, before naming.
#[derive(Debug, Clone)]
pub struct EnumSlot {
    /// The field-only name (`Priority`).
    pub short: String,
    /// The owner-qualified name (`TicketCreatePriority`).
    pub qualified: String,
    /// The JSON field name, for docs.
    pub field: String,
    /// The wire values, in spec order.
    pub values: Vec<String>,
}

/// Names every slot; returns the enums and, per slot, the index of its enum.
/// `taken` holds the struct names already in use.
pub fn resolve(slots: &[EnumSlot], taken: &mut Vec<String>) -> (Vec<EnumDef>, Vec<usize>) {
    let structs = taken.clone();
    let mut enums: Vec<EnumDef> = Vec::new();
    let mut values_of: Vec<&[String]> = Vec::new();
    let mut index = Vec::with_capacity(slots.len());
    for slot in slots {
        let shared = slots
            .iter()
            .filter(|s| s.short == slot.short)
            .all(|s| s.values == slot.values);
        let wanted = if shared && !structs.contains(&slot.short) {
            &slot.short
        } else {
            &slot.qualified
        };
        let existing = enums.iter().position(|e| &e.name == wanted);
        match existing {
            Some(i) if values_of[i] == slot.values.as_slice() => index.push(i),
            _ => {
                let name = claim(taken, wanted.clone());
                index.push(enums.len());
                values_of.push(&slot.values);
                enums.push(EnumDef {
                    docs: vec![format!("Values of `{}`.", slot.field)],
                    variants: variants(&slot.values),
                    name,
                });
            }
        }
    }
    (enums, index)
}

fn variants(values: &[String]) -> Vec<(String, String)> {
    let mut taken = Vec::new();
    values
        .iter()
        .map(|v| (claim(&mut taken, variant_name(v)), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(short: &str, owner: &str, values: &[&str]) -> EnumSlot {
        EnumSlot {
            short: short.into(),
            qualified: format!("{owner}{short}"),
            field: short.to_lowercase(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn same_values_share_the_short_name() {
        let slots = [
            slot("Priority", "A", &["low", "high"]),
            slot("Priority", "B", &["low", "high"]),
        ];
        let (enums, index) = resolve(&slots, &mut Vec::new());
        assert_eq!(enums.len(), 1);
        assert_eq!(enums[0].name, "Priority");
        assert_eq!(index, [0, 0]);
    }

    #[test]
    fn different_values_are_all_qualified() {
        let slots = [slot("SortBy", "A", &["x"]), slot("SortBy", "B", &["y"])];
        let (enums, _) = resolve(&slots, &mut Vec::new());
        let names: Vec<_> = enums.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["ASortBy", "BSortBy"]);
    }

    #[test]
    fn a_struct_name_is_never_reused() {
        let mut taken = vec!["Status".to_string()];
        let (enums, _) = resolve(&[slot("Status", "Ticket", &["open"])], &mut taken);
        assert_eq!(enums[0].name, "TicketStatus");
    }

    #[test]
    fn colliding_variants_stay_distinct() {
        let (enums, _) = resolve(
            &[slot("Sort", "A", &["name", "-name", "Name"])],
            &mut Vec::new(),
        );
        let idents: Vec<_> = enums[0].variants.iter().map(|v| v.0.as_str()).collect();
        assert_eq!(idents, ["Name", "MinusName", "Name2"]);
    }
}
