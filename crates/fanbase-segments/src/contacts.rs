//! A segment as a restriction of any list of contacts: the contacts view's filter carries the
//! compiled segment (`ContactFilter::condition`), so pages, counts, bulk tags and the export all
//! take a segment through the same seam. `fanbase-core` stays free of this crate.

use fanbase_core::contacts::filter::Bind;
use fanbase_core::contacts::{ContactFilter, FanCondition};
use serde_json::Value;

use crate::compile::compile;
use crate::definition::Segment;

/// `segment` compiled (with `now` for `within_days`) as a condition on the fan `c`.
pub fn fan_condition(segment: &Segment, now: i64) -> FanCondition {
    let compiled = compile(segment, now);
    let binds = compiled
        .binds
        .into_iter()
        .map(|v| match v {
            Value::String(s) => Bind::Text(s),
            Value::Number(n) => Bind::Int(n.as_i64().expect("a segment binds integers only (money in cents)")),
            Value::Bool(b) => Bind::Int(i64::from(b)),
            other => Bind::Text(other.to_string()),
        })
        .collect();
    FanCondition { sql: compiled.where_sql, binds }
}

/// `filter` further restricted to the fans of `segment` (both must hold).
pub fn within(filter: ContactFilter, segment: &Segment, now: i64) -> ContactFilter {
    ContactFilter { condition: Some(fan_condition(segment, now)), ..filter }
}
