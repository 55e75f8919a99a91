//! How an emulator starts: a seed document (JSON file, or made by the generator) holding users,
//! stores, customers, engagement events and desktop tokens, loaded into a fresh `State`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::fields::FIELD_COUNT;
use crate::records::{Customer, Event, Store, User};
use crate::state::{State, Token};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seed {
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub stores: Vec<Store>,
    #[serde(default)]
    pub customers: Vec<Customer>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub tokens: Vec<SeedToken>,
}

/// A desktop token given by the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedToken {
    pub token: String,
    pub user_id: String,
    #[serde(default)]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub revoked: bool,
}

impl Seed {
    pub fn from_json(text: &str) -> Result<Seed, String> {
        serde_json::from_str(text).map_err(|e| format!("the seed is not valid: {e}"))
    }

    pub fn from_file(path: &Path) -> Result<Seed, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read seed {}: {e}", path.display()))?;
        Seed::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The state this seed describes; the message names the first record that does not fit.
    pub fn load(self) -> Result<State, String> {
        let mut state = State::default();
        for user in self.users {
            state.insert_user(user);
        }
        for store in self.stores {
            if state.user(&store.owner_id).is_none() {
                return Err(format!("store `{}`: its owner `{}` is not a seeded user", store.id, store.owner_id));
            }
            state.insert_store(store);
        }
        for mut c in self.customers {
            let store =
                state.store(&c.store_id).ok_or_else(|| format!("customer `{}`: no store `{}`", c.id, c.store_id))?;
            if c.admin_user_id.is_empty() {
                c.admin_user_id = store.store.owner_id.clone();
            }
            // Seeded fields count as changed when the record last was.
            c.modified = [c.updated_at; FIELD_COUNT];
            let id = c.id.clone();
            state.put_customer(c).map_err(|e| format!("customer `{id}`: {e}"))?;
        }
        for e in self.events {
            let id = e.id.clone();
            state.put_event(e).map_err(|why| format!("event `{id}`: {why}"))?;
        }
        for t in self.tokens {
            if state.user(&t.user_id).is_none() {
                return Err(format!("a seeded token names user `{}`, who is not seeded", t.user_id));
            }
            state.put_token(t.token, Token { user_id: t.user_id, expires_at: t.expires_at, revoked: t.revoked });
        }
        Ok(state)
    }
}
