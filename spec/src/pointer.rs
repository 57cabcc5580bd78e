//! JSON pointers (RFC 6901): building them and escaping their segments.

/// Appends one reference token to a pointer, escaping `~` and `/`.
pub fn push(pointer: &str, segment: &str) -> String {
    let escaped = segment.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// Appends an array index to a pointer.
pub fn push_index(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

/// Removes the node at `pointer` from `value` (an object key or an array element), returning
/// it; `None` when there is no such node. The empty pointer (the whole document) is never
/// removed.
pub fn remove(value: &mut serde_json::Value, pointer: &str) -> Option<serde_json::Value> {
    let (parent, last) = pointer.rsplit_once('/')?;
    let last = unescape(last);
    match value.pointer_mut(parent)? {
        serde_json::Value::Object(map) => map.shift_remove(&last),
        serde_json::Value::Array(items) => {
            let index = last.parse::<usize>().ok().filter(|i| *i < items.len())?;
            Some(items.remove(index))
        }
        _ => None,
    }
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn remove_takes_out_keys_and_elements_and_nothing_else() {
        let mut v = json!({"a": {"b/c": 1, "d": [1, 2, 3]}, "e": 2});
        assert_eq!(super::remove(&mut v, "/a/b~1c"), Some(json!(1)));
        assert_eq!(super::remove(&mut v, "/a/d/1"), Some(json!(2)));
        assert_eq!(super::remove(&mut v, "/a/d/7"), None);
        assert_eq!(super::remove(&mut v, "/x/y"), None);
        assert_eq!(super::remove(&mut v, ""), None);
        assert_eq!(v, json!({"a": {"d": [1, 3]}, "e": 2}));
    }
}
