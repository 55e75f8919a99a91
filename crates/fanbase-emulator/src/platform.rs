//! `Platform`: the running emulator's state as tests and the control endpoints see it — look up
//! customers and users, read the change ledger, manage tokens, and act as the website would
//! (edit, add or delete a fan) to make remote changes and conflicts.

use std::sync::{Arc, Mutex, MutexGuard};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::edit::{new_customer, Edit};
use crate::fields::validate_set;
use crate::records::{email_is_valid, Customer, Event, EventKind, Store, User};
use crate::state::{ChangeSummary, ChangeTally, State};

/// A cheap-to-clone handle on the state the server runs on.
#[derive(Debug, Clone)]
pub struct Platform {
    inner: Arc<Mutex<State>>,
}

/// An edit made on the platform's website (the JSON body of `POST /_control/web-edit`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebEdit {
    #[serde(default)]
    pub set: Map<String, Value>,
    #[serde(default)]
    pub add_tags: Vec<String>,
    #[serde(default)]
    pub remove_tags: Vec<String>,
    #[serde(default)]
    pub delete: bool,
}

/// An engagement event to record (the JSON body of `POST /_control/events`, with storeId and email).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewEvent {
    pub kind: EventKind,
    #[serde(default)]
    pub campaign_id: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// Dollars, for purchases.
    #[serde(default)]
    pub amount: Option<f64>,
}

/// One store with its counts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreSummary {
    #[serde(flatten)]
    pub store: Store,
    pub live_customers: usize,
    pub deleted_customers: usize,
    pub events: usize,
}

impl Platform {
    pub fn new(state: State) -> Platform {
        Platform { inner: Arc::new(Mutex::new(state)) }
    }

    /// The state, locked (a panic elsewhere never makes it unusable).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn now(&self) -> i64 {
        self.lock().clock.now()
    }

    /// A store's fan by email (case and surrounding spaces ignored), deleted ones included.
    pub fn customer_by_email(&self, store_id: &str, email: &str) -> Option<Customer> {
        self.lock().store(store_id)?.customer_by_email(email).cloned()
    }

    pub fn customer(&self, id: &str) -> Option<Customer> {
        self.lock().customer(id).cloned()
    }

    /// Every fan of a store, deleted ones included, in `(updatedAt, _id)` order.
    pub fn customers(&self, store_id: &str) -> Vec<Customer> {
        self.lock().store(store_id).map(|s| s.customers().cloned().collect()).unwrap_or_default()
    }

    pub fn events(&self, store_id: &str) -> Vec<Event> {
        self.lock().store(store_id).map(|s| s.events().cloned().collect()).unwrap_or_default()
    }

    pub fn stores(&self) -> Vec<StoreSummary> {
        let state = self.lock();
        state
            .stores
            .values()
            .map(|s| {
                let live = s.live_count();
                StoreSummary {
                    store: s.store.clone(),
                    live_customers: live,
                    deleted_customers: s.customers().count() - live,
                    events: s.events.len(),
                }
            })
            .collect()
    }

    /// Every user, by `_id`.
    pub fn users(&self) -> Vec<User> {
        let state = self.lock();
        let mut users: Vec<User> = state.users.values().cloned().collect();
        users.sort_by(|a, b| a.id.cmp(&b.id));
        users
    }

    pub fn user(&self, id: &str) -> Option<User> {
        self.lock().user(id).cloned()
    }

    /// What happened to one pushed `changeId`.
    pub fn change(&self, change_id: &str) -> Option<ChangeTally> {
        self.lock().ledger.get(change_id).cloned()
    }

    pub fn changes(&self) -> ChangeSummary {
        ChangeSummary::of(self.lock().ledger.values())
    }

    pub fn issue_token(&self, user_id: &str, expires_at: Option<i64>) -> Result<String, String> {
        self.lock().issue_token(user_id, expires_at)
    }

    pub fn expire_token(&self, token: &str) -> Result<(), String> {
        self.lock().expire_token(token)
    }

    pub fn revoke_token(&self, token: &str) -> Result<(), String> {
        self.lock().revoke_token(token)
    }

    /// Edits (or deletes) a fan as the website would, now: its `updatedAt` and the modification
    /// times of the fields it changes move, so a desktop edit made before conflicts.
    pub fn web_edit(&self, store_id: &str, email: &str, edit: WebEdit) -> Result<Customer, String> {
        let mut state = self.lock();
        let store = state.store(store_id).ok_or_else(|| format!("no store `{store_id}`"))?;
        let mut c =
            store.customer_by_email(email).cloned().ok_or_else(|| format!("no fan `{email}` in `{store_id}`"))?;
        let e = Edit::new(validate_set(&edit.set)?, &edit.add_tags, &edit.remove_tags)?;
        let now = state.clock.tick();
        if edit.delete {
            c.deleted_at = Some(now);
            c.updated_at = now;
        } else {
            e.apply(&mut c, now);
        }
        state.put_customer(c.clone())?;
        Ok(c)
    }

    /// Records an engagement event of a store's fan now (an open, a purchase, ...), as the
    /// platform would; `event`'s `_id`, `storeId`, `customerId`, `email` and `at` are filled in.
    pub fn add_event(&self, store_id: &str, email: &str, event: NewEvent) -> Result<Event, String> {
        let mut state = self.lock();
        let store = state.store(store_id).ok_or_else(|| format!("no store `{store_id}`"))?;
        let fan = store.customer_by_email(email).ok_or_else(|| format!("no fan `{email}` in `{store_id}`"))?;
        let (customer_id, email) = (fan.id.clone(), fan.email.clone());
        let at = state.clock.tick();
        let e = Event {
            id: state.new_id("e"),
            store_id: store_id.to_string(),
            customer_id,
            email,
            campaign_id: event.campaign_id,
            kind: event.kind,
            at,
            url: event.url,
            amount: event.amount,
        };
        state.put_event(e.clone())?;
        Ok(e)
    }

    /// Adds a fan as the website would (a sign-up or a purchase), with `set` applied.
    pub fn web_add(&self, store_id: &str, email: &str, set: Map<String, Value>) -> Result<Customer, String> {
        if !email_is_valid(email) {
            return Err(format!("`{email}` is not a valid email address"));
        }
        let mut state = self.lock();
        let store = state.store(store_id).ok_or_else(|| format!("no store `{store_id}`"))?;
        if store.customer_by_email(email).is_some() {
            return Err(format!("`{email}` is already a fan of `{store_id}`"));
        }
        let owner = store.store.owner_id.clone();
        let e = Edit::new(validate_set(&set)?, &[], &[])?;
        let now = state.clock.tick();
        let id = state.new_id("c");
        let mut c = new_customer(id, store_id, &owner, email, "web_signup", now);
        e.apply(&mut c, now);
        state.put_customer(c.clone())?;
        Ok(c)
    }
}
