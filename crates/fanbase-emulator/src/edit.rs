//! One edit of a customer — fields to set, tags to add and remove — applied the same way whether
//! it comes from a desktop push or from the platform's website. Tags are sets (compared trimmed,
//! case-insensitively); a field's modification time moves only when its value really changes.

use crate::fields::{write, Field, Valid, FIELD_COUNT};
use crate::records::{Customer, CustomerType, Status};

#[derive(Debug, Clone, Default)]
pub struct Edit {
    pub set: Vec<(Field, Valid)>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
}

impl Edit {
    /// Checks the tags; the message says what is wrong with the first bad one.
    pub fn new(set: Vec<(Field, Valid)>, add_tags: &[String], remove_tags: &[String]) -> Result<Edit, String> {
        let clean = |tags: &[String]| -> Result<Vec<String>, String> {
            tags.iter()
                .map(|t| {
                    let t = t.trim();
                    if t.is_empty() {
                        Err("a tag cannot be empty".to_string())
                    } else {
                        Ok(t.to_string())
                    }
                })
                .collect()
        };
        Ok(Edit { set, add_tags: clean(add_tags)?, remove_tags: clean(remove_tags)? })
    }

    /// Applies the edit at `now`; true (and `updatedAt = now`) when anything changed.
    pub fn apply(&self, c: &mut Customer, now: i64) -> bool {
        let mut changed = false;
        for (field, value) in &self.set {
            if write(c, *field, value.clone()) {
                c.modified[field.index()] = now;
                changed = true;
            }
        }
        for tag in &self.add_tags {
            if !c.tags.iter().any(|t| same_tag(t, tag)) {
                c.tags.push(tag.clone());
                changed = true;
            }
        }
        let before = c.tags.len();
        c.tags.retain(|t| !self.remove_tags.iter().any(|r| same_tag(t, r)));
        changed |= c.tags.len() != before;
        if changed {
            c.updated_at = now;
        }
        changed
    }

    /// The fields of this edit that the server changed after `base`.
    pub fn conflicting_fields(&self, c: &Customer, base: i64) -> Vec<&'static str> {
        self.set.iter().filter(|(f, _)| c.modified[f.index()] > base).map(|(f, _)| f.name()).collect()
    }
}

fn same_tag(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A new fan of `store_id` with nothing but an email, created at `now`.
pub fn new_customer(id: String, store_id: &str, owner_id: &str, email: &str, source: &str, now: i64) -> Customer {
    Customer {
        id,
        creation_time: now,
        store_id: store_id.to_string(),
        admin_user_id: owner_id.to_string(),
        email: email.trim().to_string(),
        name: String::new(),
        kind: CustomerType::Lead,
        source: source.to_string(),
        total_spent_cents: 0,
        tags: Vec::new(),
        score: 0,
        daw: None,
        type_of_music: None,
        student_level: None,
        phone: None,
        opens_email: false,
        clicks_links: false,
        last_open_date: None,
        status: Status::Active,
        updated_at: now,
        deleted_at: None,
        modified: [now; FIELD_COUNT],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::validate_set;
    use serde_json::json;

    fn fan() -> Customer {
        let mut c = new_customer("c1".into(), "s1", "u1", " Fan@Example.com ", "test", 100);
        c.tags = vec!["Mixing".into()];
        c
    }

    fn edit(set: serde_json::Value, add: &[&str], remove: &[&str]) -> Edit {
        let set = validate_set(set.as_object().unwrap()).unwrap();
        let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        Edit::new(set, &s(add), &s(remove)).unwrap()
    }

    #[test]
    fn tags_are_sets_compared_case_insensitively() {
        let mut c = fan();
        assert!(!edit(json!({}), &[" mixing "], &[]).apply(&mut c, 200), "adding a tag it has changes nothing");
        assert_eq!(c.updated_at, 100, "so updatedAt stays");
        assert!(edit(json!({}), &["VIP"], &["MIXING"]).apply(&mut c, 300));
        assert_eq!(c.tags, ["VIP"], "removal ignores case; additions keep their spelling");
        assert_eq!(c.updated_at, 300);
        assert!(Edit::new(vec![], &["  ".into()], &[]).is_err(), "an empty tag is refused");
    }

    #[test]
    fn only_fields_that_change_move_their_modification_time() {
        let mut c = fan();
        edit(json!({"name": "", "score": 7}), &[], &[]).apply(&mut c, 500);
        assert_eq!(c.modified[Field::Name.index()], 100, "setting the same name is not a change");
        assert_eq!(c.modified[Field::Score.index()], 500, "the score did change");
        let e = edit(json!({"name": "X", "score": 8}), &[], &[]);
        assert_eq!(e.conflicting_fields(&c, 400), ["score"], "only fields changed after the base conflict");
        assert!(e.conflicting_fields(&c, 500).is_empty(), "a base at the change itself is not after it");
    }

    #[test]
    fn set_values_are_validated_per_field() {
        let bad = |v: serde_json::Value| validate_set(v.as_object().unwrap()).unwrap_err();
        assert!(bad(json!({"email": "nope"})).contains("not a valid email"));
        assert!(bad(json!({"tags": []})).contains("addTags"), "tags are not set through `set`");
        assert!(bad(json!({"score": 1.5})).contains("whole number"));
        assert!(bad(json!({"totalSpent": -1})).contains("non-negative"));
        assert!(bad(json!({"status": "gone"})).contains("unsubscribed"));
        let ok =
            validate_set(json!({"daw": "", "lastOpenDate": null, "totalSpent": 19.99}).as_object().unwrap()).unwrap();
        assert_eq!(ok.len(), 3, "empty text and null clear optional fields; dollars become cents");
    }
}
