//! The entry points other front doors call: the build-script helper, schema format names,
//! and spec errors surfacing as located diagnostics.

use std::path::Path;

use toolwire_codegen::{CodegenError, Generator, SchemaFormat, build};

fn zendesk() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../connectors/zendesk.yaml")
}

#[test]
fn build_generate_writes_formatted_rust_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen/zendesk.rs");
    let written = build::generate(zendesk(), &out).unwrap();
    assert_eq!(written, out);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("pub mod zendesk {"), "{}", &text[..80]);
    assert!(
        text.contains("include_str!(") && text.contains("connectors/zendesk.yaml\""),
        "the spec is embedded by path"
    );
    syn::parse_file(&text).unwrap();

    // Unchanged output is not rewritten, so cargo does not rebuild for nothing.
    let before = std::fs::metadata(&out).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    build::generate(zendesk(), &out).unwrap();
    assert_eq!(std::fs::metadata(&out).unwrap().modified().unwrap(), before);
}

#[test]
fn output_is_deterministic() {
    let a = Generator::from_file(zendesk()).unwrap();
    let b = Generator::from_file(zendesk()).unwrap();
    assert_eq!(a.rust_source().unwrap(), b.rust_source().unwrap());
    assert_eq!(a.docs_markdown(), b.docs_markdown());
    for f in SchemaFormat::ALL {
        assert_eq!(a.tool_schemas(f), b.tool_schemas(f));
    }
}

#[test]
fn a_loaded_spec_gives_the_same_schemas_and_docs_as_its_file() {
    let file = Generator::from_file(zendesk()).unwrap();
    let loaded = Generator::from_spec(toolwire_spec::load_file(zendesk()).unwrap());
    assert_eq!(loaded.docs_markdown(), file.docs_markdown());
    for f in SchemaFormat::ALL {
        assert_eq!(loaded.tool_schemas(f), file.tool_schemas(f), "{f}");
    }
    // Without its text, generated Rust refuses to compile (and says why) until the file is named.
    let rust = loaded.rust_source().unwrap();
    assert!(rust.contains("compile_error!") && rust.contains("with_include_path"));
    let named = loaded.with_include_path(zendesk()).rust_source().unwrap();
    assert_eq!(named, file.rust_source().unwrap());
}

#[test]
fn every_format_lists_every_tool() {
    let g = Generator::from_file(zendesk()).unwrap();
    for f in SchemaFormat::ALL {
        let tools = g.tool_schemas(f);
        assert_eq!(tools.as_array().unwrap().len(), 14, "{f}");
    }
    let openai = g.tool_schemas(SchemaFormat::OpenAi);
    let params = &openai[0]["function"]["parameters"];
    let props: Vec<_> = params["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let required: Vec<_> = params["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        props, required,
        "strict mode lists every property as required"
    );
}

#[test]
fn format_names_parse() {
    assert_eq!("mcp".parse::<SchemaFormat>().unwrap(), SchemaFormat::Mcp);
    assert_eq!(
        "OpenAI".parse::<SchemaFormat>().unwrap(),
        SchemaFormat::OpenAi
    );
    assert_eq!(
        "anthropic".parse::<SchemaFormat>().unwrap(),
        SchemaFormat::Anthropic
    );
    let err = "langchain".parse::<SchemaFormat>().unwrap_err();
    assert_eq!(err.code(), "CODEGEN_UNKNOWN_FORMAT");
}

#[test]
fn spec_errors_are_located() {
    let text = std::fs::read_to_string(zendesk())
        .unwrap()
        .replace("{{input.comment_body}}", "{{input.coment_body}}");
    let err = Generator::from_source("zendesk.yaml", &text).unwrap_err();
    assert_eq!(err.code(), "SPEC_INVALID");
    let CodegenError::Spec(spec) = &err else {
        panic!("{err:?}")
    };
    let d = spec.diagnostics().unwrap().iter().next().unwrap();
    assert_eq!(d.file, "zendesk.yaml");
    assert!(d.line > 1 && d.message.contains("input.coment_body"), "{d}");
}
