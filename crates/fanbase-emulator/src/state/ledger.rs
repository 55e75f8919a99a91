//! The change ledger: what happened to every pushed `changeId`, so `duplicate` can answer a
//! retried change and tests can prove each edit was applied exactly once.

use serde::Serialize;

/// What the platform did with one `changeId`, over every time it was received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeTally {
    /// The customer the change was applied to (set once it is applied).
    pub customer_id: Option<String>,
    pub applied: u32,
    pub duplicates: u32,
    pub conflicts: u32,
    pub rejected: u32,
}

/// Totals over the whole ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeSummary {
    /// Distinct changeIds ever received.
    pub change_ids: usize,
    /// Distinct changeIds applied (each at most once, by construction).
    pub applied_ids: usize,
    pub applied: u64,
    pub duplicates: u64,
    pub conflicts: u64,
    pub rejected: u64,
    /// The most times any one changeId was applied: 1 when every edit landed exactly once.
    pub max_applied_per_change: u32,
}

impl ChangeSummary {
    pub fn of<'a>(tallies: impl Iterator<Item = &'a ChangeTally>) -> ChangeSummary {
        let mut s = ChangeSummary::default();
        for t in tallies {
            s.change_ids += 1;
            s.applied_ids += usize::from(t.applied > 0);
            s.applied += u64::from(t.applied);
            s.duplicates += u64::from(t.duplicates);
            s.conflicts += u64::from(t.conflicts);
            s.rejected += u64::from(t.rejected);
            s.max_applied_per_change = s.max_applied_per_change.max(t.applied);
        }
        s
    }
}
