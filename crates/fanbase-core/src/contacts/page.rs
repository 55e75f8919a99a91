//! Keyset pagination over a store's contacts: sorted by any shown column with the id as a stable
//! tie-break, moving forward (`after`), backward (`before`) or from the end. A far position of the
//! unfiltered list is reached by one seek (`offset`) that finds the cursor there; pages themselves
//! never use OFFSET.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::sqlite::SqliteRow;
use sqlx::Row as _;

use super::filter::{self, Bind, ContactFilter, Sql};
use super::matches::{self, Matches, Walk};
use super::plan;
use super::{Badge, ContactRow};
use crate::{stores, Db, Error, Result};

/// A sortable column of the contacts view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    #[default]
    Email,
    Name,
    Type,
    Status,
    Score,
    Daw,
    TypeOfMusic,
    StudentLevel,
    LastOpenDate,
    CreatedAt,
    TotalSpent,
}

impl SortField {
    /// The column expression. A fixed whitelist: user input never becomes SQL text.
    fn column(self) -> &'static str {
        match self {
            SortField::Email => "c.email_norm",
            SortField::Name => "c.name",
            SortField::Type => "c.type",
            SortField::Status => "c.status",
            SortField::Score => "c.score",
            SortField::Daw => "c.daw",
            SortField::TypeOfMusic => "c.type_of_music",
            SortField::StudentLevel => "c.student_level",
            SortField::LastOpenDate => "c.last_open_date",
            SortField::CreatedAt => "c.created_at",
            SortField::TotalSpent => "c.total_spent_cents",
        }
    }

    /// The same value for a registered user without a fan record: what users have, else a constant
    /// that sorts like an unset fan field.
    fn users_column(self) -> &'static str {
        match self {
            SortField::Email => "u.email_norm",
            SortField::Name => "u.name COLLATE NOCASE",
            SortField::CreatedAt => "u.created_at",
            SortField::Type | SortField::Status | SortField::Daw | SortField::TypeOfMusic | SortField::StudentLevel => {
                "''"
            }
            // Not a bare `0`: in ORDER BY that would mean "column 0".
            SortField::Score | SortField::LastOpenDate | SortField::TotalSpent => "CAST(0 AS INTEGER)",
        }
    }

    /// The collation the column compares with (the NOCASE columns of `customers`).
    fn collation(self) -> &'static str {
        match self {
            SortField::Name | SortField::Daw | SortField::TypeOfMusic | SortField::StudentLevel => " COLLATE NOCASE",
            _ => "",
        }
    }

    /// Parses the snake_case name used by the CLI and the UI (`score`, `last_open_date`, ...).
    pub fn parse(name: &str) -> Result<SortField> {
        serde_json::from_value(Value::String(name.to_string()))
            .map_err(|_| Error::InvalidArgument(format!("cannot sort by {name:?}")))
    }
}

/// A sort order: a column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sort {
    pub field: SortField,
    #[serde(default)]
    pub desc: bool,
}

/// Which page to read. `after` and `before` are cursors of rows; `from_end` reads the last page.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub sort: Sort,
    pub after: Option<String>,
    pub before: Option<String>,
    pub from_end: bool,
    pub limit: u32,
    /// Read only the rows' sort keys, for their cursors and number (`Page::skipped`), not the rows:
    /// what a window walking past far rows needs.
    pub cursors_only: bool,
    /// Start at this position of the order (0 = the first row) instead of a cursor: one index scan
    /// finds the cursor there, so a dragged scrollbar reaches the middle of 1,000,000 fans without
    /// walking to it. Only for the unfiltered list of fans (no search, filter or users).
    pub offset: Option<u64>,
}

/// A page of rows in display order, with the cursors to move on in either direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub rows: Vec<ContactRow>,
    /// Pass as `after` for the following page; `None` when nothing follows.
    pub next: Option<String>,
    /// Pass as `before` for the preceding page; `None` at the start.
    pub prev: Option<String>,
    /// With `PageRequest::cursors_only`: how many rows the page held (`rows` is then empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<usize>,
}

pub const MAX_PAGE: u32 = 1000;

