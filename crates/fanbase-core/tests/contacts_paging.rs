//! Keyset paging over a real database file: under every sort, both directions, with ties, every
//! contact appears exactly once and in the order an independent sort in Rust gives.

mod seed;

use std::cmp::Ordering;
use std::collections::HashSet;

use fanbase_core::contacts::{self, ContactFilter, PageRequest, Sort, SortField};
use fanbase_core::{demo, Db};

const FIELDS: &[SortField] = &[
    SortField::Email,
    SortField::Name,
    SortField::Type,
    SortField::Status,
    SortField::Score,
    SortField::Daw,
    SortField::TypeOfMusic,
    SortField::StudentLevel,
    SortField::LastOpenDate,
    SortField::CreatedAt,
    SortField::TotalSpent,
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Int(i64),
    /// Compared byte-wise after ASCII lower-casing when `nocase` (SQLite's NOCASE), else byte-wise.
    Text(String, bool),
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> Ordering {
        match (self, other) {
            (Key::Int(a), Key::Int(b)) => a.cmp(b),
            (Key::Text(a, nocase), Key::Text(b, _)) if *nocase => {
                a.bytes().map(|c| c.to_ascii_lowercase()).cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
            }
            (Key::Text(a, _), Key::Text(b, _)) => a.as_bytes().cmp(b.as_bytes()),
            _ => unreachable!("one field has one kind of key"),
        }
    }
}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Every fan of the store with its key under `field`, sorted independently of the SQL under test.
async fn expected(db: &Db, store_pk: i64, field: SortField, desc: bool, filter_sql: &str) -> Vec<i64> {
    let (col, nocase, int) = match field {
        SortField::Email => ("email_norm", false, false),
        SortField::Name => ("name", true, false),
        SortField::Type => ("type", false, false),
        SortField::Status => ("status", false, false),
        SortField::Score => ("score", false, true),
        SortField::Daw => ("daw", true, false),
        SortField::TypeOfMusic => ("type_of_music", true, false),
        SortField::StudentLevel => ("student_level", true, false),
        SortField::LastOpenDate => ("last_open_date", false, true),
        SortField::CreatedAt => ("created_at", false, true),
        SortField::TotalSpent => ("total_spent_cents", false, true),
    };
    let sql = format!("SELECT id, CAST({col} AS TEXT) FROM customers WHERE store_pk = ? {filter_sql}");
    let rows: Vec<(i64, String)> = sqlx::query_as(&sql).bind(store_pk).fetch_all(db.pool()).await.unwrap();
    let mut keyed: Vec<(Key, i64)> = rows
        .into_iter()
        .map(|(id, v)| (if int { Key::Int(v.parse().unwrap()) } else { Key::Text(v, nocase) }, id))
        .collect();
    keyed.sort();
    if desc {
        keyed.reverse();
    }
    keyed.into_iter().map(|(_, id)| id).collect()
}

async fn walk_forward(db: &Db, filter: &ContactFilter, sort: Sort, limit: u32) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let req = PageRequest { sort, after: after.clone(), limit, ..Default::default() };
        let page = contacts::page_matching(db, seed::STORE, filter, &req).await.unwrap();
        assert!(page.rows.len() <= limit as usize, "a page never holds more than the limit");
        if after.is_some() {
            assert!(page.prev.is_some(), "a page reached with `after` can go back");
        }
        ids.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(n) => {
                assert_eq!(page.rows.len(), limit as usize, "only the last page is short ({sort:?})");
                after = Some(n);
            }
            None => break,
        }
    }
    ids
}

async fn walk_backward(db: &Db, filter: &ContactFilter, sort: Sort, limit: u32) -> Vec<i64> {
    let mut pages = Vec::new();
    let mut req = PageRequest { sort, from_end: true, limit, ..Default::default() };
    loop {
        let page = contacts::page_matching(db, seed::STORE, filter, &req).await.unwrap();
        pages.push(page.rows.iter().map(|r| r.id).collect::<Vec<_>>());
        match page.prev {
            Some(p) => req = PageRequest { sort, before: Some(p), limit, ..Default::default() },
            None => break,
        }
    }
    pages.into_iter().rev().flatten().collect()
}

