//! Applying a projection to a selected output, once per call, so it is kept cheap: each
//! `from`/`name` sideload is read once per record projection, ids are compared as typed keys
//! (no JSON text), short sideloads are scanned and long ones sorted (no hashing), and kept fields
//! are moved out of the record with their keys. The result is the same as the straightforward
//! reading of the model: resolve from the record as it came, then keep, rename, resolve, drop.

use serde_json::{Map, Value};

use super::{Projection, RecordProjection, Resolve};

impl Projection {
    /// Reshapes a selected output in place. Never fails: a missing record or field is left out.
    pub fn apply(&self, output: &mut Value) {
        for record in &self.records {
            let names = resolve_names(output, record);
            let n = record.resolve.len().max(1);
            match output.pointer_mut(&record.at) {
                Some(Value::Array(items)) => {
                    let shared = record.shared_sources();
                    let mut names = names.chunks(n);
                    for item in items {
                        let names = names.next().unwrap_or_default();
                        if let Value::Object(map) = item {
                            record.reshape(map, names, &shared);
                        }
                    }
                }
                Some(Value::Object(map)) => record.reshape(map, &names, &record.shared_sources()),
                _ => {}
            }
        }
        if let Value::Object(map) = output {
            for key in &self.drop {
                map.shift_remove(key);
            }
        }
    }
}

impl RecordProjection {
    /// For each `keep` field then each `rename` source: whether another entry names the same
    /// field (then the first one takes the value and the others see `null`, as a field taken
    /// from the record leaves `null` behind).
    fn shared_sources(&self) -> Vec<bool> {
        let sources: Vec<&str> = self
            .keep
            .iter()
            .chain(self.rename.values())
            .map(String::as_str)
            .collect();
        sources
            .iter()
            .enumerate()
            .map(|(i, s)| sources.iter().enumerate().any(|(j, t)| i != j && s == t))
            .collect()
    }

    /// Replaces `record` by its projection; `names`: the resolved value (name, or the id) per
    /// `resolve` entry, `None` where the record has no such id field.
    fn reshape(&self, record: &mut Map<String, Value>, names: &[Option<Value>], shared: &[bool]) {
        let mut out = Map::with_capacity(self.keep.len() + self.rename.len() + self.resolve.len());
        for (f, &shared) in self.keep.iter().zip(shared) {
            if shared {
                if let Some(v) = record.get_mut(f) {
                    out.insert(f.clone(), v.take());
                }
            } else if let Some((key, v)) = record.swap_remove_entry(f) {
                out.insert(key, v);
            }
        }
        for ((new, old), &shared) in self.rename.iter().zip(&shared[self.keep.len()..]) {
            let v = if shared {
                record.get_mut(old).map(Value::take)
            } else {
                record.swap_remove(old)
            };
            if let Some(v) = v {
                out.insert(new.clone(), v);
            }
        }
        for (new, name) in self.resolve.keys().zip(names) {
            if let Some(name) = name {
                out.insert(new.clone(), name.clone());
            }
        }
        *record = out;
    }
}

/// The resolved value of every `resolve` entry for every record at `record.at` (records in
/// order, then entries in order): the sideloaded name, the id when none matches, `None` when
/// the record has no id field. Empty when the projection resolves nothing.
fn resolve_names(output: &Value, record: &RecordProjection) -> Vec<Option<Value>> {
    if record.resolve.is_empty() {
        return Vec::new();
    }
    let targets = match output.pointer(&record.at) {
        Some(Value::Array(items)) => items.as_slice(),
        Some(item @ Value::Object(_)) => std::slice::from_ref(item),
        _ => return Vec::new(),
    };
    // One lookup per distinct (from, name), e.g. requester and assignee both from /users.
    let mut lookups: Vec<(&Resolve, Lookup)> = Vec::with_capacity(record.resolve.len());
    let mut which = Vec::with_capacity(record.resolve.len());
    for r in record.resolve.values() {
        let i = match lookups
            .iter()
            .position(|(o, _)| o.from == r.from && o.name == r.name)
        {
            Some(i) => i,
            None => {
                lookups.push((r, Lookup::new(output, r, targets.len())));
                lookups.len() - 1
            }
        };
        which.push(i);
    }
    let mut out = Vec::with_capacity(targets.len() * record.resolve.len());
    for target in targets {
        let map = target.as_object();
        for (r, &i) in record.resolve.values().zip(&which) {
            out.push(
                map.and_then(|m| m.get(&r.id))
                    .map(|id| lookups[i].1.name(id).unwrap_or(id).clone()),
            );
        }
    }
    out
}

/// The named sideloaded records of one `from` array: (id, name) in array order, those without
/// an id or with a missing or null name left out; sorted by id when it is searched often.
struct Lookup<'v> {
    entries: Vec<(Key<'v>, &'v Value)>,
    sorted: bool,
}

impl<'v> Lookup<'v> {
    fn new(output: &'v Value, r: &Resolve, searches: usize) -> Self {
        let mut entries: Vec<(Key<'v>, &'v Value)> = output
            .pointer(&r.from)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| {
                let s = s.as_object()?;
                let id = field(s, "id")?;
                let name = field(s, &r.name).filter(|n| !n.is_null())?;
                Some((Key::of(id), name))
            })
            .collect();
        // A scan costs a comparison per entry and search; sorting pays off for many of both.
        let sorted = searches > 4 && entries.len() > 16;
        if sorted {
            // Stable: records with the same id stay in array order (the last one wins).
            entries.sort_by(|a, b| a.0.cmp(&b.0));
        }
        Lookup { entries, sorted }
    }

    /// The name of the last sideloaded record with this id.
    fn name(&self, id: &Value) -> Option<&'v Value> {
        let key = Key::of(id);
        if self.sorted {
            let end = self.entries.partition_point(|e| e.0 <= key);
            let (k, name) = self.entries.get(end.checked_sub(1)?)?;
            (*k == key).then_some(*name)
        } else {
            self.entries
                .iter()
                .rev()
                .find(|(k, _)| *k == key)
                .map(|(_, name)| *name)
        }
    }
}

/// A record's field, looked for among the first few (ids and names usually come first) before
/// hashing the key.
fn field<'m>(map: &'m Map<String, Value>, key: &str) -> Option<&'m Value> {
    map.iter()
        .take(4)
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
        .or_else(|| map.get(key))
}

/// An id as a comparable key: two ids are the same exactly when their JSON texts are (`7` and
/// `"7"` and `7.0` differ; a float by its bits, so `-0.0` is not `0.0`).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key<'v> {
    Null,
    Bool(bool),
    Unsigned(u64),
    Negative(i64),
    Float(u64),
    Str(&'v str),
    /// Arrays and objects, by their JSON text.
    Text(String),
}

impl<'v> Key<'v> {
    fn of(id: &'v Value) -> Self {
        match id {
            Value::Null => Key::Null,
            Value::Bool(b) => Key::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Key::Unsigned(u),
                (None, Some(i), _) => Key::Negative(i),
                (None, None, f) => Key::Float(f.unwrap_or_default().to_bits()),
            },
            Value::String(s) => Key::Str(s),
            other => Key::Text(other.to_string()),
        }
    }
}
