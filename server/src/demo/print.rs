//! How the demo talks: section headers, steps, masked secrets, short previews of text.

/// A section header.
pub fn header(text: &str) {
    println!("\n== {text}");
}

/// One step of the story.
pub fn step(text: &str) {
    println!("\n-> {text}");
}

/// A detail line under a step.
pub fn detail(text: &str) {
    println!("     {text}");
}

/// A secret shown only by its first 4 characters.
pub fn mask(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}…")
}

/// The first `max` characters of `text` on one line.
pub fn preview(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}…", one_line.chars().take(max).collect::<String>())
    }
}
