//! The fans a search (or one filter condition) matches, gathered in memory as a sorted id list:
//! its length is the exact count, and a page walks its sort index checking each fan against the
//! list, instead of asking the full-text index about every fan or looking up every match.

use sqlx::{Row as _, SqliteConnection};

use super::filter::{tags_matching, Bind, Sql};
use super::search::in_email_or_name;
use crate::Result;

/// A page walk reads the sort index this many fans at a time at first; then as many as the
/// density of matches met so far calls for, within these bounds.
const FIRST_CHUNK: i64 = 512;
const MAX_CHUNK: i64 = 65_536;

/// The store's fans that a search (every word: the email, the name or a tag) or a condition matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Matches {
    /// Ascending, without repeats.
    ids: Vec<i64>,
}

impl Matches {
    /// Reads the matches of `words` (FTS5 prefix phrases, see `search::Search`) in the store.
    pub async fn gather(conn: &mut SqliteConnection, store_pk: i64, words: &[String]) -> Result<Matches> {
        // The store's own token narrows the full-text lists only when other stores have fans:
        // reading it costs more than the rest of the query.
        let alone: bool = sqlx::query_scalar(
            "SELECT NOT EXISTS (SELECT 1 FROM customers WHERE store_pk < ?1)
                AND NOT EXISTS (SELECT 1 FROM customers WHERE store_pk > ?1)",
        )
        .bind(store_pk)
        .fetch_one(&mut *conn)
        .await?;
        let text = |phrases: &[String]| {
            let words = in_email_or_name(phrases);
            if alone {
                words
            } else {
                format!("{words} AND store: \"0s{store_pk}\"")
            }
        };
        let mut sets: Vec<Vec<i64>> = Vec::new();
        let mut plain: Vec<String> = Vec::new();
        for word in words {
            let tag_ids = tags_matching(conn, store_pk, word).await?;
            if tag_ids.is_empty() {
                plain.push(word.clone());
                continue;
            }
            let mut ids = text_ids(conn, &text(std::slice::from_ref(word))).await?;
            let json = serde_json::to_string(&tag_ids).expect("ids serialize");
            let tagged: Option<String> = sqlx::query_scalar(
                "SELECT group_concat(customer_id) FROM customer_tags
                 WHERE tag_id IN (SELECT value FROM json_each(?))",
            )
            .bind(json)
            .fetch_one(&mut *conn)
            .await?;
            ids.extend(parse_ids(tagged.as_deref()));
            sets.push(ids);
        }
        if !plain.is_empty() {
            sets.push(text_ids(conn, &text(&plain)).await?);
        }
        let mut sets = sets.into_iter().map(|mut ids| {
            ids.sort_unstable();
            ids.dedup();
            ids
        });
        let mut ids = sets.next().unwrap_or_default();
        for other in sets {
            ids.retain(|id| other.binary_search(id).is_ok());
        }
        Ok(Matches { ids })
    }

