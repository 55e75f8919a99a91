//! A segment restricts the contacts view's pages and counts (and so bulk tags) exactly to its fans,
//! and combines with the view's own filters.

use std::collections::HashSet;

use fanbase_core::contacts::{self, ContactFilter, PageRequest};
use fanbase_core::{demo, tags, Db};
use fanbase_segments::{contacts::within, Segment};
use serde_json::json;

const NOW: i64 = 1_700_000_000_000;

async fn page_ids(db: &Db, filter: &ContactFilter) -> HashSet<i64> {
    let mut got = HashSet::new();
    let mut after = None;
    loop {
        let req = PageRequest { after, limit: 300, ..Default::default() };
        let page = contacts::page_matching(db, "s", filter, &req).await.unwrap();
        for r in &page.rows {
            assert!(got.insert(r.id), "no fan twice");
        }
        after = page.next;
        if after.is_none() {
            return got;
        }
    }
}

#[tokio::test]
async fn a_segment_filters_pages_counts_and_bulk_tags_exactly() {
    let db = Db::open_in_memory().await.unwrap();
    demo::fill(&db, "s", 2500, 3, NOW).await.unwrap();
    demo::fill(&db, "other", 500, 4, NOW).await.unwrap();
    let segment = Segment::from_json(&json!({"all": [
        {"field": "daw", "op": "eq", "value": "Ableton"},
        {"any": [{"field": "tags", "op": "has_any", "value": ["vip", "techno"]},
                 {"field": "score", "op": "gte", "value": 50}]}
    ]}))
    .unwrap();
    let want: HashSet<i64> = fanbase_segments::ids(&db, "s", &segment, NOW).await.unwrap().into_iter().collect();
    assert!(!want.is_empty(), "the demo has fans in the segment");

    let filter = within(ContactFilter { include_users: true, ..Default::default() }, &segment, NOW);
    assert_eq!(contacts::count_matching(&db, "s", &filter).await.unwrap(), want.len() as i64, "exact count");
    assert_eq!(page_ids(&db, &filter).await, want, "the pages show exactly the segment's fans, no users");

    // Combined with the view's own filters: both must hold.
    let leads = within(ContactFilter { kind: vec!["lead".into()], ..Default::default() }, &segment, NOW);
    let lead_ids = page_ids(&db, &leads).await;
    let plain_leads = page_ids(&db, &ContactFilter { kind: vec!["lead".into()], ..Default::default() }).await;
    assert_eq!(lead_ids, want.intersection(&plain_leads).copied().collect(), "segment AND type");
    let with_search = within(ContactFilter::search("a"), &segment, NOW);
    assert_eq!(
        contacts::count_matching(&db, "s", &with_search).await.unwrap(),
        page_ids(&db, &with_search).await.len() as i64,
        "a search inside a segment counts what it shows"
    );

    let done =
        tags::add(&db, "s", "segmented", &tags::Target::Matching(filter), contacts::Origin::Cli, NOW).await.unwrap();
    assert_eq!(done.changed as usize, want.len(), "a bulk tag reaches exactly the segment's fans");
    let tagged = Segment::from_json(&json!({"field": "tags", "op": "has_any", "value": ["segmented"]})).unwrap();
    let tagged: HashSet<i64> = fanbase_segments::ids(&db, "s", &tagged, NOW).await.unwrap().into_iter().collect();
    assert_eq!(tagged, want);
}
