// A template naming an input that does not exist fails to compile, pointing at the spec.
toolwire::connector!("tiny_undeclared_var.yaml");

fn main() {}
