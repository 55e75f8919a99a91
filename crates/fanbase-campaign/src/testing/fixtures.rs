//! Fixtures: fans with exactly the data a test needs, a ready campaign, SMTP accounts for the test
//! server, and received mail parsed back into subject, parts and headers.

use mail_parser::MimeHeaders as _;
use serde_json::Value;

use super::{SmtpServer, TestCa};
use crate::campaign::{Campaign, Layout};
use crate::smtp::{SmtpAccount, SmtpSettings, TlsMode};
use fanbase_core::Db;

/// One fan to insert. Unset text stays `''` as in the real schema.
#[derive(Debug, Clone, Default)]
pub struct FanSpec {
    pub email: String,
    pub name: String,
    pub first_name: String,
    pub status: String,
    pub daw: String,
    pub tags: Vec<String>,
    pub custom: Option<Value>,
}

impl FanSpec {
    pub fn new(email: &str, name: &str) -> FanSpec {
        FanSpec { email: email.into(), name: name.into(), status: "active".into(), ..FanSpec::default() }
    }
    pub fn status(mut self, status: &str) -> FanSpec {
        self.status = status.into();
        self
    }
    pub fn first_name(mut self, first: &str) -> FanSpec {
        self.first_name = first.into();
        self
    }
    pub fn daw(mut self, daw: &str) -> FanSpec {
        self.daw = daw.into();
        self
    }
    pub fn tags(mut self, tags: &[&str]) -> FanSpec {
        self.tags = tags.iter().map(|t| t.to_string()).collect();
        self
    }
    pub fn custom(mut self, custom: Value) -> FanSpec {
        self.custom = Some(custom);
        self
    }
}

/// Creates store `id` named `name`; returns its local key.
pub async fn store(db: &Db, id: &str, name: &str) -> i64 {
    fanbase_core::stores::add(db, id, name, 1).await.expect("add store");
    fanbase_core::stores::pk(db, id).await.expect("store pk")
}

/// Inserts a fan (and its tags); returns its id.
pub async fn add_fan(db: &Db, store_pk: i64, fan: &FanSpec) -> i64 {
    let custom = fan.custom.clone().unwrap_or_else(|| Value::Object(Default::default())).to_string();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (store_pk, email, email_norm, name, first_name, status, daw, custom, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1) RETURNING id",
    )
    .bind(store_pk)
    .bind(&fan.email)
    .bind(fanbase_core::text::normalize_email(&fan.email))
    .bind(&fan.name)
    .bind(&fan.first_name)
    .bind(if fan.status.is_empty() { "active" } else { &fan.status })
    .bind(&fan.daw)
    .bind(custom)
    .fetch_one(db.pool())
    .await
    .expect("insert fan");
    for tag in &fan.tags {
        let norm = fanbase_core::text::normalize_tag(tag);
        sqlx::query("INSERT INTO tags (store_pk, name, name_norm) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
            .bind(store_pk)
            .bind(tag)
            .bind(&norm)
            .execute(db.pool())
            .await
            .expect("insert tag");
        sqlx::query(
            "INSERT INTO customer_tags (customer_id, tag_id) SELECT ?, id FROM tags WHERE store_pk = ? AND name_norm = ?",
        )
        .bind(id)
        .bind(store_pk)
        .bind(&norm)
        .execute(db.pool())
        .await
        .expect("tag fan");
    }
    id
}

/// Sets a fan's status (an unsubscribe arriving mid-send).
pub async fn set_status(db: &Db, email: &str, status: &str) {
    sqlx::query("UPDATE customers SET status = ? WHERE email_norm = ?")
        .bind(status)
        .bind(fanbase_core::text::normalize_email(email))
        .execute(db.pool())
        .await
        .expect("update status");
}

/// A campaign that uses every kind of merge tag, with a footer address.
pub fn campaign(name: &str) -> Campaign {
    Campaign {
        name: name.into(),
        subject: "{{ first_name | default(\"there\") }}, the course is out".into(),
        preheader: "Made for {{ daw | default(\"your DAW\") }} users".into(),
        body_markdown: Some(
            "Hi {{ first_name | default(\"there\") }},\n\nThe **course** is live for {{ email }}.\n\n\
             {% if \"vip\" in tags %}As a VIP you get 30% off.{% endif %}\n\n[Open it](https://academy.example/course)"
                .into(),
        ),
        from_name: "Beat Academy".into(),
        from_email: "news@academy.example".into(),
        reply_to: "help@academy.example".into(),
        footer_address: "1 Studio Lane, Berlin".into(),
        template: Layout::Announcement,
        ..Campaign::default()
    }
}

/// An account for `server` with no authentication.
pub fn account(server: &SmtpServer, tls: TlsMode, ca: Option<&TestCa>) -> SmtpAccount {
    SmtpAccount {
        settings: SmtpSettings {
            host: "127.0.0.1".into(),
            port: server.port,
            tls,
            username: String::new(),
            ca_pem: ca.map(|c| c.ca_pem.clone()).unwrap_or_default(),
            unsubscribe_url_template: "https://academy.example/unsubscribe?e={email}".into(),
            unsubscribe_mailto: "unsubscribe@academy.example".into(),
        },
        password: None,
    }
}

/// A received message, decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
    pub content_type: String,
    pub list_unsubscribe: String,
    pub list_unsubscribe_post: String,
}

/// Parses a message as the server received it.
pub fn parse(data: &str) -> Mail {
    let msg = mail_parser::MessageParser::default().parse(data.as_bytes()).expect("a parsable message");
    // Raw header values, unfolded (long headers are folded onto continuation lines).
    let raw = |name: &str| msg.header_raw(name).map(|v| v.replace("\r\n", "").trim().to_string()).unwrap_or_default();
    let ct = msg.content_type().map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or(""))).unwrap_or_default();
    Mail {
        to: msg.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default().to_string(),
        subject: msg.subject().unwrap_or_default().to_string(),
        message_id: msg.message_id().unwrap_or_default().to_string(),
        text: msg.body_text(0).map(|t| t.to_string()).unwrap_or_default(),
        html: msg.body_html(0).map(|t| t.to_string()).unwrap_or_default(),
        content_type: ct,
        list_unsubscribe: raw("List-Unsubscribe"),
        list_unsubscribe_post: raw("List-Unsubscribe-Post"),
    }
}
