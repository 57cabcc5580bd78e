// A spec with a key the format does not know fails to compile, pointing at the spec.
toolwire::connector!("tiny_unknown_key.yaml");

fn main() {}
