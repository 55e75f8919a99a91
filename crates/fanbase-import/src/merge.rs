//! The pure rule that merges a candidate from the file into a contact: what `--on-existing` means
//! field by field, that a blank cell never erases, and that an import never re-subscribes anyone.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::field::{Field, Val, Values, FIELDS};
use crate::record::Candidate;

/// What happens to a contact that already exists in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnExisting {
    /// Only blank fields are filled (the default).
    #[default]
    FillEmpty,
    /// Fields are replaced by the file's non-blank values.
    Overwrite,
    /// Fields are left alone (tags are still added, and a suppression is still recorded).
    Skip,
}

impl OnExisting {
    pub fn parse(text: &str) -> Option<OnExisting> {
        match text {
            "fill-empty" => Some(OnExisting::FillEmpty),
            "overwrite" => Some(OnExisting::Overwrite),
            "skip" => Some(OnExisting::Skip),
            _ => None,
        }
    }
}

/// Which contact the candidate lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A contact this import created: every field the file has not given yet is taken.
    Created,
    /// A contact that existed before the import.
    Existing(OnExisting),
}

/// Bit of `mask` set once the file gave custom fields for a contact.
pub const CUSTOM_BIT: u32 = 1 << FIELDS.len();

/// A contact's mergeable state: its field values and custom fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Fields {
    pub values: Values,
    pub custom: Map<String, Value>,
}

/// What a merge changed: one bit per field (`Field::index`), and [`CUSTOM_BIT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Changed(u32);

impl Changed {
    pub fn any(self) -> bool {
        self.0 != 0
    }

    pub fn has(self, f: Field) -> bool {
        self.0 & (1 << f.index()) != 0
    }
}

/// Stores `v` in `slot` and marks `bit` changed, unless the slot holds it already.
fn set(slot: &mut Val, v: &Val, bit: u32, changed: &mut u32) {
    if slot != v {
        *slot = v.clone();
        *changed |= bit;
    }
}

/// A contact's first and last names, the blank ones left out.
fn name_parts(values: &Values) -> impl Iterator<Item = &str> {
    [Field::FirstName, Field::LastName].into_iter().map(|f| values[f.index()].as_str()).filter(|p| !p.is_empty())
}

/// Whether a contact's name is blank or made of its first and last names (no allocation: this
/// runs for every row of an import).
fn name_follows_parts(values: &Values) -> bool {
    let mut rest = values[Field::Name.index()].as_str();
    if rest.is_empty() {
        return true;
    }
    for (i, part) in name_parts(values).enumerate() {
        if i > 0 {
            let Some(r) = rest.strip_prefix(' ') else { return false };
            rest = r;
        }
        let Some(r) = rest.strip_prefix(part) else { return false };
        rest = r;
    }
    rest.is_empty()
}

/// Merges `cand` into `into`. `mask` holds the fields the file already gave for this contact in
/// earlier rows (the first non-empty value wins) and is updated. Returns what changed.
///
/// A row without a name cell gives no name of its own: a name that was blank or made of the
/// contact's first and last names is made again from the merged first and last names, and a name
/// written some other way is kept.
pub fn apply(into: &mut Fields, cand: &Candidate, rule: Rule, mask: &mut u32) -> Changed {
    let mut changed = 0;
    let gives_parts = cand.get(Field::FirstName).is_some() || cand.get(Field::LastName).is_some();
    let derive_name = gives_parts && cand.get(Field::Name).is_none() && name_follows_parts(&into.values);
    for f in FIELDS {
        let Some(v) = cand.get(f) else { continue };
        let bit = 1u32 << f.index();
        if *mask & bit != 0 {
            continue;
        }
        let slot = &mut into.values[f.index()];
        if f == Field::Status {
            // "active" in a file is no information: it never lifts a suppression.
            if v.as_str() == "active" {
                continue;
            }
            *mask |= bit;
            if slot.as_str() == "active" || rule == Rule::Existing(OnExisting::Overwrite) {
                set(slot, v, bit, &mut changed);
            }
            continue;
        }
        *mask |= bit;
        let take = match rule {
            Rule::Created | Rule::Existing(OnExisting::Overwrite) => true,
            Rule::Existing(OnExisting::FillEmpty) => *slot == f.blank(),
            Rule::Existing(OnExisting::Skip) => false,
        };
        if take {
            set(slot, v, bit, &mut changed);
        }
    }
    let name_bit = 1u32 << Field::Name.index();
    let parts_changed = Changed(changed).has(Field::FirstName) || Changed(changed).has(Field::LastName);
    if derive_name && *mask & name_bit == 0 && parts_changed {
        let name = Val::Text(name_parts(&into.values).collect::<Vec<_>>().join(" "));
        set(&mut into.values[Field::Name.index()], &name, name_bit, &mut changed);
    }
    if !cand.custom.is_empty() {
        let first_time = *mask & CUSTOM_BIT == 0;
        *mask |= CUSTOM_BIT;
        for (k, v) in &cand.custom {
            let current = into.custom.get(k);
            let empty = current.is_none_or(|c| c.is_null() || c.as_str() == Some(""));
            let take = match rule {
                Rule::Created => current.is_none(),
                Rule::Existing(OnExisting::Skip) => false,
                Rule::Existing(OnExisting::Overwrite) if first_time => true,
                Rule::Existing(_) => empty,
            };
            if take && current != Some(v) {
                into.custom.insert(k.clone(), v.clone());
                changed |= CUSTOM_BIT;
            }
        }
    }
    Changed(changed)
}

