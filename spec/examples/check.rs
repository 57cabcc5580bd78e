//! `cargo run -p toolwire-spec --example check -- FILE...`: loads each spec and prints problems.
fn main() {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        match toolwire_spec::load_file(&path) {
            Ok(spec) => println!("{path}: ok ({} tools)", spec.tools.len()),
            Err(e) => {
                failed = true;
                eprintln!("{e}");
            }
        }
    }
    std::process::exit(i32::from(failed));
}