/// Reads one page of a store's contacts (every fan, no filter).
pub async fn page(db: &Db, store_id: &str, req: &PageRequest) -> Result<Page> {
    page_matching(db, store_id, &ContactFilter::default(), req).await
}

/// Reads one page of the store's contacts that match `filter`, in `req.sort` order. With
/// `filter.include_users` the page also holds registered users without a fan record (negative ids).
pub async fn page_matching(db: &Db, store_id: &str, filter: &ContactFilter, req: &PageRequest) -> Result<Page> {
    page_planned(db, store_id, filter, req, plan::Caps::default()).await
}

pub(crate) async fn page_planned(
    db: &Db,
    store_id: &str,
    filter: &ContactFilter,
    req: &PageRequest,
    caps: plan::Caps,
) -> Result<Page> {
    if req.limit == 0 || req.limit > MAX_PAGE {
        return Err(Error::InvalidArgument(format!("limit must be 1..={MAX_PAGE}, got {}", req.limit)));
    }
    if req.after.is_some() && (req.before.is_some() || req.from_end) {
        return Err(Error::InvalidArgument("give either `after` or `before`/from_end, not both".into()));
    }
    let store_pk = stores::pk(db, store_id).await?;
    let seeked;
    let req = match req.offset {
        None => req,
        Some(position) => {
            seeked =
                PageRequest { after: seek(db, store_pk, filter, req, position).await?, offset: None, ..req.clone() };
            if position > 0 && seeked.after.is_none() {
                // Past the last row: nothing there.
                return Ok(Page { rows: Vec::new(), next: None, prev: None, skipped: req.cursors_only.then_some(0) });
            }
            &seeked
        }
    };
    let backward = req.before.is_some() || req.from_end;
    let anchor = match req.after.as_deref().or(req.before.as_deref()) {
        Some(c) => Some(decode_cursor(c, req.sort)?),
        None => None,
    };
    let anchor = match anchor {
        Some((Value::String(s), id)) => Some((Bind::Text(s), id)),
        Some((Value::Number(n), id)) => {
            Some((Bind::Int(n.as_i64().ok_or_else(|| Error::InvalidCursor("bad number".into()))?), id))
        }
        Some(_) => return Err(Error::InvalidCursor("bad value".into())),
        None => None,
    };

    let mut conn = db.pool().acquire().await?;
    let compiled = filter::compile(&mut conn, store_pk, filter).await?;
    // Reading backward flips the direction; the rows are reversed into display order after.
    let ascending = req.sort.desc == backward;
    let (cmp, dir) = if ascending { (">", "ASC") } else { ("<", "DESC") };
    let fetch = Bind::Int(i64::from(req.limit) + 1);
    let seek_and_order = |sql: &mut Sql, col: &str, key: &str| {
        if let Some((value, id)) = &anchor {
            sql.push(format!(" AND ({col}, {key}) {cmp} (?, ?)")).bind(value.clone()).bind(Bind::Int(*id));
        }
        sql.push(format!(" ORDER BY {col} {dir}, {key} {dir} LIMIT ?")).bind(fetch.clone());
    };

    let field = req.sort.field;
    let col = field.column();
    // Late columns: the inner query finds the page's ids and sort values only; the tags and account
    // of each row are read for the rows of the page, not for every candidate sorted on the way.
    let (fan_columns, user_columns) =
        if req.cursors_only { (KEY_COLUMNS, USER_KEY_COLUMNS) } else { (FAN_COLUMNS, USER_COLUMNS) };
    let mut fans = Sql::default();
    fans.push(format!(
        "SELECT {fan_columns}, top.sort_value AS sort_value FROM (SELECT c.id AS id, {col} AS sort_value"
    ));
    // A search alone, or one condition listing a moderate number of fans, is gathered in memory
    // and the page walks the sort index against it (see matches.rs).
    let gathered = match filter.only_words().filter(|_| caps.gather) {
        Some(words) => Some(Matches::gather(&mut conn, store_pk, &words).await?),
        None => plan::gather_one(&mut conn, &compiled, caps).await?,
    };
    match gathered {
        Some(m) => {
            let walk = Walk {
                store_pk,
                col,
                ascending,
                anchor: anchor.as_ref(),
                want: req.limit as usize + 1,
                budget: (m.len() as i64).saturating_mul(caps.walk_per_match),
                range: None,
            };
            let prefix = matches::plain_prefix(filter.search.as_deref().unwrap_or(""));
            fans.append(&matches::page_from(&mut conn, &m, walk, prefix.as_deref(), caps.walk).await?);
        }
        None => {
            fans.append(&plan::page_from(&mut conn, store_pk, &compiled, col, caps).await?);
        }
    }
    seek_and_order(&mut fans, col, "c.id");
    fans.push(format!(
        ") AS top CROSS JOIN customers c ON c.id = top.id ORDER BY top.sort_value{coll} {dir}, top.id {dir}",
        coll = field.collation()
    ));
    let sql = match &compiled.users {
        None => fans,
        Some(users_cond) => {
            let ucol = field.users_column();
            let mut users = Sql::default();
            users
                .push(format!(
                    "SELECT {user_columns}, {ucol} AS sort_value{}",
                    filter::users_only_from(&mut conn, store_pk, caps.users_listed).await?
                ))
                .bind(Bind::Int(store_pk))
                .append(users_cond);
            seek_and_order(&mut users, ucol, "-u.rowid");
            let mut both = Sql::default();
            both.push("SELECT * FROM (")
                .append(&fans)
                .push(") UNION ALL SELECT * FROM (")
                .append(&users)
                .push(format!(") ORDER BY sort_value{} {dir}, id {dir} LIMIT ?", field.collation()))
                .bind(fetch.clone());
            both
        }
    };
    let fetched = sqlx::query_with(&sql.text, sql.arguments()?).fetch_all(&mut *conn).await?;
    let more = fetched.len() > req.limit as usize;
    let kept = fetched.iter().take(req.limit as usize);
    let (mut rows, mut cursors) = if req.cursors_only {
        (
            Vec::new(),
            kept.map(|row| Ok(encode_cursor(req.sort, &sort_value(row)?, row.try_get("id")?)))
                .collect::<Result<Vec<_>>>()?,
        )
    } else {
        let rows = kept.map(|row| row_to_contact(row, req.sort)).collect::<Result<Vec<_>>>()?;
        let cursors = rows.iter().map(|r| r.cursor.clone()).collect();
        (rows, cursors)
    };
    if backward {
        rows.reverse();
        cursors.reverse();
    }
    let first = cursors.first().cloned();
    let last = cursors.last().cloned();
    let (next, prev) = if backward {
        // Rows exist after a `before` anchor (the anchor itself), never after the end.
        let next = if req.from_end { None } else { last.or_else(|| req.before.clone()) };
        (next, if more { first } else { None })
    } else {
        let prev = req.after.as_ref().map(|a| first.unwrap_or_else(|| a.clone()));
        (if more { last } else { None }, prev)
    };
    Ok(Page { rows, next, prev, skipped: req.cursors_only.then_some(cursors.len()) })
}

