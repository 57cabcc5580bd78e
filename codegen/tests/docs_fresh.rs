//! `docs/connectors/<connector>.md` is generated from `connectors/<connector>.yaml`; this test
//! fails when they disagree. `UPDATE_DOCS=1 cargo test -p toolwire-codegen` rewrites them.

use std::path::Path;

use toolwire_codegen::Generator;

#[test]
fn connector_docs_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let update = std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(root.join("connectors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for spec in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let stem = spec.file_stem().unwrap().to_string_lossy();
        let doc = root.join("docs/connectors").join(format!("{stem}.md"));
        let fresh = Generator::from_file(spec).unwrap().docs_markdown();
        if std::fs::read_to_string(&doc).ok().as_deref() == Some(fresh.as_str()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(doc.parent().unwrap()).unwrap();
            std::fs::write(&doc, fresh).unwrap();
        } else {
            stale.push(format!(
                "docs/connectors/{stem}.md is stale: run `cargo run --bin toolwire -- spec docs connectors/{stem}.yaml > docs/connectors/{stem}.md` (or `UPDATE_DOCS=1 cargo test -p toolwire-codegen --test docs_fresh`)"
            ));
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}
