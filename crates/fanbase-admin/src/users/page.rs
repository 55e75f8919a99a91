//! Keyset pages of the users table: the filtered rows with their computed columns (role rank, Stripe
//! connected, number of stores as a fan) sorted by one column with the user id as tie-break. Never OFFSET.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;
use sqlx::sqlite::SqliteRow;
use sqlx::Row as _;

use fanbase_core::Db;

use super::query::{conditions, Bind, UserQuery, UserSort};
use super::UserRow;
use crate::role::Role;
use crate::{Error, Result};

pub const MAX_PAGE: u32 = 1000;
const DEFAULT_PAGE: u32 = 100;

/// A page of users in display order and the cursor of the following page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsersPage {
    pub rows: Vec<UserRow>,
    /// Pass as `after` for the following page; `None` when nothing follows.
    pub next: Option<String>,
}

/// The columns of a user row plus the sort keys. `fan_stores` probes each store's
/// `(store_pk, email_norm)` unique index once, so it costs (stores) lookups per user: the CROSS JOIN
/// keeps `stores` as the outer loop (SQLite would otherwise scan every customer per user).
pub(crate) const ROWS: &str = "SELECT u.id AS id, u.email AS email, u.name AS name, u.image_url AS image_url, u.role AS role,
    u.admin AS admin, u.stripe_connect_account_id AS stripe_connect_account_id, u.created_at AS created_at,
    u.last_sign_in_at AS last_sign_in_at,
    lower(u.name) AS name_key, u.email_norm AS email_norm,
    CASE u.role WHEN 'AGENCY_OWNER' THEN 0 WHEN 'AGENCY_ADMIN' THEN 1 WHEN 'SUBACCOUNT_USER' THEN 2 ELSE 3 END AS role_rank,
    (u.stripe_connect_account_id <> '') AS stripe_connected,
    COALESCE(u.last_sign_in_at, 0) AS last_sign_in_key,
    (SELECT count(*) FROM stores s CROSS JOIN customers c ON c.store_pk = s.pk AND c.email_norm = u.email_norm) AS fan_stores
    FROM users u WHERE ";

/// One page of the users matching `q`, in `q.sort` order. `now` anchors "signed in within N days".
pub async fn list(db: &Db, q: &UserQuery, now: i64) -> Result<UsersPage> {
    let limit = if q.limit == 0 { DEFAULT_PAGE } else { q.limit };
    if limit > MAX_PAGE {
        return Err(Error::InvalidArgument(format!("limit must be 1..={MAX_PAGE}, got {limit}")));
    }
    let (cond, mut binds) = conditions(q, now);
    let col = q.sort.field.column();
    let (cmp, dir) = if q.sort.desc { ("<", "DESC") } else { (">", "ASC") };
    let mut sql = format!("SELECT * FROM ({ROWS}{cond}) AS r");
    if let Some(cursor) = &q.after {
        let (value, id) = decode_cursor(cursor, q.sort)?;
        sql.push_str(&format!(" WHERE (r.{col}, r.id) {cmp} (?, ?)"));
        binds.push(value);
        binds.push(Bind::Text(id));
    }
    sql.push_str(&format!(" ORDER BY r.{col} {dir}, r.id {dir} LIMIT ?"));
    binds.push(Bind::Int(i64::from(limit) + 1));
    let fetched = bind_all(sqlx::query(&sql), binds).fetch_all(db.pool()).await?;
    let more = fetched.len() > limit as usize;
    let rows = fetched.iter().take(limit as usize).map(|r| row_to_user(r, q.sort)).collect::<Result<Vec<_>>>()?;
    let next = if more { rows.last().map(|r| r.cursor.clone()) } else { None };
    Ok(UsersPage { rows, next })
}

/// The exact number of users matching `q` (sort and page ignored).
pub async fn count(db: &Db, q: &UserQuery, now: i64) -> Result<i64> {
    let (cond, binds) = conditions(q, now);
    let sql = format!("SELECT count(*) FROM users u WHERE {cond}");
    let row = bind_all(sqlx::query(&sql), binds).fetch_one(db.pool()).await?;
    Ok(row.try_get(0)?)
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

pub(crate) fn bind_all(mut query: Query<'_>, binds: Vec<Bind>) -> Query<'_> {
    for b in binds {
        query = match b {
            Bind::Text(t) => query.bind(t),
            Bind::Int(i) => query.bind(i),
        };
    }
    query
}

pub(crate) fn row_to_user(row: &SqliteRow, sort: UserSort) -> Result<UserRow> {
    let id: String = row.try_get("id")?;
    let col = sort.field.column();
    let sort_value = if sort.field.is_text() {
        Value::from(row.try_get::<String, _>(col)?)
    } else {
        Value::from(row.try_get::<i64, _>(col)?)
    };
    let stripe: String = row.try_get("stripe_connect_account_id")?;
    let role: String = row.try_get("role")?;
    Ok(UserRow {
        cursor: encode_cursor(sort, &sort_value, &id),
        id,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        image_url: row.try_get("image_url")?,
        role: Role::from_stored(&role)?,
        admin: row.try_get("admin")?,
        stripe_connected: !stripe.is_empty(),
        stripe_connect_account_id: stripe,
        created_at: row.try_get("created_at")?,
        last_sign_in_at: row.try_get("last_sign_in_at")?,
        fan_stores: row.try_get("fan_stores")?,
    })
}

/// A cursor is the sort it was made under, the row's sort value and its id, as base64url JSON.
fn encode_cursor(sort: UserSort, value: &Value, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&(sort, value, id)).expect("a JSON value serialises"))
}

fn decode_cursor(cursor: &str, sort: UserSort) -> Result<(Bind, String)> {
    let not_a_cursor = || Error::InvalidCursor(format!("{cursor:?} is not a users cursor"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| not_a_cursor())?;
    let (made_for, value, id): (UserSort, Value, String) =
        serde_json::from_slice(&bytes).map_err(|_| not_a_cursor())?;
    if made_for != sort {
        return Err(Error::InvalidCursor("the cursor was made for another sort order".into()));
    }
    let value = match value {
        Value::String(s) if sort.field.is_text() => Bind::Text(s),
        Value::Number(n) if !sort.field.is_text() => Bind::Int(n.as_i64().ok_or_else(not_a_cursor)?),
        _ => return Err(not_a_cursor()),
    };
    Ok((value, id))
}
