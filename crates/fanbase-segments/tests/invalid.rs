//! Every invalid form of a segment (and of a scoring rule) is refused with the exact path of the
//! bad node and a message saying what is wrong.

use fanbase_segments::scoring::Rule;
use fanbase_segments::Segment;
use serde_json::{json, Value};

fn err(json: Value) -> String {
    match Segment::from_json(&json) {
        Ok(seg) => panic!("{json} must be refused, but parsed as {seg:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn each_invalid_segment_names_the_path_of_the_bad_node() {
    let daw = json!({"field": "daw", "op": "eq", "value": "x"});
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"all": [daw, {"any": [{"field": "score", "op": "gte ", "value": 5}]}]}),
            r#"all[1].any[0].op: unknown operator "gte ""#,
        ),
        (json!({"all": [{"field": "dwa", "op": "eq", "value": "x"}]}), r#"all[0].field: unknown field "dwa""#),
        (
            json!({"field": "score", "op": "contains", "value": "5"}),
            r#"op: operator "contains" does not fit number field "score"; use one of eq, neq, in, not_in, gt, gte, lt, lte, between"#,
        ),
        (
            json!({"any": [daw, {"field": "tags", "op": "eq", "value": "vip"}]}),
            r#"any[1].op: operator "eq" does not fit tags field "tags"; use one of has_any, has_all, has_none, is_empty, is_not_empty"#,
        ),
        (
            json!({"field": "last_open_date", "op": "gt", "value": 5}),
            r#"op: operator "gt" does not fit date field "last_open_date"; use one of before, after, between, within_days, not_within_days, is_empty, is_not_empty"#,
        ),
        (
            json!({"field": "opens_email", "op": "in", "value": [true]}),
            r#"op: operator "in" does not fit boolean field "opens_email"; use one of eq, neq"#,
        ),
        (
            json!({"field": "custom.plan", "op": "gt", "value": 1}),
            r#"op: operator "gt" does not fit text field "custom.plan"; use one of eq, neq, in, not_in, contains, not_contains, starts_with, ends_with, is_empty, is_not_empty"#,
        ),
        (json!({"all": [{"field": "score", "op": "gte", "value": "50"}]}), "all[0].value: expected a whole number"),
        (json!({"all": [{"any": []}]}), "all[0].any: empty group: add at least one condition"),
        (json!({"all": []}), "all: empty group: add at least one condition"),
        (json!({"none": [daw, {"none": []}]}), "none[1].none: empty group: add at least one condition"),
        (json!([daw]), r#"(root): expected an object with "all", "any", "none" or "field""#),
        (json!({}), r#"(root): expected an object with "all", "any", "none" or "field""#),
        (json!({"all": [5]}), r#"all[0]: expected an object with "all", "any", "none" or "field""#),
        (
            json!({"all": [daw], "any": [daw]}),
            r#"any: a group has exactly one of "all", "any" or "none": nest a second group inside it"#,
        ),
        (json!({"any": daw}), "any: expected a list of conditions and groups"),
        (json!({"all": [daw], "limit": 5}), r#"limit: unknown key "limit" in a group"#),
        (
            json!({"all": [{"field": "daw", "op": "eq", "value": "x", "vlaue": 1}]}),
            r#"all[0].vlaue: unknown key "vlaue": a condition has "field", "op" and "value""#,
        ),
        (json!({"op": "eq", "value": 1}), "field: missing: name the field to test"),
        (json!({"field": "daw", "value": "x"}), "op: missing: name the operator"),
        (json!({"field": 5, "op": "eq", "value": 1}), "field: expected a field name (a string)"),
        (json!({"field": "daw", "op": ["eq"], "value": 1}), "op: expected an operator name (a string)"),
        (
            json!({"field": "custom.", "op": "is_empty"}),
            r#"field: "custom." needs the custom field's name after the dot"#,
        ),
        (json!({"field": "daw", "op": "eq"}), r#"value: missing: operator "eq" needs a string"#),
        (json!({"field": "daw", "op": "is_empty", "value": "x"}), r#"value: operator "is_empty" takes no value"#),
        (json!({"field": "daw", "op": "in", "value": []}), "value: empty list: give at least one value"),
        (json!({"field": "daw", "op": "in", "value": "Ableton"}), "value: expected a non-empty list of strings"),
        (json!({"field": "daw", "op": "in", "value": ["a", 2]}), "value[1]: expected a string"),
        (
            json!({"field": "name", "op": "contains", "value": ""}),
            "value: empty text matches everything: use is_empty or is_not_empty",
        ),
        (
            json!({"field": "status", "op": "eq", "value": "activ"}),
            r#"value: unknown status "activ": one of active, unsubscribed, bounced, complained"#,
        ),
        (
            json!({"field": "type", "op": "in", "value": ["lead", "vip"]}),
            r#"value[1]: unknown type "vip": one of lead, paying, subscription"#,
        ),
        (
            json!({"field": "total_spent", "op": "gte", "value": 1.999}),
            "value: expected an amount in currency units with at most two decimals",
        ),
        (json!({"field": "score", "op": "eq", "value": 1.5}), "value: expected a whole number"),
        (json!({"field": "score", "op": "in", "value": ["1"]}), "value[0]: expected a whole number"),
        (json!({"field": "score", "op": "between", "value": [1]}), "value: expected two numbers [low, high]"),
        (
            json!({"field": "score", "op": "between", "value": [5, 1]}),
            "value: the low bound is above the high bound: swap them",
        ),
        (json!({"field": "has_account", "op": "eq", "value": "yes"}), "value: expected true or false"),
        (
            json!({"field": "created_at", "op": "before", "value": "yesterday"}),
            r#"value: expected a date: milliseconds since 1970, "YYYY-MM-DD" or an RFC 3339 time"#,
        ),
        (
            json!({"field": "created_at", "op": "between", "value": ["2025-02-01", "2025-01-01"]}),
            "value: the low bound is above the high bound: swap them",
        ),
        (
            json!({"field": "created_at", "op": "between", "value": ["2025-02-01", true]}),
            r#"value[1]: expected a date: milliseconds since 1970, "YYYY-MM-DD" or an RFC 3339 time"#,
        ),
        (
            json!({"field": "last_open_date", "op": "within_days", "value": -1}),
            "value: expected a whole number of days (0 or more), at most 100000",
        ),
        (json!({"field": "tags", "op": "has_any", "value": "vip"}), "value: expected a non-empty list of tag names"),
        (json!({"field": "tags", "op": "has_all", "value": ["vip", " "]}), "value[1]: expected a non-empty tag name"),
        (
            json!({"none": [{"all": [daw, {"any": [{"field": "score", "op": "between", "value": [1, "2"]}]}]}]}),
            "none[0].all[1].any[0].value[1]: expected a whole number",
        ),
    ];
    let mut wrong = Vec::new();
    for (json, want) in cases {
        let got = err(json.clone());
        if got != want {
            wrong.push(format!("{json}\n   want: {want}\n    got: {got}"));
        }
    }
    assert!(wrong.is_empty(), "errors must name the exact path:\n{}", wrong.join("\n"));
}

#[test]
fn text_that_is_not_json_is_refused_at_the_root() {
    let e = Segment::from_json_str("{\"all\": [").unwrap_err().to_string();
    assert!(e.starts_with("(root): not valid JSON:"), "got {e}");
}

#[test]
fn each_invalid_rule_names_the_path_inside_the_rule() {
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"name": "x", "condition": {"all": [{"field": "score", "op": "gt", "value": 1}]}, "points": 5}),
            r#"condition.all[0].field: a scoring rule cannot test "score": the score is what the rules compute"#,
        ),
        (
            json!({"name": "x", "condition": {"field": "score", "op": "gt", "value": 1}, "points": 5}),
            r#"condition.field: a scoring rule cannot test "score": the score is what the rules compute"#,
        ),
        (
            json!({"name": "x", "condition": {"field": "daw", "op": "eqq", "value": "a"}, "points": 5}),
            r#"condition.op: unknown operator "eqq""#,
        ),
        (
            json!({"name": "x", "condition": {"any": [{"field": "daw", "op": "eq", "value": "a"}, {"all": []}]}, "points": 5}),
            "condition.any[1].all: empty group: add at least one condition",
        ),
        (
            json!({"name": "x", "condition": {"field": "daw", "op": "is_empty"}, "points": 5, "expires_days": 30}),
            "expires_days: only event rules expire: a condition rule counts while the contact matches",
        ),
        (
            json!({"name": "x", "event": "opne", "points": 5}),
            r#"event: unknown event kind "opne": one of open, click, bounce, unsubscribe, complaint, purchase, enrollment"#,
        ),
        (
            json!({"name": "x", "event": "open", "condition": {"field": "daw", "op": "is_empty"}, "points": 5}),
            r#"condition: give either "event" or "condition", not both"#,
        ),
        (json!({"name": "x", "points": 5}), "event: missing: give an event kind or a condition"),
        (json!({"name": "x", "event": "open"}), "points: expected a whole number of points (negative to take away)"),
        (json!({"name": " ", "event": "open", "points": 1}), "name: expected a non-empty name"),
        (
            json!({"name": "x", "event": "open", "points": 1, "expires_days": 0}),
            "expires_days: expected a whole number of days, 1 or more",
        ),
        (json!({"name": "x", "event": "open", "points": 1, "weight": 2}), r#"weight: unknown key "weight" in a rule"#),
    ];
    let mut wrong = Vec::new();
    for (json, want) in cases {
        match Rule::from_json(&json) {
            Ok(rule) => wrong.push(format!("{json} parsed as {rule:?}")),
            Err(e) if e.to_string() != want => wrong.push(format!("{json}\n   want: {want}\n    got: {e}")),
            Err(_) => {}
        }
    }
    assert!(wrong.is_empty(), "rule errors must name the exact path:\n{}", wrong.join("\n"));
}
