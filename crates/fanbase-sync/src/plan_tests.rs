//! Table tests of the pull planner: one row per case of the contract and of local state.

use std::collections::{BTreeSet, HashSet};

use super::*;
use crate::fields::{Field, Values};
use crate::wire::Customer;

fn remote(id: &str, email: &str, updated: i64) -> Customer {
    serde_json::from_value(serde_json::json!({
        "_id": id, "_creationTime": 1, "storeId": "s", "email": email, "name": "Remote Name", "type": "paying",
        "source": "stripe_purchase", "totalSpent": 10.0, "tags": ["edm", "vip"], "score": 5,
        "opensEmail": true, "clicksLinks": false, "status": "active", "updatedAt": updated
    }))
    .unwrap()
}

fn deleted(id: &str, email: &str, updated: i64) -> Customer {
    Customer { deleted_at: Some(updated), ..remote(id, email, updated) }
}

fn local(id: i64, remote_id: Option<&str>, email: &str, seen: Option<i64>) -> LocalContact {
    LocalContact {
        id,
        remote_id: remote_id.map(str::to_string),
        email_norm: email.to_lowercase(),
        remote_updated_at: seen,
        values: Values {
            email: email.into(),
            name: "Local".into(),
            kind: "lead".into(),
            status: "active".into(),
            ..Default::default()
        },
        tags: vec!["edm".into()],
        pending: Pending::default(),
    }
}

fn with_pending(mut l: LocalContact, p: Pending) -> LocalContact {
    l.pending = p;
    l
}

fn fields(list: &[Field]) -> BTreeSet<Field> {
    list.iter().copied().collect()
}

fn tags(list: &[&str]) -> Vec<String> {
    list.iter().map(|t| t.to_string()).collect()
}

struct Case {
    name: &'static str,
    local: Vec<LocalContact>,
    deleted_locally: &'static [&'static str],
    page: Vec<Customer>,
    force: bool,
    want: Vec<Op>,
}

fn case(name: &'static str, local: Vec<LocalContact>, page: Vec<Customer>, want: Vec<Op>) -> Case {
    Case { name, local, deleted_locally: &[], page, force: false, want }
}

fn update(local_id: i64, remote: usize, keep: &[Field], t: &[&str]) -> Op {
    Op::Update { local_id, remote, keep: fields(keep), tags: tags(t), fill: None }
}

