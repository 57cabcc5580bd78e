//! The `connector!` macro on `connectors/salesforce.yaml`: the generated types compile (field
//! API names such as `Type` or `IsPublished` become Rust names and back), an update serializes
//! to the JSON the engine takes, records decode as open maps that keep every field, and the
//! 204 update's declared output decodes.

use serde_json::json;
use toolwire::Tool;

toolwire::connector!("connectors/salesforce.yaml");

#[test]
fn an_update_serializes_with_the_field_api_names() {
    let input = salesforce::CaseUpdate {
        id: "500D000000L1XKhIAN".into(),
        status: Some("Escalated".into()),
        r#type: Some("Problem".into()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"id": "500D000000L1XKhIAN", "Status": "Escalated", "Type": "Problem"})
    );
    assert_eq!(
        <salesforce::CaseUpdate as Tool>::NAME,
        "salesforce_case_update"
    );
    let out: salesforce::CaseUpdateOutput =
        serde_json::from_value(json!({"id": "500D000000L1XKhIAN", "updated": true})).unwrap();
    assert!(out.updated);
}

#[test]
fn query_records_keep_every_field() {
    let page: salesforce::QueryOutput = serde_json::from_value(json!({
        "totalSize": 1, "done": true,
        "records": [{"attributes": {"type": "Account", "url": "/services/data/v62.0/sobjects/Account/001D000000IRFmaIAH"},
                     "Id": "001D000000IRFmaIAH", "Name": "Test 1", "Custom__c": 3}]
    }))
    .unwrap();
    assert_eq!(page.total_size, Some(1));
    let record = &page.records[0];
    assert_eq!(record["Name"], json!("Test 1"));
    assert_eq!(record["Custom__c"], json!(3));
    assert_eq!(record["attributes"]["type"], json!("Account"));
}
