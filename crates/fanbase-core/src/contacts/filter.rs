//! The contacts view's filter (search words and simple filters) compiled into parameterized SQL
//! conditions: over fans (alias `c`) and, when the view includes users, over registered users that
//! have no fan record in the store (alias `u`). Values are always bound, never written into SQL.

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments as _, SqliteConnection};

use super::search::{all_of, in_email_or_name, Search};
use crate::indexes;
use crate::text::normalize_tag;
use crate::{Error, Result};

/// The values `type` may take.
pub const TYPES: &[&str] = &["lead", "paying", "subscription"];
/// The values `status` may take.
pub const STATUSES: &[&str] = &["active", "unsubscribed", "bounced", "complained"];

/// What the contacts view shows. Every list means "any of"; the filters combine with AND.
/// An empty list or `None` does not filter. JSON uses these snake_case names, e.g.
/// `{"search": "ali", "type": ["paying"], "has_account": true, "score_min": 50}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactFilter {
    /// Words typed in the search box: each must prefix-match a word of the email, the name or a tag.
    pub search: Option<String>,
    #[serde(rename = "type")]
    pub kind: Vec<String>,
    pub status: Vec<String>,
    pub has_account: Option<bool>,
    /// Tag names (case-insensitive); a fan matches when it has any of them.
    pub tag: Vec<String>,
    pub daw: Vec<String>,
    pub type_of_music: Vec<String>,
    pub student_level: Vec<String>,
    pub score_min: Option<i64>,
    pub score_max: Option<i64>,
    /// Also show registered users who have no fan record in this store (the unified view).
    pub include_users: bool,
    /// A condition made by trusted code (a compiled segment), ANDed with the rest. Never read from
    /// or written to JSON: the window names a segment, it never sends SQL.
    #[serde(skip)]
    pub condition: Option<FanCondition>,
}

/// A boolean SQL expression over the fan `c` (`customers c`) with its `?` values in order, built
/// by trusted code only. This is how a compiled segment restricts any list of contacts (pages,
/// counts, bulk tags, export) without this crate depending on `fanbase-segments`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FanCondition {
    pub sql: String,
    pub binds: Vec<Bind>,
}

impl ContactFilter {
    /// A filter that only searches.
    pub fn search(text: &str) -> ContactFilter {
        ContactFilter { search: Some(text.to_string()), ..Default::default() }
    }

    /// The words of the search when searching is all the filter does to fans (the unified view's
    /// users may be included).
    pub(crate) fn only_words(&self) -> Option<Vec<String>> {
        if self.tests_fan_fields() || self.has_account.is_some() {
            return None;
        }
        match Search::parse(self.search.as_deref().unwrap_or("")) {
            Search::Words(words) => Some(words),
            Search::Everything | Search::Nothing => None,
        }
    }

    /// True when a filter tests something only fans have, so users without a fan record never match.
    fn tests_fan_fields(&self) -> bool {
        !(self.kind.is_empty()
            && self.status.is_empty()
            && self.tag.is_empty()
            && self.daw.is_empty()
            && self.type_of_music.is_empty()
            && self.student_level.is_empty())
            || self.score_min.is_some()
            || self.score_max.is_some()
            || self.condition.is_some()
    }
}

/// A value bound to a `?` placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bind {
    Int(i64),
    Text(String),
}

impl Bind {
    pub(crate) fn add_to(&self, args: &mut SqliteArguments<'_>) -> Result<()> {
        match self {
            Bind::Int(n) => args.add(*n),
            Bind::Text(s) => args.add(s.clone()),
        }
        .map_err(|e| Error::InvalidArgument(format!("cannot bind a value: {e}")))
    }
}

/// SQL text with `?` placeholders and the values for them, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sql {
    pub text: String,
    pub binds: Vec<Bind>,
}

impl Sql {
    pub(crate) fn push(&mut self, text: impl AsRef<str>) -> &mut Sql {
        self.text.push_str(text.as_ref());
        self
    }

    pub(crate) fn bind(&mut self, value: Bind) -> &mut Sql {
        self.binds.push(value);
        self
    }