/// The cursor of the row just before `position` in `req.sort` order (`None` at 0, or past the end):
/// one scan of the sort index, counting entries without reading a row.
async fn seek(
    db: &Db,
    store_pk: i64,
    filter: &ContactFilter,
    req: &PageRequest,
    position: u64,
) -> Result<Option<String>> {
    if req.after.is_some() || req.before.is_some() || req.from_end {
        return Err(Error::InvalidArgument("give either `offset` or a cursor, not both".into()));
    }
    if *filter != ContactFilter::default() {
        return Err(Error::InvalidArgument(
            "`offset` reads the unfiltered list only: page a search or filter with cursors".into(),
        ));
    }
    let Some(before) = position.checked_sub(1) else {
        return Ok(None);
    };
    let col = req.sort.field.column();
    let dir = if req.sort.desc { "DESC" } else { "ASC" };
    let row = sqlx::query(&format!(
        "SELECT c.id AS id, {col} AS sort_value FROM customers c WHERE c.store_pk = ?
         ORDER BY {col} {dir}, c.id {dir} LIMIT 1 OFFSET ?"
    ))
    .bind(store_pk)
    .bind(i64::try_from(before).map_err(|_| Error::InvalidArgument(format!("offset {position} is too large")))?)
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| Ok(encode_cursor(req.sort, &sort_value(&row)?, row.try_get("id")?))).transpose()
}

