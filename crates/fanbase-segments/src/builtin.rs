//! The built-in segments every store has. They live in code; their names are reserved.

use crate::definition::Segment;

/// (name, definition) of each built-in segment, in the order the sidebar shows them.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("Fans without an account", r#"{"field": "has_account", "op": "eq", "value": false}"#),
    ("Cold: no open in 90 days", r#"{"field": "last_open_date", "op": "not_within_days", "value": 90}"#),
    ("Paying customers", r#"{"field": "type", "op": "in", "value": ["paying", "subscription"]}"#),
    (
        "Suppressed: unsubscribed, bounced or complained",
        r#"{"field": "status", "op": "in", "value": ["unsubscribed", "bounced", "complained"]}"#,
    ),
];

/// The built-in segment with this name (compared case-insensitively after trimming), if any.
pub fn find(name: &str) -> Option<(&'static str, Segment)> {
    let wanted = name.trim().to_lowercase();
    BUILT_IN
        .iter()
        .find(|(n, _)| n.to_lowercase() == wanted)
        .map(|(n, json)| (*n, Segment::from_json_str(json).expect("built-in segments are valid (tested)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_segment_parses_and_is_found_by_name() {
        for (name, json) in BUILT_IN {
            assert!(Segment::from_json_str(json).is_ok(), "built-in {name:?} must be a valid segment");
            assert_eq!(
                find(&name.to_uppercase()).map(|(n, _)| n),
                Some(*name),
                "built-ins are found case-insensitively"
            );
        }
        assert!(find("Paying").is_none(), "names match whole, not by prefix");
    }
}