    pub(crate) fn append(&mut self, other: &Sql) -> &mut Sql {
        self.text.push_str(&other.text);
        self.binds.extend(other.binds.iter().cloned());
        self
    }

    /// `AND cond`, with its values.
    fn and(&mut self, cond: &str, binds: impl IntoIterator<Item = Bind>) {
        self.text.push_str(" AND ");
        self.text.push_str(cond);
        self.binds.extend(binds);
    }

    pub(crate) fn arguments(&self) -> Result<SqliteArguments<'static>> {
        let mut args = SqliteArguments::default();
        for b in &self.binds {
            b.add_to(&mut args)?;
        }
        Ok(args)
    }
}

/// One condition of the filter on fans `c`, in the forms the query planner (plan.rs) chooses from.
#[derive(Debug, Clone)]
pub(crate) struct Cond {
    /// For SQLite's own planner: the column open to its indexes.
    pub open: Sql,
    /// Checked on a fan whose row `c` is read (`+c.col`: no index may lead with it).
    pub on_row: Sql,
    /// Checked on a fan knowing only `c.id`, by index probes, without reading the row (if possible).
    pub on_id: Option<Sql>,
    /// For a search matching a large share of the store: checked by asking the full-text index
    /// about this one fan, instead of first listing every match (cheaper when few rows are checked).
    pub on_id_dense: Option<Sql>,
    /// A subquery that lists the matching fans without reading `customers`, if there is one.
    pub driver: Option<Driver>,
    /// The column tested (`c.type`, ...): its index lists the matches in that column's order.
    pub column: Option<&'static str>,
    /// A search: its matches cluster in email and name order (the words are parts of them).
    pub text: bool,
}

/// A subquery listing candidate fans of the store, and how it joins `customers c`.
#[derive(Debug, Clone)]
pub(crate) struct Driver {
    /// Exactly the store's matching fans.
    pub from: Sql,
    /// The same, possibly with other stores' fans too, cheaper to list: for when `c.store_pk` is checked.
    pub fast: Sql,
    pub join: Join,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Join {
    /// `from` returns distinct fan ids of the store as `id`.
    Id,
    /// `from` returns distinct emails as `e` (any store): join on the store's email index.
    Email,
}

impl Sql {
    fn of(text: impl Into<String>, binds: &[Bind]) -> Sql {
        Sql { text: text.into(), binds: binds.to_vec() }
    }
}

impl Cond {
    /// `c.{col}{tail}` (e.g. ` IN (?, ?)`) on a column with an index `(store_pk, col, id)` named `index`.
    /// `probe_by_id`: the tail is an equality or IN, so the index can be probed with the id too.
    fn on_column(
        store_pk: i64,
        col: &'static str,
        index: &str,
        tail: &str,
        binds: Vec<Bind>,
        probe_by_id: bool,
    ) -> Cond {
        let with_store = |prefix: &str| {
            let mut b = vec![Bind::Int(store_pk)];
            b.extend(binds.iter().cloned());
            Sql::of(format!("{prefix} WHERE x.store_pk = ? AND {}", tail.replace("{c}", "x")), &b)
        };
        let on_id = probe_by_id.then(|| {
            let mut sql = with_store(&format!("EXISTS (SELECT 1 FROM customers x INDEXED BY {index}"));
            sql.push(" AND x.id = c.id)");
            sql
        });
        let from = with_store("SELECT x.id AS id FROM customers x");
        Cond {
            open: Sql::of(tail.replace("{c}", "c"), &binds),
            on_row: Sql::of(tail.replace("{c}", "+c"), &binds),
            on_id,
            on_id_dense: None,
            driver: Some(Driver { fast: from.clone(), from, join: Join::Id }),
            column: Some(match col {
                "type" => "c.type",
                "status" => "c.status",
                "daw" => "c.daw",
                "type_of_music" => "c.type_of_music",
                "student_level" => "c.student_level",
                _ => "c.score",
            }),
            text: false,
        }
    }

