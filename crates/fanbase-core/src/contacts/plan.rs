//! How a filtered read of the contacts view reaches its rows. SQLite keeps no statistics here, so
//! we choose, with small bounded probes (`LIMIT cap`): when one condition lists few fans (a search,
//! a tag, a rare status...) the query starts from that list (`CROSS JOIN` fixes the order) and
//! reads only those rows; otherwise a page walks the sort column's index and checks each fan by
//! index probes where it can, so that most candidates are never read from the table.

use sqlx::SqliteConnection;

use super::filter::{Bind, Compiled, Cond, Join, Sql};
use super::matches::Matches;
use crate::Result;

/// Where the choices tip over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Caps {
    /// A page starts from a condition's list below this size: reading that many rows costs less
    /// than walking the sort index to find a page among evenly spread matches.
    pub page: i64,
    /// The same for a search when sorting by email or name: its matches then sit together in the
    /// sort order (the words are parts of emails and names), so walking the index may pass most of it.
    pub page_clustered: i64,
    /// A search matching at least this many fans is checked fan by fan in the full-text index
    /// while walking the sort index (a page then checks a few hundred fans), instead of listing
    /// every match first.
    pub dense: i64,
    /// A count (or a bulk edit) starts from the smallest list below this size; above it SQLite's
    /// own plan is as good.
    pub count: i64,
    /// A search alone is gathered in memory (`matches.rs`): its count is the number of matches...
    pub gather: bool,
    /// ...and a page of more matches than this walks the sort index checking fans against them...
    pub walk: i64,
    /// ...reading at most this many fans per match before it lists the matches instead (a walk
    /// reads a fan about ten times faster than a match is looked up).
    pub walk_per_match: i64,
    /// One condition listing fewer fans than this is gathered in memory for a page, like a search.
    pub gather_max: i64,
    /// The unified view lists the users without a fan record from `users_only` when they are
    /// fewer than this; more, and it walks the users' sort index.
    pub users_listed: i64,
}

impl Default for Caps {
    fn default() -> Caps {
        Caps {
            page: 5_000,
            page_clustered: 100_000,
            dense: 150_000,
            count: 120_000,
            gather: true,
            walk: 5_000,
            walk_per_match: 1,
            gather_max: 40_000,
            users_listed: 20_000,
        }
    }
}

/// Which condition starts the query, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// From the driver of `conds[i]`; the other conditions are checked per fan.
    Driver(usize),
    /// From the store's fans; every condition checked per fan.
    Store,
}

/// The number of fans `cond`'s driver lists, counting no further than `cap`.
async fn probe(conn: &mut SqliteConnection, cond: &Cond, cap: i64) -> Result<Option<i64>> {
    let Some(driver) = &cond.driver else { return Ok(None) };
    let mut sql = Sql::default();
    sql.push("SELECT count(*) FROM (SELECT 1 FROM (").append(&driver.fast).push(") LIMIT ?)").bind(Bind::Int(cap));
    Ok(Some(sqlx::query_scalar_with(&sql.text, sql.arguments()?).fetch_one(&mut *conn).await?))
}

/// The condition whose list is the shortest below its cap (`cap_of` gives each one's cap).
async fn smallest(conn: &mut SqliteConnection, conds: &[Cond], cap_of: impl Fn(&Cond) -> i64) -> Result<Start> {
    let sizes = sizes(conn, conds, &cap_of).await?;
    Ok(pick(conds, &sizes, cap_of))
}

/// Each condition's list size, counted up to `probe_cap` (`None` without a list).
async fn sizes(
    conn: &mut SqliteConnection,
    conds: &[Cond],
    probe_cap: impl Fn(&Cond) -> i64,
) -> Result<Vec<Option<i64>>> {
    let mut sizes = Vec::with_capacity(conds.len());
    for cond in conds {
        sizes.push(probe(conn, cond, probe_cap(cond)).await?);
    }
    Ok(sizes)
}

fn pick(conds: &[Cond], sizes: &[Option<i64>], cap_of: impl Fn(&Cond) -> i64) -> Start {
    let mut best: Option<(usize, i64)> = None;
    for (i, (cond, size)) in conds.iter().zip(sizes).enumerate() {
        if let Some(n) = *size {
            if n < cap_of(cond) && best.is_none_or(|(_, m)| n < m) {
                best = Some((i, n));
            }
        }
    }
    best.map_or(Start::Store, |(i, _)| Start::Driver(i))
}

