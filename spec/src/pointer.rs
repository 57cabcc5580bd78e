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