    /// The fans listed by `sql` (` FROM ... WHERE ...` naming each fan's id `c.id`).
    pub async fn listed_by(conn: &mut SqliteConnection, sql: &Sql) -> Result<Matches> {
        let mut query = Sql::default();
        query.push("SELECT group_concat(c.id)").append(sql);
        let list: Option<String> =
            sqlx::query_scalar_with(&query.text, query.arguments()?).fetch_one(&mut *conn).await?;
        let mut ids = parse_ids(list.as_deref());
        ids.sort_unstable();
        ids.dedup();
        Ok(Matches { ids })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn contains(&self, id: i64) -> bool {
        self.ids.binary_search(&id).is_ok()
    }
}

/// ` FROM ... WHERE ...` of the fans a page of the search `m` may show (the page query then seeks
/// past the anchor, orders them and keeps the page). `prefix` is the search when it is a single
/// plain word (see `plain_prefix`).
pub(crate) async fn page_from(
    conn: &mut SqliteConnection,
    m: &Matches,
    walk: Walk<'_>,
    prefix: Option<&str>,
    walk_above: i64,
) -> Result<Sql> {
    if m.len() == 0 {
        return Ok(listed(&[], None));
    }
    let text_sorted = walk.col == "c.email_norm" || walk.col == "c.name";
    // The matches' emails and names, for sorting them, from the narrow index keyed by id.
    let narrow = text_sorted.then_some("customers_text_by_id");
    // Dense matches: a short walk along the sort index meets a page of them.
    if m.len() as i64 > walk_above {
        let walk = Walk { range: None, ..walk.clone() };
        if let Some(ids) = first_in_order(conn, m, walk).await? {
            return Ok(listed(&ids, None));
        }
    }
    // Sorted by email or name, a word's matches mostly begin with it: they fill one range of the
    // sort index. The page is then among the first matches of that range and the few others.
    if let Some(word) = prefix.filter(|_| text_sorted) {
        let range = (Bind::Text(word.to_string()), Bind::Text(format!("{word}\u{10FFFF}")));
        let mut sql = Sql::default();
        sql.push(format!(
            "SELECT group_concat(c.id) FROM customers c WHERE c.store_pk = ? AND {col} >= ? AND {col} < ?",
            col = walk.col
        ))
        .bind(Bind::Int(walk.store_pk))
        .bind(range.0.clone())
        .bind(range.1.clone());
        let list: Option<String> = sqlx::query_scalar_with(&sql.text, sql.arguments()?).fetch_one(&mut *conn).await?;
        let mut in_range = parse_ids(list.as_deref());
        in_range.sort_unstable();
        let mut candidates: Vec<i64> = m.ids.iter().copied().filter(|id| in_range.binary_search(id).is_err()).collect();
        if candidates.len() <= m.len() / 2 {
            let walk = Walk { budget: i64::MAX, range: Some(range), ..walk };
            let first = first_in_order(conn, m, walk).await?.expect("a walk without a budget ends");
            candidates.extend(first);
            return Ok(listed(&candidates, narrow));
        }
    }
    Ok(listed(&m.ids, narrow))
}

/// A search of one word of ASCII letters and digits, lowercased: the fans whose email (or name)
/// begins with it match it.
pub(crate) fn plain_prefix(search: &str) -> Option<String> {
    let mut words = search.split_whitespace();
    let word = words.next()?;
    (words.next().is_none() && word.chars().all(|c| c.is_ascii_alphanumeric())).then(|| word.to_ascii_lowercase())
}

/// ` FROM ... WHERE ...` of the fans `ids`, read through `index` when one is named (a fixed name
/// from the migrations: the narrow index keyed by id that holds the email and the name).
fn listed(ids: &[i64], index: Option<&'static str>) -> Sql {
    let json = serde_json::to_string(ids).expect("ids serialize");
    let indexed = index.map(|i| format!(" INDEXED BY {i}")).unwrap_or_default();
    let mut sql = Sql::default();
    sql.push(format!(" FROM json_each(?) AS h CROSS JOIN customers c{indexed} ON c.id = h.value WHERE 1"))
        .bind(Bind::Text(json));
    sql
}

/// The ids of the contacts that `expression` matches in contacts_fts.
async fn text_ids(conn: &mut SqliteConnection, expression: &str) -> Result<Vec<i64>> {
    let list: Option<String> =
        sqlx::query_scalar("SELECT group_concat(rowid) FROM contacts_fts WHERE contacts_fts MATCH ?")
            .bind(expression)
            .fetch_one(&mut *conn)
            .await?;
    Ok(parse_ids(list.as_deref()))
}

/// `1,2,3` (a `group_concat` of ids) as numbers; one list in a string is much cheaper to move
/// out of SQLite than a row per id.
fn parse_ids(list: Option<&str>) -> Vec<i64> {
    list.unwrap_or("").split(',').filter_map(|n| n.parse().ok()).collect()
}

/// Where a page walk starts and which way it goes.
#[derive(Clone)]
pub(crate) struct Walk<'a> {
    pub store_pk: i64,
    /// The sort column (a `SortField::column`, fixed text).
    pub col: &'static str,
    pub ascending: bool,
    /// The sort value and id of the row the page follows.
    pub anchor: Option<&'a (Bind, i64)>,
    /// Matches to find.
    pub want: usize,
    /// Fans to read at most before giving up (the first chunk is always read).
    pub budget: i64,
    /// Only fans whose sort value lies in `[from, to)`.
    pub range: Option<(Bind, Bind)>,
}

