//! The `connector!` macro end to end: the generated Zendesk and Acme CRM types serialize to the
//! JSON the engine takes, decode what the API returns, and carry the tool's identity and spec.

use serde_json::json;
use toolwire::Tool;

toolwire::connector!("connectors/zendesk.yaml");
toolwire::connector!("tests/specs/acme_crm.yaml");

#[test]
fn typed_input_serializes_to_the_dynamic_json() {
    let input = zendesk::TicketCreate {
        comment_body: "The printer is on fire".into(),
        priority: Some(zendesk::Priority::Urgent),
        requester: Some(zendesk::TicketCreateRequester {
            email: "ana@example.com".into(),
            name: None,
        }),
        tags: Some(vec!["printer".into()]),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({
            "comment_body": "The printer is on fire",
            "priority": "urgent",
            "tags": ["printer"],
            "requester": {"email": "ana@example.com"}
        })
    );
}

#[test]
fn enums_use_the_spec_strings() {
    assert_eq!(
        serde_json::to_value(zendesk::Role::EndUser).unwrap(),
        json!("end-user")
    );
    assert_eq!(zendesk::Sort::MinusCreatedAt.as_str(), "-created_at");
    let role: zendesk::Role = serde_json::from_value(json!("agent")).unwrap();
    assert_eq!(role, zendesk::Role::Agent);
}

#[test]
fn inputs_reject_unknown_fields() {
    let err = serde_json::from_value::<zendesk::TicketGet>(json!({"ticket_id": 1, "tciket": 2}))
        .unwrap_err();
    assert!(err.to_string().contains("unknown field `tciket`"), "{err}");
}

#[test]
fn outputs_decode_api_records_and_ignore_unknown_fields() {
    // Outputs are the tools' projections: ids resolved to names, or the id when not sideloaded.
    let body = json!({
        "ticket": {"id": 35436, "status": "open", "priority": null, "tags": ["vip"],
                   "assignee": "Jane Agent", "requester": 7, "brand_new_field": 1}
    });
    let out: <zendesk::TicketGet as Tool>::Output = serde_json::from_value(body).unwrap();
    assert_eq!(out.ticket.id, 35436);
    assert_eq!(out.ticket.status, zendesk::Status::Open);
    assert_eq!(out.ticket.priority, None);
    assert_eq!(out.ticket.assignee, Some(json!("Jane Agent")));
    assert_eq!(out.ticket.requester, Some(json!(7)));
    assert!(out.ticket.group.is_none());
    let body = json!({"users": [{"id": 7, "role": "end-user", "name": "Ana"}]});
    let users: <zendesk::UsersList as Tool>::Output = serde_json::from_value(body).unwrap();
    assert_eq!(users.users[0].role, Some(zendesk::Role::EndUser));
}

#[test]
fn tools_carry_their_identity_and_spec() {
    assert_eq!(zendesk::TOOLS.len(), 14);
    assert_eq!(
        <zendesk::TicketCreate as Tool>::NAME,
        "zendesk_ticket_create"
    );
    assert_eq!(<zendesk::TicketCreate as Tool>::CONNECTOR, "zendesk");
    let on_disk = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/connectors/zendesk.yaml"
    ))
    .unwrap();
    assert_eq!(
        toolwire::fingerprint(<zendesk::UsersList as Tool>::SPEC_SOURCE),
        toolwire::fingerprint(&on_disk)
    );
    for name in zendesk::TOOLS {
        assert!(name.starts_with("zendesk_"));
    }
}

#[test]
fn a_second_api_shape_generates_too() {
    let input = acme_crm::ContactCreate {
        email: "kwame@example.com".into(),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"email": "kwame@example.com"})
    );
    assert_eq!(
        <acme_crm::ContactDelete as Tool>::NAME,
        "acme_crm_contact_delete"
    );
    let page: <acme_crm::ContactsList as Tool>::Output =
        serde_json::from_value(json!({"contacts": [{"id": "ct_1", "email": "a@b.c", "lifecycle": "lead"}], "next_cursor": null}))
            .unwrap();
    assert_eq!(page.contacts[0].lifecycle, Some(acme_crm::Lifecycle::Lead));
    assert_eq!(page.next_cursor, None);
}