    /// Fans of the tags whose members `ids` lists; `probe` checks one fan by `c.id`.
    fn tagged(ids: Sql, probe: Sql) -> Cond {
        Cond {
            open: Sql::of(format!("c.id IN ({})", ids.text), &ids.binds),
            on_row: probe.clone(),
            on_id: Some(probe),
            on_id_dense: None,
            driver: Some(Driver { fast: ids.clone(), from: ids, join: Join::Id }),
            column: None,
            text: false,
        }
    }

    /// A search: `exact` lists the store's matching fans, `fast` the matches of every store; `probe`
    /// checks one fan by `c.id` (default: among the materialised `fast` list), `dense` by asking the
    /// full-text index about that fan alone.
    fn search(exact: Sql, fast: Sql, probe: Option<Sql>, dense: Sql) -> Cond {
        let listed = Sql::of(format!("+c.id IN ({})", fast.text), &fast.binds);
        let check = probe.unwrap_or(listed);
        Cond {
            open: Sql::of(format!("c.id IN ({})", fast.text), &fast.binds),
            on_row: check.clone(),
            on_id: Some(check),
            on_id_dense: Some(dense),
            driver: Some(Driver { from: exact, fast, join: Join::Id }),
            column: None,
            text: true,
        }
    }

    /// A condition on the row with no index of its own.
    fn row(open: &str, on_row: &str) -> Cond {
        Cond {
            open: Sql::of(open, &[]),
            on_row: Sql::of(on_row, &[]),
            on_id: None,
            on_id_dense: None,
            driver: None,
            column: None,
            text: false,
        }
    }
}

/// The filter, compiled for one store.
#[derive(Debug, Clone, Default)]
pub(crate) struct Compiled {
    /// Conditions on the store's fans `c`, all to hold.
    pub conds: Vec<Cond>,
    /// True when a condition can match no fan (an unknown tag, a search of punctuation only).
    pub never: bool,
    /// Conditions on users `u` without a fan record; `None` when the view shows no such users.
    pub users: Option<Sql>,
}

/// ` FROM ... WHERE ...` of the users `u` without a fan record in the store: no fan of the store
/// has `u`'s email (the store's `users_only` rows, kept by triggers) and `u` is the first user row
/// of that email. Binds one value: the store's pk. A store with fewer than `listed_max` such users
/// lists them from `users_only` (then sorts them); otherwise the users' sort index is walked.
pub(crate) async fn users_only_from(
    conn: &mut SqliteConnection,
    store_pk: i64,
    listed_max: i64,
) -> Result<&'static str> {
    let listed: i64 = sqlx::query_scalar("SELECT count(*) FROM (SELECT 1 FROM users_only WHERE store_pk = ? LIMIT ?)")
        .bind(store_pk)
        .bind(listed_max)
        .fetch_one(&mut *conn)
        .await?;
    Ok(if listed < listed_max {
        " FROM users_only o CROSS JOIN users u
             ON u.rowid = (SELECT min(x.rowid) FROM users x WHERE x.email_norm = o.email_norm)
         WHERE o.store_pk = ?"
    } else {
        " FROM users u
         WHERE EXISTS (SELECT 1 FROM users_only o WHERE o.store_pk = ? AND o.email_norm = u.email_norm)
           AND u.rowid = (SELECT min(x.rowid) FROM users x WHERE x.email_norm = u.email_norm)"
    })
}

