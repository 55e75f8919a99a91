//! One store's fans and engagement events, indexed by `_id`, by email and by `(updatedAt, _id)`
//! (events by `(at, _id)`), so any page of a pull is one ordered range read. Each fan's wire JSON
//! is rendered once per write, so a page of 1,000 is a copy, not 1,000 serialisations.

use std::collections::{BTreeMap, HashMap};

use super::Key;
use crate::records::{email_key, Customer, Event, Store};

#[derive(Debug)]
struct Stored {
    customer: Customer,
    json: Box<str>,
}

#[derive(Debug)]
pub struct StoreData {
    pub store: Store,
    customers: HashMap<String, Stored>,
    pub(crate) by_update: BTreeMap<Key, ()>,
    /// normalised email → `_id`, deleted customers included: (storeId, email) stays unique.
    by_email: HashMap<String, String>,
    pub(crate) events: BTreeMap<Key, Event>,
}

impl StoreData {
    pub fn new(store: Store) -> StoreData {
        StoreData {
            store,
            customers: HashMap::new(),
            by_update: BTreeMap::new(),
            by_email: HashMap::new(),
            events: BTreeMap::new(),
        }
    }

    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers.get(id).map(|s| &s.customer)
    }

    /// The customer's record as it goes on the wire.
    pub fn customer_json(&self, id: &str) -> Option<&str> {
        self.customers.get(id).map(|s| &*s.json)
    }

    pub fn customer_by_email(&self, email: &str) -> Option<&Customer> {
        self.customer(self.by_email.get(&email_key(email))?)
    }

    /// Adds or replaces a customer; refuses an email that another customer of the store has.
    pub fn put(&mut self, customer: Customer) -> Result<(), String> {
        let key = email_key(&customer.email);
        if let Some(other) = self.by_email.get(&key).filter(|id| **id != customer.id) {
            return Err(format!("`{}` is already the email of customer `{other}` in this store", customer.email));
        }
        if let Some(Stored { customer: old, .. }) = self.customers.get(&customer.id) {
            self.by_update.remove(&(old.updated_at, old.id.clone()));
            self.by_email.remove(&email_key(&old.email));
        }
        self.by_update.insert((customer.updated_at, customer.id.clone()), ());
        self.by_email.insert(key, customer.id.clone());
        let json = serde_json::to_string(&customer).expect("a customer always serialises").into_boxed_str();
        self.customers.insert(customer.id.clone(), Stored { customer, json });
        Ok(())
    }

    /// Customers not deleted.
    pub fn live_count(&self) -> usize {
        self.customers.values().filter(|s| s.customer.deleted_at.is_none()).count()
    }

    /// Every customer, deleted ones included, in `(updatedAt, _id)` order.
    pub fn customers(&self) -> impl Iterator<Item = &Customer> {
        self.by_update.keys().filter_map(|(_, id)| self.customer(id))
    }

    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.events.values()
    }
}
