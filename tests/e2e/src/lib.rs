//! The end-to-end harness: seeds a temporary database, starts the built app through tauri-driver
//! and hands the test a WebDriver client. Nothing here touches the real user data folder.

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tempfile::TempDir;

/// A running app window on its own temporary database and data folders.
pub struct App {
    pub client: Client,
    pub db_path: PathBuf,
    _driver: Driver,
    _home: TempDir,
}

/// The tauri-driver process group (driver, app and WebKitWebDriver), stopped when dropped: after
/// `quit`, after a test panics, and when `launch` itself gives up.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.0.try_wait() {
            return;
        }
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// A temporary folder holding the test's database file and the app's XDG folders.
pub struct Sandbox {
    pub dir: TempDir,
    pub db_path: PathBuf,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db_path = dir.path().join("fanbase.db");
        Sandbox { dir, db_path }
    }

    /// Opens the sandbox's database for seeding.
    pub async fn db(&self) -> fanbase_core::Db {
        fanbase_core::Db::open(&self.db_path).await.expect("open the test database")
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The built desktop binary: `$FANBASE_APP`, else `fanbase-desktop` next to the test's target dir.
fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("FANBASE_APP") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
    let app = profile_dir.join("fanbase-desktop");
    assert!(app.exists(), "build the app first (make build): {} is missing", app.display());
    app
}

/// Picks one rustls crypto provider for the test process. The WebDriver client enables aws-lc-rs
/// and the platform client (fanbase-sync, via reqwest) enables ring; with both compiled in, rustls
/// refuses to guess. Idempotent; `App::launch` calls it, tests that connect earlier call it first.
pub fn one_crypto_provider() {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
}

impl App {
    /// Starts the app on `sandbox`'s database and waits until its page is loaded.
    pub async fn launch(sandbox: Sandbox, extra_env: &[(&str, &str)]) -> App {
        one_crypto_provider();
        let (port, native_port) = (free_port(), free_port());
        let home = sandbox.dir;
        let driver_bin = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let mut cmd = Command::new(&driver_bin);
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("FANBASE_DB", &sandbox.db_path)
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // Its own process group, so quitting stops the native driver and the app with it.
            .process_group(0);
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let driver =
            Driver(cmd.spawn().unwrap_or_else(|e| panic!("cannot start {driver_bin}: {e} (make test installs it)")));

        let url = format!("http://127.0.0.1:{port}");
        let caps = json!({ "tauri:options": { "application": app_binary() } });
        let caps = caps.as_object().unwrap().clone();
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::rustls().expect("rustls").capabilities(caps.clone()).connect(&url).await {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("could not open a WebDriver session on {url}: {e}"),
            }
        };
        App { client, db_path: sandbox.db_path, _driver: driver, _home: home }
    }

    /// Waits up to 20 s for an element matching `css`.
    pub async fn find(&self, css: &str) -> Element {
        self.wait_until(css, |_| true).await
    }

    /// Waits up to 20 s for an element matching `css` whose attribute `attr` equals `value`.
    pub async fn find_with(&self, css: &str, attr: &str, value: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if el.attr(attr).await.ok().flatten().as_deref() == Some(value) {
                    return el;
                }
            }
            if Instant::now() > deadline {
                let seen = match self.client.find(Locator::Css(css)).await {
                    Ok(el) => el.attr(attr).await.ok().flatten(),
                    Err(_) => None,
                };
                panic!("timed out waiting for {css} with {attr}={value:?}; last seen {seen:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_until(&self, css: &str, ok: impl Fn(&Element) -> bool) -> Element {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if ok(&el) {
                    return el;
                }
            }
            assert!(Instant::now() < deadline, "timed out waiting for {css}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits up to 20 s until `script` (returning a JSON value) returns `want`; `what` names it.
    pub async fn wait_js(&self, script: &str, want: serde_json::Value, what: &str) {
        self.wait_js_for(script, want, what, 20).await;
    }

    /// [`App::wait_js`] with a limit of `secs` seconds.
    pub async fn wait_js_for(&self, script: &str, want: serde_json::Value, what: &str, secs: u64) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.js(script).await;
            if got == want {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}: want {want}, last got {got}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, vec![]).await.expect("script runs")
    }

    /// Saves a PNG of the window (for the README and for failures).
    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write screenshot");
    }

    /// Ends the session (which closes the window); dropping the app then stops the driver.
    pub async fn quit(self) {
        let _ = self.client.clone().close().await;
    }
}
