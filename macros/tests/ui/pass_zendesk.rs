//! The generated Zendesk module compiles warning-free with every item documented.
#![deny(warnings, missing_docs)]

toolwire::connector!("../../../connectors/zendesk.yaml");

fn main() {
    let input = zendesk::TicketUpdate {
        ticket_id: 35436,
        status: Some(zendesk::Status::Solved),
        add_tags: Some(vec!["vip".into()]),
        ..Default::default()
    };
    let _ = <zendesk::TicketUpdate as toolwire::Tool>::NAME;
    let _ = serde_json::to_value(&input);
}