/// A blank contact, as a new row starts before the file's values are merged in.
pub fn new_fields(source: &str, now: i64) -> Fields {
    let mut values = crate::field::blank_values();
    values[Field::Source.index()] = Val::Text(source.to_string());
    values[Field::CreatedAt.index()] = Val::Int(now);
    Fields { values, custom: Map::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::N_FIELDS;

    fn cand(pairs: &[(Field, Val)]) -> Candidate {
        let mut values: [Option<Val>; N_FIELDS] = Default::default();
        for (f, v) in pairs {
            values[f.index()] = Some(v.clone());
        }
        Candidate {
            line: 2,
            email: "a@b.co".into(),
            email_norm: "a@b.co".into(),
            values,
            custom: Map::new(),
            tags: vec![],
        }
    }

    fn stored(pairs: &[(Field, Val)]) -> Fields {
        let mut f = Fields { values: crate::field::blank_values(), custom: Map::new() };
        for (field, v) in pairs {
            f.values[field.index()] = v.clone();
        }
        f
    }

    fn text(s: &str) -> Val {
        Val::Text(s.into())
    }

    #[test]
    fn fill_empty_overwrite_and_skip() {
        let c = cand(&[(Field::Phone, text("222")), (Field::Daw, text("Bitwig"))]);
        let base = stored(&[(Field::Phone, text("111"))]);
        for (mode, phone, daw, changed) in [
            (OnExisting::FillEmpty, "111", "Bitwig", true),
            (OnExisting::Overwrite, "222", "Bitwig", true),
            (OnExisting::Skip, "111", "", false),
        ] {
            let mut s = base.clone();
            assert_eq!(apply(&mut s, &c, Rule::Existing(mode), &mut 0).any(), changed, "{mode:?}");
            assert_eq!(s.values[Field::Phone.index()], text(phone), "{mode:?}");
            assert_eq!(s.values[Field::Daw.index()], text(daw), "{mode:?}");
        }
    }

    #[test]
    fn an_import_never_resubscribes_but_records_suppression() {
        let mut s = stored(&[(Field::Status, text("unsubscribed"))]);
        let active = cand(&[(Field::Status, text("active"))]);
        assert!(!apply(&mut s, &active, Rule::Existing(OnExisting::Overwrite), &mut 0).any());
        let mut s = stored(&[]);
        let bounced = cand(&[(Field::Status, text("bounced"))]);
        assert!(apply(&mut s, &bounced, Rule::Existing(OnExisting::Skip), &mut 0).any(), "suppression even under skip");
        assert_eq!(s.values[Field::Status.index()], text("bounced"));
    }

    #[test]
    fn later_rows_of_the_same_contact_only_give_what_earlier_rows_did_not() {
        let mut s = stored(&[(Field::Phone, text("000"))]);
        let mut mask = 0;
        apply(&mut s, &cand(&[(Field::Phone, text("111"))]), Rule::Existing(OnExisting::Overwrite), &mut mask);
        let changed = apply(
            &mut s,
            &cand(&[(Field::Phone, text("222")), (Field::Score, Val::Int(5))]),
            Rule::Existing(OnExisting::Overwrite),
            &mut mask,
        );
        assert!(changed.any());
        assert!(changed.has(Field::Score) && !changed.has(Field::Phone), "{changed:?}");
        assert_eq!(s.values[Field::Phone.index()], text("111"), "the first non-empty value in the file wins");
        assert_eq!(s.values[Field::Score.index()], Val::Int(5));
    }

    #[test]
    fn which_names_are_made_of_first_and_last_names() {
        let v = |name: &str, first: &str, last: &str| {
            stored(&[(Field::Name, text(name)), (Field::FirstName, text(first)), (Field::LastName, text(last))]).values
        };
        for (name, first, last, follows) in [
            ("", "Ana", "Silva", true),
            ("Ana Silva", "Ana", "Silva", true),
            ("Ana", "Ana", "", true),
            ("Silva", "", "Silva", true),
            ("Ana Silv", "Ana", "Silva", false),
            ("Ana Silva Jr", "Ana", "Silva", false),
            ("AnaSilva", "Ana", "Silva", false),
            ("DJ Ana", "Ana", "", false),
            ("Ana", "", "", false),
        ] {
            assert_eq!(name_follows_parts(&v(name, first, last)), follows, "{name:?} from {first:?} {last:?}");
        }
    }

    #[test]
    fn a_name_made_of_first_and_last_names_follows_them() {
        let parts = |first: &str, last: &str| cand(&[(Field::FirstName, text(first)), (Field::LastName, text(last))]);
        let name = |f: &Fields| f.values[Field::Name.index()].as_str().to_string();

        let mut created = new_fields("csv_import", 0);
        apply(&mut created, &parts("Ana", "Silva"), Rule::Created, &mut 0);
        assert_eq!(name(&created), "Ana Silva");

        let ben = stored(&[(Field::Name, text("Ben")), (Field::FirstName, text("Ben"))]);
        let berg = cand(&[(Field::LastName, text("Berg"))]);
        for mode in [OnExisting::FillEmpty, OnExisting::Overwrite] {
            let mut s = ben.clone();
            let changed = apply(&mut s, &berg, Rule::Existing(mode), &mut 0);
            assert_eq!(name(&s), "Ben Berg", "{mode:?}: the stored first name stays in the name");
            assert!(changed.has(Field::Name) && changed.has(Field::LastName), "{mode:?}");
        }
        let mut s = ben.clone();
        assert!(!apply(&mut s, &berg, Rule::Existing(OnExisting::Skip), &mut 0).any());

        let dj = stored(&[(Field::Name, text("DJ Ben")), (Field::FirstName, text("Ben"))]);
        let mut s = dj.clone();
        let changed = apply(&mut s, &berg, Rule::Existing(OnExisting::Overwrite), &mut 0);
        assert_eq!(name(&s), "DJ Ben", "a name written another way is not made from parts");
        assert!(!changed.has(Field::Name));

        let mut s = ben.clone();
        let mut both = berg.clone();
        both.values[Field::Name.index()] = Some(text("Benny B"));
        apply(&mut s, &both, Rule::Existing(OnExisting::Overwrite), &mut 0);
        assert_eq!(name(&s), "Benny B", "a name cell in the file is a value like any other");
    }

    #[test]
    fn custom_fields_follow_the_same_rules() {
        let mut c = cand(&[]);
        c.custom.insert("DAW Version".into(), Value::from("12"));
        c.custom.insert("City".into(), Value::from("Lyon"));
        let mut s = stored(&[]);
        s.custom.insert("City".into(), Value::from("Paris"));
        let mut fill = s.clone();
        apply(&mut fill, &c, Rule::Existing(OnExisting::FillEmpty), &mut 0);
        assert_eq!((fill.custom["City"].as_str(), fill.custom["DAW Version"].as_str()), (Some("Paris"), Some("12")));
        let mut over = s.clone();
        apply(&mut over, &c, Rule::Existing(OnExisting::Overwrite), &mut 0);
        assert_eq!(over.custom["City"], "Lyon");
        let mut skip = s.clone();
        assert!(!apply(&mut skip, &c, Rule::Existing(OnExisting::Skip), &mut 0).any());
    }
}