/// Compiles `filter` for store `store_pk`. Looks up tag names (for the tag filter and for search
/// words that match tags), hence the connection.
pub(crate) async fn compile(conn: &mut SqliteConnection, store_pk: i64, filter: &ContactFilter) -> Result<Compiled> {
    let mut out = Compiled::default();
    // While a bulk load has the column indexes set aside, name none of them (`INDEXED BY`); asked
    // only when a column filter would name one.
    let column_filters = [&filter.kind, &filter.status, &filter.daw, &filter.type_of_music, &filter.student_level];
    let indexed = column_filters.iter().all(|v| v.is_empty()) || !indexes::any_set_aside(conn).await?;
    for (col, index, values, allowed) in [
        ("type", "customers_by_type", &filter.kind, Some(TYPES)),
        ("status", "customers_by_status", &filter.status, Some(STATUSES)),
        ("daw", "customers_by_daw", &filter.daw, None),
        ("type_of_music", "customers_by_genre", &filter.type_of_music, None),
        ("student_level", "customers_by_level", &filter.student_level, None),
    ] {
        if values.is_empty() {
            continue;
        }
        if let Some(allowed) = allowed {
            if let Some(bad) = values.iter().find(|v| !allowed.contains(&v.as_str())) {
                return Err(Error::InvalidArgument(format!("{col} {bad:?} is not one of {}", allowed.join(", "))));
            }
        }
        let tail = format!("{{c}}.{col} IN ({})", placeholders(values.len()));
        let binds = values.iter().map(|v| Bind::Text(v.clone())).collect();
        out.conds.push(Cond::on_column(store_pk, col, index, &tail, binds, indexed));
    }
    let score: Vec<(&str, i64)> = [("{c}.score >= ?", filter.score_min), ("{c}.score <= ?", filter.score_max)]
        .into_iter()
        .filter_map(|(op, v)| Some((op, v?)))
        .collect();
    if !score.is_empty() {
        let tail = score.iter().map(|(op, _)| *op).collect::<Vec<_>>().join(" AND ");
        let binds = score.iter().map(|(_, v)| Bind::Int(*v)).collect();
        out.conds.push(Cond::on_column(store_pk, "score", "customers_by_score", &tail, binds, false));
    }
    match filter.has_account {
        Some(true) => {
            // On a fan's row: one probe of users_by_email, not a list of every user's email built first.
            let mut cond = Cond::row(
                "c.email_norm IN (SELECT email_norm FROM users)",
                "EXISTS (SELECT 1 FROM users x WHERE x.email_norm = c.email_norm)",
            );
            let from = Sql::of("SELECT DISTINCT email_norm AS e FROM users", &[]);
            cond.driver = Some(Driver { fast: from.clone(), from, join: Join::Email });
            out.conds.push(cond);
        }
        Some(false) => out.conds.push(Cond::row(
            "c.email_norm NOT IN (SELECT email_norm FROM users)",
            "NOT EXISTS (SELECT 1 FROM users x WHERE x.email_norm = c.email_norm)",
        )),
        None => {}
    }
    if !filter.tag.is_empty() {
        let ids = tag_ids_named(conn, store_pk, &filter.tag).await?;
        if ids.is_empty() {
            out.never = true;
        } else {
            let marks = placeholders(ids.len());
            let binds: Vec<Bind> = ids.into_iter().map(Bind::Int).collect();
            let distinct = if binds.len() > 1 { "DISTINCT " } else { "" };
            let members = Sql::of(
                format!("SELECT {distinct}customer_id AS id FROM customer_tags WHERE tag_id IN ({marks})"),
                &binds,
            );
            let probe = Sql::of(
                format!(
                    "EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id IN ({marks}))"
                ),
                &binds,
            );
            out.conds.push(Cond::tagged(members, probe));
        }
    }

    if let Some(cond) = &filter.condition {
        let mut on_fan = Cond::row("", "");
        on_fan.open = Sql::of(format!("({})", cond.sql), &cond.binds);
        on_fan.on_row = on_fan.open.clone();
        out.conds.push(on_fan);
    }

    let search = Search::parse(filter.search.as_deref().unwrap_or(""));
    out.users =
        (filter.include_users && filter.has_account != Some(false) && !filter.tests_fan_fields()).then(Sql::default);
    match &search {
        Search::Everything => {}
        Search::Nothing => {
            out.never = true;
            if let Some(u) = out.users.as_mut() {
                u.and("0", []);
            }
        }
        Search::Words(words) => {
            search_fans(conn, store_pk, words, &mut out.conds).await?;
            if let Some(u) = out.users.as_mut() {
                u.and("u.rowid IN (SELECT rowid FROM users_fts WHERE users_fts MATCH ?)", [Bind::Text(all_of(words))]);
            }
        }
    }
    Ok(out)
}

