//! The pure step of a pull: (local state, a page of platform customers) → operations. No I/O.
//! Upsert by platform `_id`, match offline-created contacts by email, `deletedAt` deletes, records
//! already applied are skipped (so a page applied twice changes nothing), and local pending edits
//! win over the page field by field until the platform has answered for them.

use std::collections::{BTreeSet, HashMap, HashSet};

use fanbase_core::text::{normalize_email, normalize_tag};

use crate::fields::{Field, Values};
use crate::wire::Customer;

/// What the outbox holds for one contact that the platform has not answered for yet
/// (states pending, conflict and rejected).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pending {
    /// Fields set by local changes.
    pub fields: BTreeSet<Field>,
    /// Tags added locally (display names, first spelling kept).
    pub add_tags: Vec<String>,
    /// Tags removed locally (normalised).
    pub remove_tags: BTreeSet<String>,
    /// A local delete waits.
    pub delete: bool,
    /// A create was sent (frozen) and not answered yet: the whole local record is "mine".
    pub create_in_flight: bool,
}

impl Pending {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
            && self.add_tags.is_empty()
            && self.remove_tags.is_empty()
            && !self.delete
            && !self.create_in_flight
    }

    fn only_delete(&self) -> bool {
        self.delete && self.fields.is_empty() && self.add_tags.is_empty() && self.remove_tags.is_empty()
    }
}

/// A local contact that a page may touch.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalContact {
    pub id: i64,
    /// `None` for a contact created offline and never pushed.
    pub remote_id: Option<String>,
    pub email_norm: String,
    /// The platform `updatedAt` this row last took in.
    pub remote_updated_at: Option<i64>,
    pub values: Values,
    /// Display names.
    pub tags: Vec<String>,
    pub pending: Pending,
}

/// Local values of a never-pushed contact that fill what the platform record leaves empty; they
/// are kept locally and pushed as a change on top of the platform record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fill {
    pub fields: Vec<Field>,
    pub add_tags: Vec<String>,
}

/// One operation on the local database. `remote` indexes the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// A record new to this database.
    Insert {
        remote: usize,
        tags: Vec<String>,
    },
    /// Take the record into local row `local_id`, except the fields in `keep` (local pending edits);
    /// `tags` is the final tag list. `fill` is pushed back (see [`Fill`]).
    Update {
        local_id: i64,
        remote: usize,
        keep: BTreeSet<Field>,
        tags: Vec<String>,
        fill: Option<Fill>,
    },
    /// Remove the local row; `drop_outbox` also drops a pending local delete the platform has done already.
    Delete {
        local_id: i64,
        drop_outbox: bool,
    },
    /// Deleted on the platform while local edits wait: the user decides (conflicts list).
    DeletedWithPendingEdits {
        local_id: i64,
        remote: usize,
    },
    Skip {
        remote: usize,
        reason: SkipReason,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The local row already took in this version (boundary record, duplicate page).
    AlreadyApplied,
    /// A deletion of something this database never had.
    DeletedUnknown,
    /// Deleted locally; the local delete is on its way to the platform.
    DeletedLocally,
    /// The email belongs to another local contact with edits that wait; applied after they are answered.
    EmailTaken,
    /// A later record of the same page replaces this one.
    Superseded,
}

#[derive(Clone, Debug)]
struct Slot {
    local: Option<usize>,
    op: Option<usize>,
    remote_id: Option<String>,
    remote_updated_at: Option<i64>,
    email_norm: String,
    /// Deleted on the platform with local edits waiting: no later record may take this row.
    blocked: bool,
}