/// ` FROM ... WHERE ...` of a page's candidates in the order of `sort_col` (a `SortField::column`).
pub(crate) async fn page_from(
    conn: &mut SqliteConnection,
    store_pk: i64,
    compiled: &Compiled,
    sort_col: &str,
    caps: Caps,
) -> Result<Sql> {
    let mut sql = Sql::default();
    if compiled.never {
        sql.push(" FROM customers c WHERE 0");
        return Ok(sql);
    }
    let text_sorted = sort_col == "c.email_norm" || sort_col == "c.name";
    let cap_of = |c: &Cond| if c.text && text_sorted { caps.page_clustered } else { caps.page };
    // A search is counted further, to know whether it is dense.
    let sizes = sizes(conn, &compiled.conds, |c| if c.text { caps.dense.max(cap_of(c)) } else { cap_of(c) }).await?;
    let start = pick(&compiled.conds, &sizes, cap_of);
    match start {
        Start::Driver(i) => {
            let by_id = compiled.conds[i].driver.as_ref().is_some_and(|d| d.join == Join::Id);
            match compiled.conds.len() {
                // Email or name for each listed fan, from the narrow index keyed by id: no table
                // row is read before the page is known.
                1 if text_sorted && by_id => {
                    driven_from_indexed(&mut sql, store_pk, compiled, i, "customers_text_by_id");
                }
                // The rows are read anyway (for their sort value): check the rest on them.
                _ => {
                    driven_from(&mut sql, store_pk, compiled, i);
                    for cond in others(compiled, i) {
                        sql.push(" AND ").append(&cond.on_row);
                    }
                }
            }
        }
        Start::Store => {
            sql.push(" FROM customers c WHERE c.store_pk = ?").bind(Bind::Int(store_pk));
            for (cond, size) in compiled.conds.iter().zip(&sizes) {
                // A condition on the sort column narrows the same index walk; others are checked
                // by probes that leave the row unread when they can.
                let dense = cond.on_id_dense.as_ref().filter(|_| size.is_some_and(|n| n >= caps.dense));
                let form = match dense {
                    Some(dense) => dense,
                    None if cond.column == Some(sort_col) => &cond.open,
                    None => cond.on_id.as_ref().unwrap_or(&cond.on_row),
                };
                sql.push(" AND ").append(form);
            }
        }
    }
    Ok(sql)
}

/// The fans of a filter with one condition whose list holds between `caps.page` and
/// `caps.gather_max` fans, gathered in memory; `None` for any other filter (see `page_from`).
pub(crate) async fn gather_one(
    conn: &mut SqliteConnection,
    compiled: &Compiled,
    caps: Caps,
) -> Result<Option<Matches>> {
    let [cond] = compiled.conds.as_slice() else { return Ok(None) };
    let Some(driver) = cond.driver.as_ref().filter(|d| caps.gather && d.join == Join::Id) else { return Ok(None) };
    let size = probe(conn, cond, caps.gather_max).await?.unwrap_or(i64::MAX);
    if size < caps.page || size >= caps.gather_max {
        return Ok(None);
    }
    let mut from = Sql::default();
    from.push(" FROM (").append(&driver.from).push(") AS c");
    Ok(Some(Matches::listed_by(conn, &from).await?))
}