/// Each word must match the email or name (contacts_fts) or one of the fan's tags (tags_fts). Words
/// that match no tag of the store are combined into one full-text query, the fast common case. The
/// store's token keeps an exact list to the store inside the index; where the store is checked on
/// the row anyway, the cheaper query without it is used.
async fn search_fans(
    conn: &mut SqliteConnection,
    store_pk: i64,
    words: &[String],
    conds: &mut Vec<Cond>,
) -> Result<()> {
    let anywhere = |phrases: &[String]| Bind::Text(in_email_or_name(phrases));
    let in_store =
        |phrases: &[String]| Bind::Text(format!("{} AND store: \"0s{store_pk}\"", in_email_or_name(phrases)));
    const FTS: &str = "SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ?";
    const ONE: &str = "EXISTS (SELECT 1 FROM contacts_fts WHERE contacts_fts MATCH ? AND rowid = c.id)";
    let mut plain = Vec::new();
    for word in words {
        let tag_ids: Vec<Bind> = tags_matching(conn, store_pk, word).await?.into_iter().map(Bind::Int).collect();
        if tag_ids.is_empty() {
            plain.push(word.clone());
            continue;
        }
        let one = std::slice::from_ref(word);
        let marks = placeholders(tag_ids.len());
        let union = format!("{FTS} UNION SELECT customer_id FROM customer_tags WHERE tag_id IN ({marks})");
        let with_tags = |fts: Bind| [vec![fts], tag_ids.clone()].concat();
        // Checking one fan: its text among the full-text matches, or one of the tags (a probe of
        // customer_tags' key instead of listing every fan with the tag).
        let probe = Sql::of(
            format!(
                "(+c.id IN ({FTS}) OR EXISTS (SELECT 1 FROM customer_tags ct
                   WHERE ct.customer_id = c.id AND ct.tag_id IN ({marks})))"
            ),
            &with_tags(anywhere(one)),
        );
        let dense = Sql::of(
            format!(
                "({ONE} OR EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id IN ({marks})))"
            ),
            &with_tags(anywhere(one)),
        );
        conds.push(Cond::search(
            Sql::of(&union, &with_tags(in_store(one))),
            Sql::of(&union, &with_tags(anywhere(one))),
            Some(probe),
            dense,
        ));
    }
    if !plain.is_empty() {
        conds.push(Cond::search(
            Sql::of(FTS, &[in_store(&plain)]),
            Sql::of(FTS, &[anywhere(&plain)]),
            None,
            Sql::of(ONE, &[anywhere(&plain)]),
        ));
    }
    Ok(())
}

/// The ids of the store's tags that the search word (an FTS5 prefix phrase) matches. A word of
/// one letter would match nearly every tag: it searches emails and names only.
pub(crate) async fn tags_matching(conn: &mut SqliteConnection, store_pk: i64, word: &str) -> Result<Vec<i64>> {
    if word.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_scalar(
        "SELECT t.id FROM tags t
         WHERE t.store_pk = ? AND t.id IN (SELECT rowid FROM tags_fts WHERE tags_fts MATCH ?)",
    )
    .bind(store_pk)
    .bind(word)
    .fetch_all(&mut *conn)
    .await?)
}

/// The ids of the store's tags with these names (compared after normalisation); unknown names are skipped.
pub(crate) async fn tag_ids_named(conn: &mut SqliteConnection, store_pk: i64, names: &[String]) -> Result<Vec<i64>> {
    let norms: Vec<String> = names.iter().map(|n| normalize_tag(n)).collect();
    let json = serde_json::to_string(&norms).map_err(|e| Error::InvalidArgument(e.to_string()))?;
    Ok(sqlx::query_scalar(
        "SELECT id FROM tags WHERE store_pk = ? AND name_norm IN (SELECT value FROM json_each(?)) ORDER BY id",
    )
    .bind(store_pk)
    .bind(json)
    .fetch_all(&mut *conn)
    .await?)
}

pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}