fn assert_no_dups(ids: &[i64], what: &str) {
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{what}: a contact appeared twice");
}

#[tokio::test]
async fn every_sort_pages_without_duplicates_or_gaps_both_ways() {
    let (_dir, db, pk) = seed::db().await;
    demo::fill(&db, seed::STORE, 1200, 3, 1_700_000_000_000).await.unwrap();
    // Another store's fans must never show up.
    demo::fill(&db, "other-store", 150, 4, 1_700_000_000_000).await.unwrap();
    // Ties beyond what the demo makes: same name in different case, same score.
    for i in 0..30 {
        let name = if i % 2 == 0 { "ZED Twin" } else { "zed twin" };
        seed::fan(&db, pk, seed::Fan::new(&format!("twin{i}@example.com")).name(name).score(42)).await;
    }
    let all = ContactFilter::default();
    let total = contacts::count(&db, seed::STORE).await.unwrap();
    assert_eq!(total, 1230);
    for &field in FIELDS {
        for desc in [false, true] {
            let sort = Sort { field, desc };
            let want = expected(&db, pk, field, desc, "").await;
            let forward = walk_forward(&db, &all, sort, 97).await;
            assert_no_dups(&forward, &format!("{sort:?} forward"));
            assert_eq!(forward.len() as i64, total, "{sort:?}: forward paging must reach every contact");
            assert_eq!(forward, want, "{sort:?}: forward order must be (value, id) with the column's collation");
            let backward = walk_backward(&db, &all, sort, 97).await;
            assert_eq!(backward, want, "{sort:?}: paging back from the end must give the same sequence");
        }
    }
}

#[tokio::test]
async fn filtered_paging_is_exact_too() {
    let (_dir, db, pk) = seed::db().await;
    demo::fill(&db, seed::STORE, 900, 5, 1_700_000_000_000).await.unwrap();
    let filter =
        ContactFilter { kind: vec!["lead".into()], score_min: Some(10), score_max: Some(80), ..Default::default() };
    for (field, desc) in [(SortField::Name, false), (SortField::Score, true), (SortField::Daw, false)] {
        let sort = Sort { field, desc };
        let want = expected(&db, pk, field, desc, "AND type = 'lead' AND score BETWEEN 10 AND 80").await;
        assert!(want.len() > 100, "the filter leaves several pages");
        assert_eq!(walk_forward(&db, &filter, sort, 50).await, want, "{sort:?} filtered forward");
        assert_eq!(walk_backward(&db, &filter, sort, 50).await, want, "{sort:?} filtered backward");
        assert_eq!(contacts::count_matching(&db, seed::STORE, &filter).await.unwrap(), want.len() as i64);
    }
}

#[tokio::test]
async fn a_cursor_of_another_sort_or_a_bad_limit_is_refused() {
    let (_dir, db, _pk) = seed::db().await;
    demo::fill(&db, seed::STORE, 20, 1, 1_700_000_000_000).await.unwrap();
    let by_name = Sort { field: SortField::Name, desc: false };
    let page =
        contacts::page(&db, seed::STORE, &PageRequest { sort: by_name, limit: 5, ..Default::default() }).await.unwrap();
    let other = PageRequest { sort: Sort::default(), after: page.next, limit: 5, ..Default::default() };
    let err = contacts::page(&db, seed::STORE, &other).await.unwrap_err();
    assert_eq!(err.code(), "INVALID_CURSOR", "a cursor only works with the sort it was made for");
    let zero = PageRequest { limit: 0, ..Default::default() };
    assert_eq!(contacts::page(&db, seed::STORE, &zero).await.unwrap_err().code(), "INVALID_ARGUMENT");
    let garbage = PageRequest { after: Some("not a cursor".into()), limit: 5, ..Default::default() };
    assert_eq!(contacts::page(&db, seed::STORE, &garbage).await.unwrap_err().code(), "INVALID_CURSOR");
}
