//! The platform's records exactly as they travel on the wire (contract v1): Customer, User,
//! engagement Event, plus the Store they belong to. Money is kept in cents and sent as dollars.

use serde::{Deserialize, Serialize};

use crate::fields::FIELD_COUNT;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CustomerType {
    Lead,
    Paying,
    Subscription,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Unsubscribed,
    Bounced,
    Complained,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    AgencyOwner,
    AgencyAdmin,
    SubaccountUser,
    SubaccountGuest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Open,
    Click,
    Bounce,
    Unsubscribe,
    Complaint,
    Purchase,
    Enrollment,
}

/// A fan of one store. `modified` (never sent) holds, per settable field, the server time of its
/// last change: a pushed `set` conflicts when that time is after the change's `baseUpdatedAt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "_creationTime")]
    pub creation_time: i64,
    pub store_id: String,
    #[serde(default)]
    pub admin_user_id: String,
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default = "lead")]
    pub kind: CustomerType,
    #[serde(default)]
    pub source: String,
    #[serde(rename = "totalSpent", with = "dollars", default)]
    pub total_spent_cents: i64,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub score: i64,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_open_date: Option<i64>,
    #[serde(default = "active")]
    pub status: Status,
    pub updated_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<i64>,
    #[serde(skip)]
    pub modified: [i64; FIELD_COUNT],
}

fn lead() -> CustomerType {
    CustomerType::Lead
}

fn active() -> Status {
    Status::Active
}

/// A registered platform account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "_creationTime")]
    pub creation_time: i64,
    pub clerk_id: String,
    pub email: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    pub role: Role,
    #[serde(default)]
    pub admin: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stripe_connect_account_id: Option<String>,
    pub updated_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_in_at: Option<i64>,
}

/// An engagement event (open, click, purchase, ...) of one fan of one store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(rename = "_id")]
    pub id: String,
    pub store_id: String,
    pub customer_id: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    pub kind: EventKind,
    pub at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
}

/// A creator's store; its owner (and any admin) may read and write its fans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
    pub owner_id: String,
}

/// `totalSpent` travels as dollars with two decimals and is kept as integer cents.
pub mod dollars {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(cents: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(*cents as f64 / 100.0)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let dollars = f64::deserialize(d)?;
        Ok(to_cents(dollars))
    }

    pub fn to_cents(dollars: f64) -> i64 {
        (dollars * 100.0).round() as i64
    }
}

/// Emails compare case-insensitively after trimming.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A plausible email: one `@`, something before it, a dotted domain after it, no spaces.
pub fn email_is_valid(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}
