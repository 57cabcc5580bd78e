//! Snapshots of everything generated, for every spec in `connectors/` and `tests/specs/`: a
//! spec or generator change shows up as a reviewable diff of the `.snap` files.

use std::path::{Path, PathBuf};

use toolwire_codegen::{Generator, SchemaFormat};

fn specs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs = Vec::new();
    for dir in ["connectors", "tests/specs"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                specs.push(path);
            }
        }
    }
    specs.sort();
    assert!(
        specs.len() >= 2,
        "expected connectors/*.yaml and tests/specs/*.yaml"
    );
    specs
}

/// `connectors/zendesk.yaml` → (`zendesk`, a generator whose Rust includes the spec by that
/// relative path, so snapshots do not depend on where the repository is checked out).
fn load(path: &Path) -> (String, Generator) {
    let dir = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    let relative = if dir == "connectors" {
        format!("connectors/{file}")
    } else {
        format!("tests/specs/{file}")
    };
    let generator = Generator::from_file(path)
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
        .with_include_path(&relative);
    (
        path.file_stem().unwrap().to_string_lossy().to_string(),
        generator,
    )
}

#[test]
fn rust() {
    for path in specs() {
        let (name, generator) = load(&path);
        insta::assert_snapshot!(format!("{name}.rs"), generator.rust_source().unwrap());
    }
}

#[test]
fn tool_schemas() {
    for path in specs() {
        let (name, generator) = load(&path);
        for format in SchemaFormat::ALL {
            let json = serde_json::to_string_pretty(&generator.tool_schemas(format)).unwrap();
            insta::assert_snapshot!(format!("{name}.{format}.json"), json);
        }
    }
}

#[test]
fn docs() {
    for path in specs() {
        let (name, generator) = load(&path);
        insta::assert_snapshot!(format!("{name}.md"), generator.docs_markdown());
    }
}