/// The ids of the first `walk.want` matches in the sort order after the anchor, or all that follow
/// it; `None` when `walk.budget` fans were read without finding them (their matches sit later in
/// the order, so listing the matches costs less).
pub(crate) async fn first_in_order(
    conn: &mut SqliteConnection,
    m: &Matches,
    walk: Walk<'_>,
) -> Result<Option<Vec<i64>>> {
    let (cmp, dir) = if walk.ascending { (">", "ASC") } else { ("<", "DESC") };
    let col = walk.col;
    let mut anchor: Option<(Bind, i64)> = walk.anchor.cloned();
    let mut found = Vec::new();
    let mut chunk = FIRST_CHUNK;
    let mut read = 0;
    loop {
        let mut sql = Sql::default();
        sql.push("SELECT group_concat(id) FROM (SELECT c.id AS id FROM customers c WHERE c.store_pk = ?")
            .bind(Bind::Int(walk.store_pk));
        if let Some((value, id)) = &anchor {
            sql.push(format!(" AND ({col}, c.id) {cmp} (?, ?)")).bind(value.clone()).bind(Bind::Int(*id));
        }
        if let Some((from, to)) = &walk.range {
            sql.push(format!(" AND {col} >= ? AND {col} < ?")).bind(from.clone()).bind(to.clone());
        }
        sql.push(format!(" ORDER BY {col} {dir}, c.id {dir} LIMIT ?)")).bind(Bind::Int(chunk));
        let list: Option<String> = sqlx::query_scalar_with(&sql.text, sql.arguments()?).fetch_one(&mut *conn).await?;
        let ids = parse_ids(list.as_deref());
        read += ids.len() as i64;
        for &id in &ids {
            if m.contains(id) {
                found.push(id);
                if found.len() == walk.want {
                    return Ok(Some(found));
                }
            }
        }
        let Some(&last) = ids.last() else { return Ok(Some(found)) };
        if (ids.len() as i64) < chunk {
            return Ok(Some(found));
        }
        if read >= walk.budget {
            return Ok(None);
        }
        let row = sqlx::query(&format!("SELECT {col} FROM customers c WHERE c.id = ?"))
            .bind(last)
            .fetch_one(&mut *conn)
            .await?;
        let value = match row.try_get::<i64, _>(0) {
            Ok(n) => Bind::Int(n),
            Err(_) => Bind::Text(row.try_get(0)?),
        };
        anchor = Some((value, last));
        // Enough fans for the matches still wanted at the density met so far, with a margin.
        chunk = match found.len() {
            0 => chunk * 4,
            n => ((walk.want - n) as f64 * read as f64 / n as f64 * 1.25) as i64,
        }
        .clamp(FIRST_CHUNK, MAX_CHUNK);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_parse() {
        assert_eq!(parse_ids(None), Vec::<i64>::new(), "no match: group_concat gives NULL");
        assert_eq!(parse_ids(Some("3,1,20")), vec![3, 1, 20]);
    }

    #[test]
    fn only_one_plain_word_is_a_prefix_of_emails_and_names() {
        assert_eq!(plain_prefix(" Mar "), Some("mar".into()));
        assert_eq!(plain_prefix("alex kim"), None, "two words");
        assert_eq!(plain_prefix("o'b"), None, "punctuation is not in the tokens");
        assert_eq!(plain_prefix("mé"), None, "accents are folded by the index, not by the sort order");
    }
}
