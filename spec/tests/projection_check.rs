//! `spec check` on output projections: every pointer and field a projection names must exist
//! in the tool's output schema; each problem is located (`file:line:column`) with a fix, all
//! reported at once.

const SPEC: &str = r##"spec_version: 1
connector: acme
title: Acme
base_url: "https://api.acme.test/v1"
auth:
  token:
    type: bearer
    title: Token
    fields:
      token: {title: Token, secret: true}
    token: "{{credentials.token}}"
verify: {method: GET, path: /me, expect: [{pointer: /id, not_null: true}]}
models:
  Item:
    type: object
    required: [id]
    properties:
      id: {type: integer, description: Id.}
      url: {type: string, description: API URL.}
      title: {type: string, description: Title.}
      owner_id: {type: [integer, "null"], description: Owner.}
  Person:
    type: object
    properties:
      id: {type: integer, description: Id.}
      name: {type: string, description: Name.}
tools:
  - name: acme_items_list
    title: List items
    description: List the items of the account, newest first.
    annotations: {read_only: true, destructive: false, idempotent: true, open_world: true}
    input: {type: object, additionalProperties: false, properties: {}}
    request: {method: GET, path: /items}
    response:
      select: {items: /items, people: /people}
      output:
        type: object
        properties:
          items: {type: array, items: {$ref: "#/models/Item"}}
          people: {type: array, items: {$ref: "#/models/Person"}}
      project:
        records:
          - at: /items
            keep: [id, titel]
            rename: {link: uri}
            resolve:
              owner: {id: owner_id, from: /persons}
              author: {id: author_id, from: /people, name: full_name}
          - at: /nothing
        drop: [sideloads]
"##;

fn problems(text: &str) -> Vec<String> {
    let err = toolwire_spec::load_str("acme.yaml", text).unwrap_err();
    err.diagnostics()
        .expect("located problems")
        .iter()
        .map(|d| {
            assert!(d.hint.as_deref().is_some_and(|h| !h.is_empty()), "{d}");
            d.to_string()
        })
        .collect()
}

#[test]
fn every_unknown_field_and_pointer_of_a_projection_is_located() {
    let found = problems(SPEC);
    let expect = [
        "acme.yaml:44:24: `titel` is not a field of the record at `/items`",
        "acme.yaml:45:28: `uri` is not a field of the record at `/items`",
        "acme.yaml:47:43: `/persons` does not reach an array of records in the output",
        "acme.yaml:48:28: `author_id` is not a field of the record at `/items`",
        "acme.yaml:48:60: the records at `/people` have no `full_name` field",
        "acme.yaml:49:17: `/nothing` does not reach a record in the output",
        "acme.yaml:50:16: `sideloads` is not a top-level field of the output",
    ];
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    for e in expect {
        assert!(
            found.iter().any(|f| f.starts_with(e)),
            "missing {e}: {found:#?}"
        );
    }
}

#[test]
fn a_good_projection_passes_and_a_projection_needs_an_output() {
    let good = SPEC
        .replace("keep: [id, titel]", "keep: [id, title]")
        .replace("rename: {link: uri}", "rename: {link: url}")
        .replace("from: /persons", "from: /people")
        .replace(
            "author: {id: author_id, from: /people, name: full_name}",
            "author: {id: owner_id, from: /people, name: name}",
        )
        .replace("          - at: /nothing\n", "")
        .replace("drop: [sideloads]", "drop: [people]");
    let spec = toolwire_spec::load_str("acme.yaml", &good).unwrap();
    assert!(spec.tools[0].response.project.is_some());

    let start = good.find("      output:").unwrap();
    let end = good.find("      project:").unwrap();
    let without_output = format!("{}{}", &good[..start], &good[end..]);
    let found = problems(&without_output);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("a projection needs the full output schema"),
        "{found:#?}"
    );
}

#[test]
fn one_model_name_cannot_name_two_shapes_or_a_declared_model() {
    let good = SPEC
        .replace("keep: [id, titel]", "keep: [id, title]\n            model: ItemBrief")
        .replace("            rename: {link: uri}\n", "")
        .replace("              owner: {id: owner_id, from: /persons}\n", "")
        .replace("            resolve:\n              author: {id: author_id, from: /people, name: full_name}\n", "")
        .replace("          - at: /nothing\n", "")
        .replace("drop: [sideloads]", "drop: [people]");
    toolwire_spec::load_str("acme.yaml", &good).unwrap();
    let clash = good.replace("model: ItemBrief", "model: Person");
    let found = problems(&clash);
    assert!(
        found[0].contains("`Person` is already a model"),
        "{found:#?}"
    );

    let tool = &good[good.find("  - name: acme_items_list").unwrap()..];
    let second = tool
        .replace("acme_items_list", "acme_items_search")
        .replace("keep: [id, title]", "keep: [id]");
    let found = problems(&format!("{good}{second}"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("`ItemBrief` is projected to another shape by tool `acme_items_list`"),
        "{found:#?}"
    );
}