/// Plans a page. `deleted_locally` holds platform ids whose local row is gone with a delete pending.
/// With `force`, records are applied even if the local row already took in that version (used by
/// "keep theirs").
pub fn plan(page: &[Customer], local: &[LocalContact], deleted_locally: &HashSet<String>, force: bool) -> Vec<Op> {
    let mut slots: Vec<Slot> = Vec::with_capacity(local.len() + page.len());
    let mut by_remote: HashMap<String, usize> = HashMap::new();
    let mut by_email: HashMap<String, usize> = HashMap::new();
    for (i, l) in local.iter().enumerate() {
        slots.push(Slot {
            local: Some(i),
            op: None,
            remote_id: l.remote_id.clone(),
            remote_updated_at: l.remote_updated_at,
            email_norm: l.email_norm.clone(),
            blocked: false,
        });
        if let Some(id) = &l.remote_id {
            by_remote.insert(id.clone(), i);
        }
        by_email.insert(l.email_norm.clone(), i);
    }

    let mut ops = Vec::with_capacity(page.len());
    for (k, r) in page.iter().enumerate() {
        let email = normalize_email(&r.email);
        if r.deleted_at.is_some() {
            plan_delete(k, r, local, &mut slots, &mut by_remote, &mut by_email, &mut ops);
            continue;
        }
        let found = by_remote.get(&r.id).or_else(|| by_email.get(&email)).copied();
        let Some(s) = found else {
            if deleted_locally.contains(&r.id) {
                ops.push(Op::Skip { remote: k, reason: SkipReason::DeletedLocally });
                continue;
            }
            let slot = slots.len();
            slots.push(Slot {
                local: None,
                op: Some(ops.len()),
                remote_id: Some(r.id.clone()),
                remote_updated_at: Some(r.updated_at),
                email_norm: email.clone(),
                blocked: false,
            });
            by_remote.insert(r.id.clone(), slot);
            by_email.insert(email, slot);
            ops.push(Op::Insert { remote: k, tags: merge_tags(&r.tags, &[], &BTreeSet::new()) });
            continue;
        };
        if slots[s].blocked {
            ops.push(Op::Skip { remote: k, reason: SkipReason::EmailTaken });
            continue;
        }
        let same_id = slots[s].remote_id.as_deref() == Some(r.id.as_str());
        if same_id && !force && slots[s].remote_updated_at.is_some_and(|u| u >= r.updated_at) {
            ops.push(Op::Skip { remote: k, reason: SkipReason::AlreadyApplied });
            continue;
        }
        let Some(li) = slots[s].local else {
            // Inserted earlier in this page: the later record replaces it.
            let earlier = slots[s].op.expect("a page slot has its insert");
            if let Op::Insert { remote, .. } = ops[earlier] {
                ops.push(Op::Skip { remote, reason: SkipReason::Superseded });
            }
            ops[earlier] = Op::Insert { remote: k, tags: merge_tags(&r.tags, &[], &BTreeSet::new()) };
            reindex(&mut slots, &mut by_remote, &mut by_email, s, &r.id, r.updated_at, &email);
            continue;
        };
        // The record's email may be held by another local row (the platform keeps emails unique).
        if email != slots[s].email_norm {
            if let Some(&o) = by_email.get(&email) {
                let stale = slots[o].local.map(|oi| &local[oi]).filter(|ol| {
                    ol.remote_id.is_some() && ol.remote_id.as_deref() != Some(r.id.as_str()) && ol.pending.is_empty()
                });
                match stale {
                    Some(ol) if !slots[o].blocked => {
                        ops.push(Op::Delete { local_id: ol.id, drop_outbox: false });
                        unindex(&mut slots, &mut by_remote, &mut by_email, o);
                    }
                    _ => {
                        ops.push(Op::Skip { remote: k, reason: SkipReason::EmailTaken });
                        continue;
                    }
                }
            }
        }
        let l = &local[li];
        let (keep, tags, fill) = merge(r, l);
        let kept_email = if keep.contains(&Field::Email) { slots[s].email_norm.clone() } else { email };
        ops.push(Op::Update { local_id: l.id, remote: k, keep, tags, fill });
        slots[s].op = Some(ops.len() - 1);
        reindex(&mut slots, &mut by_remote, &mut by_email, s, &r.id, r.updated_at, &kept_email);
    }
    ops
}

