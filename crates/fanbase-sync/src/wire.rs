//! The platform contract's JSON shapes (desktop:* v1): records, pages, changes and results.
//! Unknown fields are ignored; times are accepted as integer or float milliseconds.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

fn millis<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(f64::deserialize(d)?.round() as i64)
}

fn opt_millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.map(|v| v.round() as i64))
}

/// A platform Customer (a fan of one store).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "_creationTime", deserialize_with = "millis", default)]
    pub creation_time: i64,
    #[serde(default)]
    pub store_id: String,
    #[serde(default)]
    pub admin_user_id: String,
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub total_spent: f64,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub score: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daw: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_of_music: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub student_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default)]
    pub opens_email: bool,
    #[serde(default)]
    pub clicks_links: bool,
    #[serde(default, deserialize_with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub last_open_date: Option<i64>,
    #[serde(default)]
    pub status: String,
    #[serde(deserialize_with = "millis")]
    pub updated_at: i64,
    #[serde(default, deserialize_with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<i64>,
}

/// A registered platform account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "_creationTime", deserialize_with = "millis", default)]
    pub creation_time: i64,
    #[serde(default)]
    pub clerk_id: String,
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    pub role: String,
    #[serde(default)]
    pub admin: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stripe_connect_account_id: Option<String>,
    #[serde(deserialize_with = "millis")]
    pub updated_at: i64,
    #[serde(default, deserialize_with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub last_sign_in_at: Option<i64>,
}

/// An engagement event (open, click, purchase, ...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EngagementEvent {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default)]
    pub store_id: String,
    #[serde(default)]
    pub customer_id: String,
    #[serde(default)]
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    pub kind: String,
    #[serde(deserialize_with = "millis")]
    pub at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
}

/// One store the signed-in account may sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreRef {
    pub store_id: String,
    pub name: String,
}

/// `desktop:whoami`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Whoami {
    pub user_id: String,
    #[serde(default)]
    pub clerk_id: String,
    pub email: String,
    #[serde(default)]
    pub name: String,
    pub role: String,
    pub admin: bool,
    pub stores: Vec<StoreRef>,
    #[serde(deserialize_with = "millis")]
    pub server_time: i64,
}

/// `paginationOpts` of a paged query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaginationOpts {
    pub num_items: u32,
    pub cursor: Option<String>,
}

/// One page of a paged query.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub page: Vec<T>,
    pub is_done: bool,
    pub continue_cursor: String,
    #[serde(default)]
    pub page_status: Option<String>,
}

impl<T> Page<T> {
    /// The platform read too much: the page may be incomplete and must be fetched again, smaller.
    pub fn split_required(&self) -> bool {
        self.page_status.as_deref() == Some("SplitRequired")
    }
}

/// One change of `desktop:pushCustomerChanges`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub change_id: String,
    pub customer_id: Option<String>,
    pub email: String,
    pub base_updated_at: Option<i64>,
    pub set: serde_json::Map<String, Value>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub delete: bool,
}

/// The platform's answer for one change.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeResult {
    pub change_id: String,
    pub status: ChangeStatus,
    #[serde(default)]
    pub customer: Option<Customer>,
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeStatus {
    Applied,
    Duplicate,
    Conflict,
    Rejected,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PushResults {
    pub results: Vec<ChangeResult>,
}

/// `desktop:issueUnsubscribeLinks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsubscribeLink {
    pub customer_id: String,
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_parses_with_optional_fields_missing_and_float_times() {
        let c: Customer = serde_json::from_value(serde_json::json!({
            "_id": "c1", "_creationTime": 1700000000000.25, "storeId": "s", "adminUserId": "u", "email": "A@b.co",
            "name": "Ana", "type": "paying", "source": "stripe_purchase", "totalSpent": 49.99, "tags": ["vip"],
            "score": 12, "opensEmail": true, "clicksLinks": false, "status": "active", "updatedAt": 1700000000001u64,
            "extra": "ignored"
        }))
        .unwrap();
        assert_eq!(c.creation_time, 1_700_000_000_000, "float _creationTime is rounded to ms");
        assert_eq!(c.daw, None);
        assert_eq!(c.deleted_at, None);
    }

    #[test]
    fn a_change_serialises_to_the_contract() {
        let change = Change {
            change_id: "id".into(),
            customer_id: None,
            email: "a@b.co".into(),
            base_updated_at: None,
            set: serde_json::Map::new(),
            add_tags: vec!["vip".into()],
            remove_tags: vec![],
            delete: false,
        };
        let v = serde_json::to_value(&change).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"changeId": "id", "customerId": null, "email": "a@b.co", "baseUpdatedAt": null,
                               "set": {}, "addTags": ["vip"], "removeTags": []}),
            "field names and nulls follow the contract; `delete` only when true"
        );
    }
}