/// The columns of a fan row; `user_id` is the first registered user with the same email.
const FAN_COLUMNS: &str = "c.id AS id, c.email AS email, c.name AS name, c.type AS type, c.status AS status,
    c.score AS score, c.daw AS daw, c.type_of_music AS type_of_music, c.student_level AS student_level,
    c.last_open_date AS last_open_date, c.total_spent_cents AS total_spent_cents,
    (SELECT u.id FROM users u WHERE u.email_norm = c.email_norm ORDER BY u.rowid LIMIT 1) AS user_id,
    (SELECT json_group_array(name) FROM
        (SELECT t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
         WHERE ct.customer_id = c.id ORDER BY t.name_norm)) AS tags,
    1 AS fan";

/// A fan row's key only (with `sort_value`, for its cursor), for `PageRequest::cursors_only`.
const KEY_COLUMNS: &str = "c.id AS id";
/// The same for a registered user without a fan record.
const USER_KEY_COLUMNS: &str = "-u.rowid AS id";

/// The same columns for a registered user without a fan record: id is minus the user's rowid.
const USER_COLUMNS: &str = "-u.rowid AS id, u.email AS email, u.name AS name, '' AS type, '' AS status,
    0 AS score, '' AS daw, '' AS type_of_music, '' AS student_level, 0 AS last_open_date,
    0 AS total_spent_cents, u.id AS user_id, '[]' AS tags, 0 AS fan";

/// A fetched row's sort value, a number or a text.
fn sort_value(row: &SqliteRow) -> Result<Value> {
    Ok(match row.try_get::<i64, _>("sort_value") {
        Ok(n) => Value::from(n),
        Err(_) => Value::from(row.try_get::<String, _>("sort_value")?),
    })
}

fn row_to_contact(row: &SqliteRow, sort: Sort) -> Result<ContactRow> {
    let id: i64 = row.try_get("id")?;
    let sort_value = sort_value(row)?;
    let tags: String = row.try_get("tags")?;
    let last_open: i64 = row.try_get("last_open_date")?;
    let cents: i64 = row.try_get("total_spent_cents")?;
    let kind: String = row.try_get("type")?;
    let user_id: Option<String> = row.try_get("user_id")?;
    let fan: bool = row.try_get("fan")?;
    Ok(ContactRow {
        id,
        cursor: encode_cursor(sort, &sort_value, id),
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        badges: Badge::of(&kind, user_id.is_some()),
        kind,
        status: row.try_get("status")?,
        tags: serde_json::from_str(&tags).map_err(|e| Error::InvalidArgument(e.to_string()))?,
        score: row.try_get("score")?,
        daw: row.try_get("daw")?,
        type_of_music: row.try_get("type_of_music")?,
        student_level: row.try_get("student_level")?,
        last_open_date: (last_open > 0).then_some(last_open),
        total_spent: cents as f64 / 100.0,
        has_account: user_id.is_some(),
        fan,
        user_id,
    })
}

/// A cursor is the sort it was made under, the row's sort value and its id, as base64url JSON.
fn encode_cursor(sort: Sort, value: &Value, id: i64) -> String {
    let json = serde_json::to_vec(&(sort, value, id)).expect("a JSON value serializes");
    URL_SAFE_NO_PAD.encode(json)
}

fn decode_cursor(cursor: &str, sort: Sort) -> Result<(Value, i64)> {
    let not_a_cursor = || Error::InvalidCursor(format!("{cursor:?} is not a cursor"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| not_a_cursor())?;
    let (made_for, value, id): (Sort, Value, i64) = serde_json::from_slice(&bytes).map_err(|_| not_a_cursor())?;
    if made_for != sort {
        return Err(Error::InvalidCursor("the cursor was made for another sort order".into()));
    }
    Ok((value, id))
}