/// ` FROM ... WHERE ...` of every fan the filter matches, with `c.id` available (counts, bulk edits).
pub(crate) async fn all_from(
    conn: &mut SqliteConnection,
    store_pk: i64,
    compiled: &Compiled,
    caps: Caps,
) -> Result<Sql> {
    let mut sql = Sql::default();
    if compiled.never {
        sql.push(" FROM customers c WHERE 0");
        return Ok(sql);
    }
    // A single condition with a list needs no probe: the list is the answer.
    let start = match compiled.conds.as_slice() {
        [only] if only.driver.is_some() => Start::Driver(0),
        conds => smallest(conn, conds, |_| caps.count).await?,
    };
    match start {
        Start::Driver(i) => {
            // Index probes instead of reading the row pay off for one other condition, not for two.
            let probes: Option<Vec<&Sql>> =
                others(compiled, i).map(|c| c.on_id.as_ref()).collect::<Option<_>>().filter(|p: &Vec<_>| p.len() <= 1);
            let driver = compiled.conds[i].driver.as_ref().expect("a chosen condition has a driver");
            match (probes, driver.join) {
                // Only ids and index probes: no row of customers is read.
                (Some(probes), Join::Id) => {
                    sql.push(" FROM (").append(&driver.from).push(") AS c WHERE 1");
                    for p in probes {
                        sql.push(" AND ").append(p);
                    }
                }
                (Some(probes), Join::Email) => {
                    driven_from(&mut sql, store_pk, compiled, i);
                    for p in probes {
                        sql.push(" AND ").append(p);
                    }
                }
                (None, _) => {
                    driven_from(&mut sql, store_pk, compiled, i);
                    for cond in others(compiled, i) {
                        sql.push(" AND ").append(&cond.on_row);
                    }
                }
            }
        }
        Start::Store => {
            sql.push(" FROM customers c WHERE c.store_pk = ?").bind(Bind::Int(store_pk));
            for cond in &compiled.conds {
                sql.push(" AND ").append(&cond.open);
            }
        }
    }
    Ok(sql)
}

/// `SELECT count(*) ...` of the fans `compiled` matches in the store.
pub(crate) async fn count_fans(
    conn: &mut SqliteConnection,
    store_pk: i64,
    compiled: &Compiled,
    caps: Caps,
) -> Result<Sql> {
    let mut sql = Sql::default();
    sql.push("SELECT count(*)").append(&all_from(conn, store_pk, compiled, caps).await?);
    Ok(sql)
}

fn driven_from(sql: &mut Sql, store_pk: i64, compiled: &Compiled, i: usize) {
    driven_from_indexed(sql, store_pk, compiled, i, "");
}

/// ` FROM (driver) AS h CROSS JOIN customers c ... WHERE c.store_pk = ?`, reading `c` through
/// `index` when one is named (a fixed name from the migrations).
fn driven_from_indexed(sql: &mut Sql, store_pk: i64, compiled: &Compiled, i: usize, index: &str) {
    let driver = compiled.conds[i].driver.as_ref().expect("a chosen condition has a driver");
    let on = match driver.join {
        Join::Id => "c.id = h.id",
        Join::Email => "c.email_norm = h.e",
    };
    let indexed = if index.is_empty() { String::new() } else { format!(" INDEXED BY {index}") };
    sql.push(" FROM (").append(&driver.fast).push(format!(") AS h CROSS JOIN customers c{indexed} ON {on}"));
    sql.push(" WHERE c.store_pk = ?").bind(Bind::Int(store_pk));
}