fn plan_delete(
    k: usize,
    r: &Customer,
    local: &[LocalContact],
    slots: &mut [Slot],
    by_remote: &mut HashMap<String, usize>,
    by_email: &mut HashMap<String, usize>,
    ops: &mut Vec<Op>,
) {
    let Some(&s) = by_remote.get(&r.id) else {
        ops.push(Op::Skip { remote: k, reason: SkipReason::DeletedUnknown });
        return;
    };
    if slots[s].blocked {
        ops.push(Op::Skip { remote: k, reason: SkipReason::AlreadyApplied });
        return;
    }
    let Some(li) = slots[s].local else {
        // Created and deleted within this page: nothing to keep.
        let earlier = slots[s].op.expect("a page slot has its insert");
        if let Op::Insert { remote, .. } = ops[earlier] {
            ops[earlier] = Op::Skip { remote, reason: SkipReason::Superseded };
        }
        ops.push(Op::Skip { remote: k, reason: SkipReason::DeletedUnknown });
        unindex(slots, by_remote, by_email, s);
        return;
    };
    let l = &local[li];
    if l.pending.is_empty() || l.pending.only_delete() {
        ops.push(Op::Delete { local_id: l.id, drop_outbox: l.pending.only_delete() });
        unindex(slots, by_remote, by_email, s);
    } else {
        ops.push(Op::DeletedWithPendingEdits { local_id: l.id, remote: k });
        slots[s].blocked = true;
    }
}

/// Field by field: the platform's value unless a local change waits for it; tags as set operations.
fn merge(r: &Customer, l: &LocalContact) -> (BTreeSet<Field>, Vec<String>, Option<Fill>) {
    let p = &l.pending;
    if p.create_in_flight {
        // Our create is on its way and will merge into this record: keep everything local for now.
        let keep = Field::ALL.into_iter().collect();
        let mut extra = l.tags.clone();
        extra.extend(p.add_tags.iter().cloned());
        return (keep, merge_tags(&r.tags, &extra, &p.remove_tags), None);
    }
    let mut keep = p.fields.clone();
    let mut fill = None;
    if l.remote_id.is_none() {
        // First meeting of an offline-created contact and its platform record (matched by email):
        // the platform's values win; local values fill what the platform leaves empty.
        let remote_values = Values::from_wire(r);
        let fields: Vec<Field> = Field::ALL
            .into_iter()
            .filter(|f| !keep.contains(f) && !remote_values.is_set(*f) && l.values.is_set(*f))
            .collect();
        let remote_norms: HashSet<String> = r.tags.iter().map(|t| normalize_tag(t)).collect();
        let add_tags: Vec<String> = l
            .tags
            .iter()
            .filter(|t| !remote_norms.contains(&normalize_tag(t)) && !p.remove_tags.contains(&normalize_tag(t)))
            .cloned()
            .collect();
        keep.extend(fields.iter().copied());
        if !fields.is_empty() || !add_tags.is_empty() {
            fill = Some(Fill { fields, add_tags });
        }
    }
    let mut extra = p.add_tags.clone();
    if let Some(f) = &fill {
        extra.extend(f.add_tags.iter().cloned());
    }
    (keep, merge_tags(&r.tags, &extra, &p.remove_tags), fill)
}

/// `remote` minus `removed` plus `added`, without duplicates (compared normalised, first spelling kept).
pub fn merge_tags(remote: &[String], added: &[String], removed: &BTreeSet<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for t in remote.iter().filter(|t| !removed.contains(&normalize_tag(t))).chain(added.iter()) {
        let n = normalize_tag(t);
        if !n.is_empty() && seen.insert(n) {
            out.push(t.trim().to_string());
        }
    }
    out
}

fn reindex(
    slots: &mut [Slot],
    by_remote: &mut HashMap<String, usize>,
    by_email: &mut HashMap<String, usize>,
    s: usize,
    remote_id: &str,
    updated_at: i64,
    email: &str,
) {
    if let Some(old) = slots[s].remote_id.take() {
        if by_remote.get(&old) == Some(&s) {
            by_remote.remove(&old);
        }
    }
    if by_email.get(&slots[s].email_norm) == Some(&s) {
        by_email.remove(&slots[s].email_norm);
    }
    slots[s].remote_id = Some(remote_id.to_string());
    slots[s].remote_updated_at = Some(updated_at);
    slots[s].email_norm = email.to_string();
    by_remote.insert(remote_id.to_string(), s);
    by_email.insert(email.to_string(), s);
}

fn unindex(
    slots: &mut [Slot],
    by_remote: &mut HashMap<String, usize>,
    by_email: &mut HashMap<String, usize>,
    s: usize,
) {
    if let Some(id) = &slots[s].remote_id {
        if by_remote.get(id) == Some(&s) {
            by_remote.remove(id);
        }
    }
    if by_email.get(&slots[s].email_norm) == Some(&s) {
        by_email.remove(&slots[s].email_norm);
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
