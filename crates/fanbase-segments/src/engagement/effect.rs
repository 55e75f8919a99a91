//! What engagement events do to a contact, as a pure function: the plan that `apply` executes.
//! Order-independent: opens and clicks only turn on, the last open only moves later, the status
//! only gets stronger (active < bounced < unsubscribed < complained), a purchase adds its amount.

use serde_json::{json, Map, Value};

use super::{EventKind, Origin};

/// The fields of a contact that events change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactState {
    pub opens_email: bool,
    pub clicks_links: bool,
    pub last_open_date: i64,
    pub status: String,
    pub total_spent_cents: i64,
    /// `type`: lead, paying or subscription.
    pub kind: String,
    /// The platform's `updatedAt` last pulled for this contact, if it was ever synced.
    pub remote_updated_at: Option<i64>,
}

/// An event as far as its effect goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Happening {
    pub kind: EventKind,
    pub at: i64,
    pub amount_cents: i64,
    pub origin: Origin,
}

fn strength(status: &str) -> u8 {
    match status {
        "bounced" => 1,
        "unsubscribed" => 2,
        "complained" => 3,
        _ => 0,
    }
}

/// The contact after `events`.
///
/// A purchase from the platform that is not newer than the contact's last pulled `updatedAt` is
/// already in the pulled `totalSpent`, so its amount is not added again; imported purchases
/// (CSV) always add theirs.
pub fn after(state: &ContactState, events: &[Happening]) -> ContactState {
    let mut next = state.clone();
    for e in events {
        match e.kind {
            EventKind::Open => {
                next.opens_email = true;
                next.last_open_date = next.last_open_date.max(e.at);
            }
            EventKind::Click => next.clicks_links = true,
            EventKind::Bounce | EventKind::Unsubscribe | EventKind::Complaint => {
                let status = match e.kind {
                    EventKind::Bounce => "bounced",
                    EventKind::Unsubscribe => "unsubscribed",
                    _ => "complained",
                };
                if strength(status) > strength(&next.status) {
                    next.status = status.to_string();
                }
            }
            EventKind::Purchase => {
                if next.kind == "lead" {
                    next.kind = "paying".to_string();
                }
                let already_pulled = e.origin == Origin::Sync && state.remote_updated_at.is_some_and(|r| e.at <= r);
                if !already_pulled {
                    next.total_spent_cents += e.amount_cents;
                }
            }
            EventKind::Enrollment => {}
        }
    }
    next
}

/// What the imported (CSV) events among `events` changed, as an outbox `set` (local columns and
/// units; the push converts them to the contract) holding the values of `result` (the state after
/// all `events`). The platform never saw those events, so their effects are local edits to push;
/// events that came from the platform are in its record already.
pub fn imported_changes(state: &ContactState, events: &[Happening], result: &ContactState) -> Map<String, Value> {
    let imported: Vec<Happening> = events.iter().copied().filter(|e| e.origin == Origin::Import).collect();
    let by_import = after(state, &imported);
    let mut set = Map::new();
    let mut put = |changed: bool, column: &str, value: Value| {
        if changed {
            set.insert(column.into(), value);
        }
    };
    put(by_import.status != state.status, "status", json!(result.status));
    put(by_import.opens_email != state.opens_email, "opens_email", json!(result.opens_email));
    put(by_import.clicks_links != state.clicks_links, "clicks_links", json!(result.clicks_links));
    put(by_import.last_open_date != state.last_open_date, "last_open_date", json!(result.last_open_date));
    put(by_import.total_spent_cents != state.total_spent_cents, "total_spent_cents", json!(result.total_spent_cents));
    put(by_import.kind != state.kind, "type", json!(result.kind));
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead() -> ContactState {
        ContactState {
            opens_email: false,
            clicks_links: false,
            last_open_date: 0,
            status: "active".into(),
            total_spent_cents: 0,
            kind: "lead".into(),
            remote_updated_at: None,
        }
    }

    fn ev(kind: EventKind, at: i64, amount_cents: i64) -> Happening {
        Happening { kind, at, amount_cents, origin: Origin::Import }
    }

    #[test]
    fn each_kind_changes_what_it_should() {
        let s = after(&lead(), &[ev(EventKind::Open, 50, 0), ev(EventKind::Open, 20, 0)]);
        assert!(s.opens_email && s.last_open_date == 50, "an open sets opens_email and the latest open wins: {s:?}");
        assert!(after(&lead(), &[ev(EventKind::Click, 1, 0)]).clicks_links, "a click sets clicks_links");
        let s = after(&lead(), &[ev(EventKind::Purchase, 1, 4900), ev(EventKind::Purchase, 2, 100)]);
        assert_eq!((s.total_spent_cents, s.kind.as_str()), (5000, "paying"), "purchases add up and make a lead paying");
        let mut sub = lead();
        sub.kind = "subscription".into();
        assert_eq!(after(&sub, &[ev(EventKind::Purchase, 1, 1)]).kind, "subscription", "a subscriber stays one");
        assert_eq!(after(&lead(), &[ev(EventKind::Enrollment, 1, 0)]), lead(), "an enrollment changes no field");
    }

    #[test]
    fn status_only_gets_stronger_whatever_the_order() {
        use EventKind::*;
        let kinds = [Bounce, Unsubscribe, Complaint];
        for a in kinds {
            for b in kinds {
                let ab = after(&lead(), &[ev(a, 1, 0), ev(b, 2, 0)]).status;
                let ba = after(&lead(), &[ev(b, 1, 0), ev(a, 2, 0)]).status;
                assert_eq!(ab, ba, "the status must not depend on the order of {a:?} and {b:?}");
            }
        }
        assert_eq!(after(&lead(), &[ev(Complaint, 1, 0), ev(Bounce, 2, 0)]).status, "complained");
        assert_eq!(after(&lead(), &[ev(Bounce, 1, 0), ev(Unsubscribe, 2, 0)]).status, "unsubscribed");
    }

    #[test]
    fn a_synced_purchase_already_in_the_pulled_total_is_not_added_twice() {
        let mut synced = lead();
        synced.remote_updated_at = Some(1000);
        let old = Happening { kind: EventKind::Purchase, at: 900, amount_cents: 4900, origin: Origin::Sync };
        let new = Happening { at: 1100, ..old };
        assert_eq!(after(&synced, &[old]).total_spent_cents, 0, "the pulled totalSpent already counts it");
        assert_eq!(after(&synced, &[new]).total_spent_cents, 4900, "a purchase after the last pull is added");
        let imported = Happening { origin: Origin::Import, ..old };
        assert_eq!(after(&synced, &[imported]).total_spent_cents, 4900, "imported purchases always add");
    }

    #[test]
    fn only_what_imported_events_changed_is_pushed() {
        let pulled = Happening { kind: EventKind::Click, at: 5, amount_cents: 0, origin: Origin::Sync };
        let events = [ev(EventKind::Unsubscribe, 10, 0), ev(EventKind::Open, 20, 0), pulled];
        let result = after(&lead(), &events);
        let set = imported_changes(&lead(), &events, &result);
        assert_eq!(
            Value::Object(set),
            json!({"status": "unsubscribed", "opens_email": true, "last_open_date": 20}),
            "the click came from the platform: it is not pushed back"
        );
        let bought = [ev(EventKind::Purchase, 30, 4950)];
        let set = imported_changes(&lead(), &bought, &after(&lead(), &bought));
        assert_eq!(Value::Object(set), json!({"type": "paying", "total_spent_cents": 4950}), "money in cents");
        assert!(imported_changes(&lead(), &[pulled], &after(&lead(), &[pulled])).is_empty());
    }
}
