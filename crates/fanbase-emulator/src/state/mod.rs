//! The platform's whole state in memory: users, stores with their fans and events, desktop
//! tokens, the change ledger and unsubscribe links. One `Mutex<State>` guards it; every function
//! call runs under that lock, so a mutation is atomic like a Convex transaction.

mod clock;
mod ledger;
mod store;
mod tokens;

use std::collections::{BTreeMap, HashMap, HashSet};

pub use clock::Clock;
pub use ledger::{ChangeSummary, ChangeTally};
pub use store::StoreData;
pub use tokens::{AuthFailure, Token};

use crate::records::{Customer, Event, Store, User};

/// Keys of every ordered index: `(updatedAt or at, _id)`.
pub type Key = (i64, String);

#[derive(Debug, Default)]
pub struct State {
    pub clock: Clock,
    pub(crate) users: HashMap<String, User>,
    pub(crate) users_by_update: BTreeMap<Key, ()>,
    pub(crate) stores: BTreeMap<String, StoreData>,
    /// customer `_id` → its store `_id`.
    pub(crate) customer_store: HashMap<String, String>,
    pub(crate) tokens: HashMap<String, Token>,
    pub(crate) ledger: HashMap<String, ChangeTally>,
    /// unsubscribe link token → (store `_id`, customer `_id`), and back.
    pub(crate) unsubscribe: HashMap<String, (String, String)>,
    pub(crate) unsubscribe_by_customer: HashMap<String, String>,
    /// Every `_id` ever used (users, stores, customers, events), so new ones never collide.
    pub(crate) ids: HashSet<String>,
    next_id: u64,
}

impl State {
    /// A fresh `_id` for `table`, never used before in this state.
    pub fn new_id(&mut self, prefix: &str) -> String {
        loop {
            self.next_id += 1;
            let id = format!("{prefix}{:09}", self.next_id);
            if !self.ids.contains(&id) {
                return id;
            }
        }
    }

    /// An unguessable-looking secret (desktop token or link token), unique in this state.
    pub fn new_secret(&mut self, prefix: &str) -> String {
        loop {
            self.next_id += 1;
            let a = mix(self.next_id ^ self.clock.now() as u64);
            let b = mix(a ^ 0x9e37_79b9_7f4a_7c15);
            let secret = format!("{prefix}{a:016x}{b:016x}");
            if !self.tokens.contains_key(&secret) && !self.unsubscribe.contains_key(&secret) {
                return secret;
            }
        }
    }

    pub fn insert_user(&mut self, user: User) {
        if let Some(old) = self.users.get(&user.id) {
            self.users_by_update.remove(&(old.updated_at, old.id.clone()));
        }
        self.clock.observe(user.updated_at.max(user.creation_time));
        self.users_by_update.insert((user.updated_at, user.id.clone()), ());
        self.ids.insert(user.id.clone());
        self.users.insert(user.id.clone(), user);
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.get(id)
    }

    pub fn insert_store(&mut self, store: Store) {
        self.ids.insert(store.id.clone());
        match self.stores.get_mut(&store.id) {
            Some(existing) => existing.store = store,
            None => {
                self.stores.insert(store.id.clone(), StoreData::new(store));
            }
        }
    }

    pub fn store(&self, id: &str) -> Option<&StoreData> {
        self.stores.get(id)
    }

    /// Adds or replaces a customer in its store (which must exist), keeping every index right.
    pub fn put_customer(&mut self, customer: Customer) -> Result<(), String> {
        self.clock.observe(customer.updated_at.max(customer.creation_time));
        let store_id = customer.store_id.clone();
        let store = self.stores.get_mut(&store_id).ok_or_else(|| format!("no store `{store_id}`"))?;
        self.customer_store.insert(customer.id.clone(), store_id);
        self.ids.insert(customer.id.clone());
        store.put(customer)
    }

    /// Adds an engagement event to its store (which must exist).
    pub fn put_event(&mut self, event: Event) -> Result<(), String> {
        self.clock.observe(event.at);
        let store = self.stores.get_mut(&event.store_id).ok_or_else(|| format!("no store `{}`", event.store_id))?;
        self.ids.insert(event.id.clone());
        store.events.insert((event.at, event.id.clone()), event);
        Ok(())
    }

    /// The customer with this `_id`.
    pub fn customer(&self, id: &str) -> Option<&Customer> {
        let store = self.customer_store.get(id)?;
        self.stores.get(store)?.customer(id)
    }
}

/// SplitMix64's finaliser: spreads a counter into well-mixed bits.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