fn others(compiled: &Compiled, i: usize) -> impl Iterator<Item = &Cond> {
    compiled.conds.iter().enumerate().filter(move |(j, _)| *j != i).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::Caps;
    use crate::contacts::count::count_planned;
    use crate::contacts::page::page_planned;
    use crate::contacts::{ContactFilter, PageRequest, Sort, SortField};
    use crate::{demo, Db};

    async fn walk(db: &Db, filter: &ContactFilter, sort: Sort, caps: Caps) -> Vec<i64> {
        let mut ids = Vec::new();
        let mut after = None;
        loop {
            let req = PageRequest { sort, after, limit: 150, ..Default::default() };
            let page = page_planned(db, "s", filter, &req, caps).await.unwrap();
            ids.extend(page.rows.iter().map(|r| r.id));
            after = page.next;
            if after.is_none() {
                return ids;
            }
        }
    }

    /// The same rows read from the end, page by page backward, in display order.
    async fn walk_back(db: &Db, filter: &ContactFilter, sort: Sort, caps: Caps) -> Vec<i64> {
        let mut pages = Vec::new();
        let mut req = PageRequest { sort, from_end: true, limit: 150, ..Default::default() };
        loop {
            let page = page_planned(db, "s", filter, &req, caps).await.unwrap();
            pages.push(page.rows.iter().map(|r| r.id).collect::<Vec<_>>());
            match page.prev {
                None => return pages.into_iter().rev().flatten().collect(),
                Some(before) => req = PageRequest { sort, before: Some(before), limit: 150, ..Default::default() },
            }
        }
    }

    /// Every way of reaching the rows must give the same pages and counts; only the speed differs.
    #[tokio::test]
    async fn every_plan_gives_the_same_rows_and_counts() {
        let db = Db::open_in_memory().await.unwrap();
        demo::fill(&db, "s", 3000, 9, 1_700_000_000_000).await.unwrap();
        // Fans of another store, with the same kinds of names and tags, must never leak in.
        demo::fill(&db, "other", 700, 10, 1_700_000_000_000).await.unwrap();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let filters = [
            ContactFilter::search("ma"),
            // One plain word whose matches begin their emails and names: the range walk.
            ContactFilter::search("Mar"),
            ContactFilter::search("vip"),
            ContactFilter::search("alex sm"),
            ContactFilter { tag: s(&["vip", "edm"]), ..Default::default() },
            ContactFilter { kind: s(&["paying"]), score_min: Some(40), ..Default::default() },
            ContactFilter { status: s(&["bounced"]), daw: s(&["ableton", ""]), ..Default::default() },
            ContactFilter {
                type_of_music: s(&["techno", "House"]),
                student_level: s(&["advanced"]),
                ..Default::default()
            },
            ContactFilter { has_account: Some(true), ..Default::default() },
            ContactFilter { has_account: Some(true), kind: s(&["lead"]), tag: s(&["vip"]), ..Default::default() },
            ContactFilter { has_account: Some(false), tag: s(&["house"]), ..Default::default() },
            ContactFilter { search: Some("m".into()), kind: s(&["lead"]), tag: s(&["techno"]), ..Default::default() },
            ContactFilter { search: Some("a".into()), score_max: Some(30), ..Default::default() },
            ContactFilter { include_users: true, search: Some("a".into()), ..Default::default() },
        ];
        let always_store =
            Caps { page: 0, page_clustered: 0, dense: 0, count: 0, gather: false, users_listed: 0, ..Caps::default() };
        let store_with_lists = Caps { dense: i64::MAX, ..always_store };
        let always_driver = Caps {
            page: i64::MAX,
            page_clustered: i64::MAX,
            dense: i64::MAX,
            count: i64::MAX,
            gather: false,
            ..Caps::default()
        };
        // Walks that always reach their page, and walks that give up after their first chunk.
        // (`page: 0`: any one condition with a list is gathered in memory too.)
        let always_walk = Caps { page: 0, walk: 0, walk_per_match: i64::MAX, ..Caps::default() };
        let walk_gives_up = Caps { page: 0, walk: 0, walk_per_match: 0, ..Caps::default() };
        for f in &filters {
            let want = count_planned(&db, "s", f, always_store).await.unwrap();
            assert!(want > 0, "the filter {f:?} matches some of the demo fans");
            assert_eq!(count_planned(&db, "s", f, always_driver).await.unwrap(), want, "{f:?}: counts agree");
            assert_eq!(count_planned(&db, "s", f, Caps::default()).await.unwrap(), want, "{f:?}: counts agree");
            assert_eq!(count_planned(&db, "s", f, always_walk).await.unwrap(), want, "{f:?}: counts agree");
            for sort in [
                Sort { field: SortField::Email, desc: false },
                Sort { field: SortField::Name, desc: true },
                Sort { field: SortField::Score, desc: false },
                Sort { field: SortField::Type, desc: true },
                Sort { field: SortField::StudentLevel, desc: false },
            ] {
                let by_store = walk(&db, f, sort, always_store).await;
                assert_eq!(by_store.len() as i64, want, "{f:?} {sort:?}: the pages hold every match");
                assert_eq!(walk(&db, f, sort, always_driver).await, by_store, "{f:?} {sort:?}: same pages");
                assert_eq!(walk(&db, f, sort, store_with_lists).await, by_store, "{f:?} {sort:?}: same pages");
                assert_eq!(walk(&db, f, sort, always_walk).await, by_store, "{f:?} {sort:?}: same pages");
                assert_eq!(walk(&db, f, sort, walk_gives_up).await, by_store, "{f:?} {sort:?}: same pages");
                assert_eq!(walk_back(&db, f, sort, always_walk).await, by_store, "{f:?} {sort:?}: backward");
                assert_eq!(walk_back(&db, f, sort, walk_gives_up).await, by_store, "{f:?} {sort:?}: backward");
            }
        }
    }
}
