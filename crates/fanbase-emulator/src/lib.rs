//! A faithful local emulator of the hosted platform's `desktop:*` functions over Convex's HTTP
//! function API (contract v1, `shared/platform-api.md`), in memory, with fault switches, for the
//! sync client's tests and for demos. Independent of `fanbase-core` on purpose: it is the server.

mod args;
mod control;
mod edit;
pub mod faults;
mod fields;
mod functions;
pub mod generate;
mod http;
mod paging;
pub mod platform;
pub mod records;
mod refusal;
pub mod seed;
pub mod state;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use serde_json::json;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use faults::{FaultSettings, Faults, Rule};
pub use generate::Generate;
pub use platform::{NewEvent, Platform, StoreSummary, WebEdit};
pub use records::{Customer, CustomerType, Event, EventKind, Role, Status, Store, User};
pub use seed::{Seed, SeedToken};
pub use state::{ChangeSummary, ChangeTally};

/// Where and how the server listens.
#[derive(Debug, Clone)]
pub struct Options {
    pub host: IpAddr,
    /// 0 = any free port.
    pub port: u16,
    /// One line per call on stderr (never a token).
    pub verbose: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { host: IpAddr::V4(Ipv4Addr::LOCALHOST), port: 0, verbose: false }
    }
}

/// `(token, userId)` of a demo account.
type Account = (String, String);

/// A running emulator; dropping it stops the server.
pub struct Emulator {
    url: String,
    platform: Platform,
    faults: Faults,
    admin: Option<Account>,
    creator: Option<Account>,
    creator_store: Option<String>,
    task: JoinHandle<()>,
    /// The runtime of `start_detached`, owned by this handle.
    runtime: Option<tokio::runtime::Runtime>,
}

impl Emulator {
    /// Starts on 127.0.0.1 on a free port, on a task of the current tokio runtime.
    pub async fn start(seed: Seed) -> io::Result<Emulator> {
        Emulator::start_with(seed, Options::default()).await
    }

    pub async fn start_with(seed: Seed, options: Options) -> io::Result<Emulator> {
        let demo_order: Vec<(String, String)> =
            seed.tokens.iter().map(|t| (t.token.clone(), t.user_id.clone())).collect();
        let state = seed.load().map_err(|why| io::Error::new(io::ErrorKind::InvalidData, why))?;
        let platform = Platform::new(state);
        let (admin, creator, creator_store) = demo_tokens(&platform, &demo_order);
        let listener = TcpListener::bind((options.host, options.port)).await?;
        let port = listener.local_addr()?.port();
        let shown = if options.host.is_unspecified() { IpAddr::V4(Ipv4Addr::LOCALHOST) } else { options.host };
        let url = format!("http://{}", SocketAddr::new(shown, port));
        let faults = Faults::default();
        let demo = json!({
            "url": url,
            "adminToken": admin.as_ref().map(|a| &a.0),
            "creatorToken": creator.as_ref().map(|c| &c.0),
            "creatorStoreId": creator_store,
        });
        let app = http::App {
            platform: platform.clone(),
            faults: faults.clone(),
            base_url: url.as_str().into(),
            verbose: options.verbose,
            demo: Arc::new(demo),
        };
        let service = http::router(app).into_make_service_with_connect_info::<SocketAddr>();
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, service).await {
                eprintln!("fanbase-emulator: the server stopped: {e}");
            }
        });
        Ok(Emulator { url, platform, faults, admin, creator, creator_store, task, runtime: None })
    }

    /// Starts on a runtime of its own (two worker threads), for synchronous tests and harnesses
    /// whose client blocks. Call it from plain (non-async) code: it blocks until the port is bound.
    pub fn start_detached(seed: Seed) -> io::Result<Emulator> {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let mut emulator = runtime.block_on(Emulator::start(seed))?;
        emulator.runtime = Some(runtime);
        Ok(emulator)
    }

    /// The deployment URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A token of an admin user. Panics if the seed has no admin user.
    pub fn admin_token(&self) -> &str {
        &self.admin.as_ref().expect("the seed has no admin user, so there is no admin token").0
    }

    /// A token of a non-admin user who owns a store. Panics if the seed has none.
    pub fn creator_token(&self) -> &str {
        &self.creator.as_ref().expect("the seed has no non-admin store owner, so there is no creator token").0
    }

    pub fn admin_user_id(&self) -> &str {
        &self.admin.as_ref().expect("the seed has no admin user").1
    }

    pub fn creator_user_id(&self) -> &str {
        &self.creator.as_ref().expect("the seed has no non-admin store owner").1
    }

    /// `(token, userId)` of the demo admin, if the seed has an admin user.
    pub fn admin(&self) -> Option<(&str, &str)> {
        self.admin.as_ref().map(|(t, u)| (t.as_str(), u.as_str()))
    }

    /// `(token, userId)` of the demo creator, if the seed has a non-admin store owner.
    pub fn creator(&self) -> Option<(&str, &str)> {
        self.creator.as_ref().map(|(t, u)| (t.as_str(), u.as_str()))
    }

    /// The first store (by `_id`) the creator owns.
    pub fn creator_store_id(&self) -> &str {
        self.creator_store.as_deref().expect("the seed has no non-admin store owner")
    }

    /// A new token for any user (for instance a non-admin who owns no store).
    pub fn token_for(&self, user_id: &str) -> String {
        self.platform.issue_token(user_id, None).unwrap_or_else(|why| panic!("cannot issue a token: {why}"))
    }

    /// The platform's data: inspection, tokens and website edits.
    pub fn state(&self) -> &Platform {
        &self.platform
    }

    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Waits until the server stops (it runs until the process ends or this handle is dropped).
    pub async fn serve_forever(mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// `(token, userId)` of the first usable admin token and the first non-admin store owner's token
/// (seed order), issuing new ones when the seed has none; and the creator's first store.
fn demo_tokens(platform: &Platform, seeded: &[(String, String)]) -> (Option<Account>, Option<Account>, Option<String>) {
    let mut state = platform.lock();
    let now = state.clock.now();
    let owners: Vec<(String, String)> =
        state.stores.values().map(|s| (s.store.owner_id.clone(), s.store.id.clone())).collect();
    let usable = |state: &state::State, token: &str| state.authenticate(Some(&format!("Bearer {token}")), now).ok();
    let is_creator = |u: &User| !u.admin && owners.iter().any(|(o, _)| *o == u.id);
    let find = |state: &state::State, want: &dyn Fn(&User) -> bool| {
        seeded.iter().find(|(t, _)| usable(state, t).is_some_and(|u| want(&u))).cloned()
    };
    let mut admin = find(&state, &|u| u.admin);
    let mut creator = find(&state, &is_creator);
    let mut users: Vec<User> = state.users.values().cloned().collect();
    users.sort_by(|a, b| a.id.cmp(&b.id));
    if admin.is_none() {
        if let Some(u) = users.iter().find(|u| u.admin) {
            admin = state.issue_token(&u.id, None).ok().map(|t| (t, u.id.clone()));
        }
    }
    if creator.is_none() {
        if let Some(u) = users.iter().find(|u| is_creator(u)) {
            creator = state.issue_token(&u.id, None).ok().map(|t| (t, u.id.clone()));
        }
    }
    let creator_store =
        creator.as_ref().and_then(|(_, uid)| owners.iter().find(|(o, _)| o == uid).map(|(_, s)| s.clone()));
    (admin, creator, creator_store)
}