fn cases() -> Vec<Case> {
    let linked_values = {
        let mut l = local(7, None, "Fan@X.co", None);
        l.values.phone = "+15550001".into();
        l.values.name = "Local Only".into();
        l.tags = tags(&["webinar", "EDM"]);
        l
    };
    vec![
        case(
            "new record is inserted",
            vec![],
            vec![remote("r1", "a@x.co", 10)],
            vec![Op::Insert { remote: 0, tags: tags(&["edm", "vip"]) }],
        ),
        case(
            "newer version updates the row matched by _id",
            vec![local(1, Some("r1"), "a@x.co", Some(5))],
            vec![remote("r1", "a@x.co", 10)],
            vec![update(1, 0, &[], &["edm", "vip"])],
        ),
        case(
            "deletedAt removes the local row",
            vec![local(1, Some("r1"), "a@x.co", Some(5))],
            vec![deleted("r1", "a@x.co", 11)],
            vec![Op::Delete { local_id: 1, drop_outbox: false }],
        ),
        case(
            "deletion of an unknown record is skipped",
            vec![],
            vec![deleted("r9", "z@x.co", 11)],
            vec![Op::Skip { remote: 0, reason: SkipReason::DeletedUnknown }],
        ),
        case(
            "local pending edits win field by field, tags as set operations",
            vec![with_pending(
                local(1, Some("r1"), "a@x.co", Some(5)),
                Pending {
                    fields: fields(&[Field::Name, Field::Daw]),
                    add_tags: tags(&["Mine"]),
                    remove_tags: ["vip".to_string()].into_iter().collect(),
                    ..Default::default()
                },
            )],
            vec![remote("r1", "a@x.co", 10)],
            vec![update(1, 0, &[Field::Name, Field::Daw], &["edm", "Mine"])],
        ),
        case(
            "deleted on the platform while local edits wait becomes a conflict",
            vec![with_pending(
                local(1, Some("r1"), "a@x.co", Some(5)),
                Pending { fields: fields(&[Field::Name]), ..Default::default() },
            )],
            vec![deleted("r1", "a@x.co", 11)],
            vec![Op::DeletedWithPendingEdits { local_id: 1, remote: 0 }],
        ),
        case(
            "deleted on both sides drops the pending local delete",
            vec![with_pending(local(1, Some("r1"), "a@x.co", Some(5)), Pending { delete: true, ..Default::default() })],
            vec![deleted("r1", "a@x.co", 11)],
            vec![Op::Delete { local_id: 1, drop_outbox: true }],
        ),
        case(
            "an offline-created contact is matched by email; local values fill the gaps",
            vec![linked_values],
            vec![remote("r1", "  fan@x.CO ", 10)],
            vec![Op::Update {
                local_id: 7,
                remote: 0,
                keep: fields(&[Field::Phone]),
                tags: tags(&["edm", "vip", "webinar"]),
                fill: Some(Fill { fields: vec![Field::Phone], add_tags: tags(&["webinar"]) }),
            }],
        ),
        case(
            "a duplicate page changes nothing",
            vec![local(1, Some("r1"), "a@x.co", Some(10))],
            vec![remote("r1", "a@x.co", 10)],
            vec![Op::Skip { remote: 0, reason: SkipReason::AlreadyApplied }],
        ),
        case(
            "the same record twice in a page is applied once",
            vec![],
            vec![remote("r1", "a@x.co", 10), remote("r1", "a@x.co", 10)],
            vec![
                Op::Insert { remote: 0, tags: tags(&["edm", "vip"]) },
                Op::Skip { remote: 1, reason: SkipReason::AlreadyApplied },
            ],
        ),
        case(
            "an older version than the one taken in is skipped",
            vec![local(1, Some("r1"), "a@x.co", Some(20))],
            vec![remote("r1", "a@x.co", 10)],
            vec![Op::Skip { remote: 0, reason: SkipReason::AlreadyApplied }],
        ),
        case(
            "created and deleted within one page leaves nothing",
            vec![],
            vec![remote("r1", "a@x.co", 10), deleted("r1", "a@x.co", 11)],
            vec![
                Op::Skip { remote: 0, reason: SkipReason::Superseded },
                Op::Skip { remote: 1, reason: SkipReason::DeletedUnknown },
            ],
        ),
        case(
            "a create in flight keeps every local field and unions tags",
            vec![with_pending(
                local(1, None, "a@x.co", None),
                Pending { create_in_flight: true, ..Default::default() },
            )],
            vec![remote("r1", "a@x.co", 10)],
            vec![update(1, 0, &Field::ALL, &["edm", "vip"])],
        ),
        case(
            "a record re-created on the platform under a new _id relinks the row with that email",
            vec![local(1, Some("old"), "a@x.co", Some(5))],
            vec![remote("new", "A@x.co", 10)],
            vec![update(1, 0, &[], &["edm", "vip"])],
        ),
        case(
            "an email moved to a stale local row removes the stale copy",
            vec![local(1, Some("r1"), "a@x.co", Some(5)), local(2, Some("r2"), "b@x.co", Some(5))],
            vec![remote("r1", "b@x.co", 10)],
            vec![Op::Delete { local_id: 2, drop_outbox: false }, update(1, 0, &[], &["edm", "vip"])],
        ),
        case(
            "an email held by a row with waiting edits is not taken",
            vec![
                local(1, Some("r1"), "a@x.co", Some(5)),
                with_pending(
                    local(2, Some("r2"), "b@x.co", Some(5)),
                    Pending { fields: fields(&[Field::Name]), ..Default::default() },
                ),
            ],
            vec![remote("r1", "b@x.co", 10)],
            vec![Op::Skip { remote: 0, reason: SkipReason::EmailTaken }],
        ),
        Case {
            deleted_locally: &["r1"],
            ..case(
                "a record deleted locally is not brought back while the delete waits",
                vec![],
                vec![remote("r1", "a@x.co", 10)],
                vec![Op::Skip { remote: 0, reason: SkipReason::DeletedLocally }],
            )
        },
        Case {
            force: true,
            ..case(
                "force applies a version already taken in (keep theirs)",
                vec![local(1, Some("r1"), "a@x.co", Some(10))],
                vec![remote("r1", "a@x.co", 10)],
                vec![update(1, 0, &[], &["edm", "vip"])],
            )
        },
    ]
}

#[test]
fn every_case_plans_as_expected() {
    for c in cases() {
        let deleted: HashSet<String> = c.deleted_locally.iter().map(|s| s.to_string()).collect();
        let got = plan(&c.page, &c.local, &deleted, c.force);
        assert_eq!(got, c.want, "case: {}", c.name);
    }
}

#[test]
fn planning_is_idempotent_once_applied() {
    // Apply the plan's effect on the local view by hand, then plan the same page again.
    let page = vec![remote("r1", "a@x.co", 10), remote("r2", "b@x.co", 11)];
    let first = plan(&page, &[], &HashSet::new(), false);
    assert!(first.iter().all(|op| matches!(op, Op::Insert { .. })), "{first:?}");
    let after: Vec<LocalContact> =
        page.iter().enumerate().map(|(i, r)| local(i as i64 + 1, Some(&r.id), &r.email, Some(r.updated_at))).collect();
    let second = plan(&page, &after, &HashSet::new(), false);
    assert!(
        second.iter().all(|op| matches!(op, Op::Skip { reason: SkipReason::AlreadyApplied, .. })),
        "a page applied twice must change nothing the second time: {second:?}"
    );
}

#[test]
fn merge_tags_dedups_case_insensitively_and_keeps_first_spelling() {
    let removed: BTreeSet<String> = ["old".to_string()].into_iter().collect();
    assert_eq!(
        merge_tags(&tags(&["EDM", "Old", " vip "]), &tags(&["edm", "New", ""]), &removed),
        tags(&["EDM", "vip", "New"])
    );
}
