//! Lead scoring: per-store rules (table `scoring_rules`) and the score they give each contact.
//! A score is a pure function of the rules, the contact's fields, its events and `now`.

mod recompute;
mod rules;

pub use recompute::{recompute, rescore_raw, Recomputed};
pub use rules::{delete_rule, list_rules, list_rules_raw, set_rule, Rule, Trigger};
