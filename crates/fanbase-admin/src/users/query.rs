//! What the admin's users table asks for: search words, filters, a sort, a page. Compiled here into
//! parameterized SQL; column names only ever come from the fixed whitelist of [`UserSortField`].

use serde::{Deserialize, Serialize};

use fanbase_core::contacts::search::Search;

use crate::role::Role;
use crate::{Error, Result};

const DAY_MS: i64 = 86_400_000;

/// A sortable column of the users table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserSortField {
    #[default]
    Name,
    Email,
    Role,
    Admin,
    StripeConnected,
    CreatedAt,
    LastSignInAt,
    FanStores,
}

impl UserSortField {
    /// The column of the inner row set (see `page::ROWS`) this field sorts by.
    pub(crate) fn column(self) -> &'static str {
        match self {
            UserSortField::Name => "name_key",
            UserSortField::Email => "email_norm",
            UserSortField::Role => "role_rank",
            UserSortField::Admin => "admin",
            UserSortField::StripeConnected => "stripe_connected",
            UserSortField::CreatedAt => "created_at",
            UserSortField::LastSignInAt => "last_sign_in_key",
            UserSortField::FanStores => "fan_stores",
        }
    }

    pub(crate) fn is_text(self) -> bool {
        matches!(self, UserSortField::Name | UserSortField::Email)
    }

    /// Parses the snake_case name used by the CLI and the window (`name`, `last_sign_in_at`, ...).
    pub fn parse(name: &str) -> Result<UserSortField> {
        serde_json::from_value(serde_json::Value::String(name.trim().to_string())).map_err(|_| {
            Error::InvalidArgument(format!(
                "cannot sort users by {name:?}: use name, email, role, admin, stripe_connected, created_at, \
                 last_sign_in_at or fan_stores"
            ))
        })
    }
}

/// A sort order: a column and a direction. Rows with equal values are ordered by user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserSort {
    pub field: UserSortField,
    #[serde(default)]
    pub desc: bool,
}

impl UserSort {
    /// Parses `FIELD[:asc|:desc]`, e.g. `created_at:desc`.
    pub fn parse(text: &str) -> Result<UserSort> {
        let (field, dir) = text.split_once(':').unwrap_or((text, "asc"));
        let desc = match dir.trim() {
            "desc" => true,
            "asc" => false,
            other => return Err(Error::InvalidArgument(format!("sort direction must be asc or desc, not {other:?}"))),
        };
        Ok(UserSort { field: UserSortField::parse(field)?, desc })
    }
}

/// The users table's request. Every filter left `None` (or an empty search) matches everyone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UserQuery {
    /// Words that must all prefix-match a word of the name or email.
    pub search: String,
    pub role: Option<Role>,
    pub admin: Option<bool>,
    pub stripe_connected: Option<bool>,
    /// Users who signed in at or after `now - days`; never-signed-in users never match.
    pub signed_in_within_days: Option<u32>,
    pub sort: UserSort,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Rows per page, 1..=1000 (0 means 100).
    pub limit: u32,
}

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

/// The WHERE conditions (over `users u`) and their parameters, in order.
pub(crate) fn conditions(q: &UserQuery, now: i64) -> (String, Vec<Bind>) {
    let mut sql = String::from("1");
    let mut binds = Vec::new();
    match Search::parse(&q.search) {
        Search::Everything => {}
        Search::Nothing => sql.push_str(" AND 0"),
        Search::Words(words) => {
            for w in words {
                sql.push_str(" AND u.rowid IN (SELECT rowid FROM users_fts WHERE users_fts MATCH ?)");
                binds.push(Bind::Text(w));
            }
        }
    }
    if let Some(role) = q.role {
        sql.push_str(" AND u.role = ?");
        binds.push(Bind::Text(role.as_str().to_string()));
    }
    if let Some(admin) = q.admin {
        sql.push_str(" AND u.admin = ?");
        binds.push(Bind::Int(admin.into()));
    }
    if let Some(connected) = q.stripe_connected {
        sql.push_str(" AND (u.stripe_connect_account_id <> '') = ?");
        binds.push(Bind::Int(connected.into()));
    }
    if let Some(days) = q.signed_in_within_days {
        sql.push_str(" AND u.last_sign_in_at >= ?");
        binds.push(Bind::Int(now - i64::from(days) * DAY_MS));
    }
    (sql, binds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_parse_from_cli_text() {
        assert_eq!(UserSort::parse("name").unwrap(), UserSort { field: UserSortField::Name, desc: false });
        assert_eq!(
            UserSort::parse("last_sign_in_at:desc").unwrap(),
            UserSort { field: UserSortField::LastSignInAt, desc: true }
        );
        assert!(UserSort::parse("password").is_err(), "only whitelisted columns sort");
        assert!(UserSort::parse("name:sideways").is_err());
    }

    #[test]
    fn every_filter_is_a_parameter_never_text() {
        let q = UserQuery {
            search: "ana' OR 1=1 --".into(),
            role: Some(Role::SubaccountGuest),
            admin: Some(true),
            stripe_connected: Some(false),
            signed_in_within_days: Some(7),
            ..UserQuery::default()
        };
        let (sql, binds) = conditions(&q, 1_000_000_000);
        assert!(!sql.contains("ana") && !sql.contains("GUEST"), "user input must not reach the SQL text: {sql}");
        assert_eq!(binds.len(), 3 + 4, "three search words (`--` holds no letter) and four filters");
        assert_eq!(binds.last(), Some(&Bind::Int(1_000_000_000 - 7 * DAY_MS)), "N days before now");
    }
}
