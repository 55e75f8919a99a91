//! Keyset paging on a real database file: every row exactly once, forward and backward, any sort.

use std::collections::HashSet;

use fanbase_core::contacts::{self, PageRequest, Sort, SortField};
use fanbase_core::{demo, Db};

async fn seeded(rows: u64) -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("fans.db")).await.unwrap();
    demo::fill(&db, "s1", rows, 42, 1_700_000_000_000).await.unwrap();
    (dir, db)
}

#[tokio::test]
async fn forward_and_backward_pages_cover_every_fan_once_under_every_sort() {
    let (_dir, db) = seeded(1_234).await;
    let fields = [
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
    for field in fields {
        for desc in [false, true] {
            let sort = Sort { field, desc };
            let mut forward = Vec::new();
            let mut req = PageRequest { sort, limit: 100, ..Default::default() };
            loop {
                let page = contacts::page(&db, "s1", &req).await.unwrap();
                forward.extend(page.rows.iter().map(|r| r.id));
                match page.next {
                    Some(next) => req.after = Some(next),
                    None => break,
                }
            }
            let unique: HashSet<_> = forward.iter().collect();
            assert_eq!(forward.len(), 1_234, "{sort:?}: every fan once, ties included");
            assert_eq!(unique.len(), 1_234, "{sort:?}: no duplicates across pages");

            let mut backward = Vec::new();
            let mut req = PageRequest { sort, limit: 77, from_end: true, ..Default::default() };
            loop {
                let page = contacts::page(&db, "s1", &req).await.unwrap();
                backward.splice(0..0, page.rows.iter().map(|r| r.id));
                match page.prev {
                    Some(prev) => req = PageRequest { sort, limit: 77, before: Some(prev), ..Default::default() },
                    None => break,
                }
            }
            assert_eq!(backward, forward, "{sort:?}: paging back from the end gives the same order");

            // A seek to a position lands exactly where walking arrives, and its cursors go on.
            let ids = |page: &contacts::Page| page.rows.iter().map(|r| r.id).collect::<Vec<_>>();
            let slice =
                |from: usize, n: usize| forward[from.min(forward.len())..(from + n).min(forward.len())].to_vec();
            for offset in [0usize, 1, 99, 100, 617, 1_233, 1_234, 1_300] {
                let at = PageRequest { sort, limit: 37, offset: Some(offset as u64), ..Default::default() };
                let page = contacts::page(&db, "s1", &at).await.unwrap();
                assert_eq!(ids(&page), slice(offset, 37), "{sort:?}: the page at offset {offset}");
                assert_eq!(page.prev.is_some(), (1..=1_234).contains(&offset), "{sort:?}: prev at offset {offset}");
                assert_eq!(page.next.is_some(), offset + 37 < 1_234, "{sort:?}: next at offset {offset}");
                if let Some(next) = page.next.clone() {
                    let req = PageRequest { sort, limit: 37, after: Some(next), ..Default::default() };
                    let after = contacts::page(&db, "s1", &req).await.unwrap();
                    assert_eq!(ids(&after), slice(offset + 37, 37), "{sort:?}: the page after offset {offset}");
                }
                if let Some(prev) = page.prev.clone().filter(|_| offset >= 5 && !page.rows.is_empty()) {
                    let req = PageRequest { sort, limit: 5, before: Some(prev), ..Default::default() };
                    let before = contacts::page(&db, "s1", &req).await.unwrap();
                    assert_eq!(ids(&before), slice(offset - 5, 5), "{sort:?}: the page before offset {offset}");
                }
                let bare = contacts::page(&db, "s1", &PageRequest { cursors_only: true, ..at }).await.unwrap();
                assert_eq!(bare.skipped, Some(slice(offset, 37).len()), "{sort:?}: cursors only at offset {offset}");
                assert_eq!((bare.next, bare.prev.is_some()), (page.next.clone(), page.prev.is_some()));
            }
        }
    }
}

#[tokio::test]
async fn an_offset_is_for_the_unfiltered_list_without_a_cursor() {
    let (_dir, db) = seeded(50).await;
    let at = PageRequest { limit: 5, offset: Some(10), ..Default::default() };
    let searched = contacts::ContactFilter { search: Some("a".into()), ..Default::default() };
    let err = contacts::page_matching(&db, "s1", &searched, &at).await.unwrap_err();
    assert!(err.to_string().contains("unfiltered"), "a search pages with cursors: {err}");
    let unified = contacts::ContactFilter { include_users: true, ..Default::default() };
    assert!(contacts::page_matching(&db, "s1", &unified, &at).await.is_err(), "so does the unified view");
    let first = contacts::page(&db, "s1", &PageRequest { limit: 5, ..Default::default() }).await.unwrap();
    let both = PageRequest { after: first.next, ..at };
    assert!(contacts::page(&db, "s1", &both).await.is_err(), "an offset and a cursor together are refused");
}

#[tokio::test]
async fn a_cursor_from_another_sort_is_refused() {
    let (_dir, db) = seeded(10).await;
    let page = contacts::page(&db, "s1", &PageRequest { limit: 3, ..Default::default() }).await.unwrap();
    let by_score = Sort { field: SortField::Score, desc: false };
    let err =
        contacts::page(&db, "s1", &PageRequest { sort: by_score, after: page.next, limit: 3, ..Default::default() })
            .await
            .unwrap_err();
    assert_eq!(err.code(), "INVALID_CURSOR");
    assert_eq!(contacts::count(&db, "s1").await.unwrap(), 10);
}

/// A page of cursors only has the same cursors as the full page and says how many rows it held,
/// so a window can walk past far rows without receiving them, forward and backward; the JSON of a
/// full page has no `skipped`.
#[tokio::test]
async fn a_page_of_cursors_only_keeps_the_cursors_and_count() {
    let (_dir, db) = seeded(300).await;
    for sort in [Sort { field: SortField::Name, desc: false }, Sort { field: SortField::Score, desc: true }] {
        let full = PageRequest { sort, after: None, limit: 120, ..Default::default() };
        let page = contacts::page(&db, "s1", &full).await.unwrap();
        assert!(!serde_json::to_value(&page).unwrap().as_object().unwrap().contains_key("skipped"));
        let bare = contacts::page(&db, "s1", &PageRequest { cursors_only: true, ..full.clone() }).await.unwrap();
        assert_eq!((bare.rows.len(), bare.skipped, &bare.next, &bare.prev), (0, Some(120), &page.next, &page.prev));
        let after = PageRequest { sort, after: bare.next.clone(), limit: 500, ..Default::default() };
        assert_eq!(
            contacts::page(&db, "s1", &after).await.unwrap().rows.len(),
            180,
            "the walk goes on from its cursor"
        );
        let back = PageRequest { sort, from_end: true, limit: 100, ..Default::default() };
        let full_back = contacts::page(&db, "s1", &back).await.unwrap();
        let bare_back = contacts::page(&db, "s1", &PageRequest { cursors_only: true, ..back }).await.unwrap();
        assert_eq!(
            (bare_back.skipped, &bare_back.next, &bare_back.prev),
            (Some(100), &full_back.next, &full_back.prev)
        );
        // The unified view's users have keys too.
        let users = contacts::ContactFilter { include_users: true, ..Default::default() };
        let full = PageRequest { sort, from_end: true, limit: 250, ..Default::default() };
        let page = contacts::page_matching(&db, "s1", &users, &full).await.unwrap();
        let bare =
            contacts::page_matching(&db, "s1", &users, &PageRequest { cursors_only: true, ..full }).await.unwrap();
        assert_eq!((bare.skipped, &bare.next, &bare.prev), (Some(page.rows.len()), &page.next, &page.prev));
    }
}
