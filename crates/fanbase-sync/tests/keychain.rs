//! The real OS keychain (Secret Service on Linux): run only under `scripts/with-keyring.sh`, which
//! starts a private D-Bus session and an unlocked GNOME Keyring. Outside it, this test fails
//! loudly instead of skipping (and never touches the developer's own keychain).

mod common;

use common::*;
use fanbase_sync::credentials::{self, Source};
use fanbase_sync::{Credentials, Keychain, Token};

fn require_private_keyring() {
    assert_eq!(
        std::env::var("FANBASE_TEST_KEYRING").as_deref(),
        Ok("1"),
        "tests/keychain.rs needs a private Secret Service: run it as \
         `scripts/with-keyring.sh cargo nextest run -p fanbase-sync --test keychain` (or `make rust-test`)"
    );
}

fn fresh_service() -> String {
    format!("fanbase-test-{}", uuid::Uuid::new_v4())
}

#[test]
fn the_secret_service_stores_reads_and_deletes_a_sign_in() {
    require_private_keyring();
    let service = fresh_service();
    let keychain = Keychain::with_service(&service).expect("an entry can be made");
    let creds =
        Credentials::new("https://happy-otter-123.convex.cloud", Token::new("fbdt_real_secret_service")).unwrap();
    keychain.save(&creds).expect("the Secret Service must accept the sign-in (is gnome-keyring running?)");

    // Read it back from the Secret Service itself, not from the kernel keyring cache.
    let ss = keyring::secret_service::SsCredential::new_with_target(None, &service, "desktop").unwrap();
    let direct = keyring::Entry::new_with_credential(Box::new(ss));
    let stored = direct.get_password().expect("the item is in the Secret Service");
    assert!(stored.contains("happy-otter-123"), "the deployment is kept with the token");
    assert_eq!(Keychain::with_service(&service).unwrap().load().unwrap(), Some(creds.clone()), "a new entry reads it");

    keychain.delete().unwrap();
    assert!(
        matches!(direct.get_password(), Err(keyring::Error::NoEntry)),
        "sign-out removes it from the Secret Service"
    );
    assert_eq!(Keychain::with_service(&service).unwrap().load().unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_keeps_the_token_in_the_keychain_and_sign_out_keeps_local_data() {
    require_private_keyring();
    let w = world(1, 300, 0).await;
    let service = fresh_service();
    let keychain = Keychain::with_service(&service).unwrap();
    let creds = Credentials::new(w.emulator.url(), Token::new(w.emulator.creator_token())).unwrap();
    let bad = Credentials::new(w.emulator.url(), Token::new("fbdt_wrong")).unwrap();
    let refused = fanbase_sync::sign_in(&w.db, &keychain, &bad, NOW).await.expect_err("a wrong token is refused");
    assert_eq!(refused.code(), "SIGN_IN_REQUIRED");
    assert_eq!(keychain.load().unwrap(), None, "a refused token is never stored");

    let who = fanbase_sync::sign_in(&w.db, &keychain, &creds, NOW).await.unwrap();
    assert_eq!(who.stores.len(), 1);
    std::env::remove_var(credentials::ENV_TOKEN);
    let (found, source) = credentials::resolve(|| Keychain::with_service(&service)).unwrap();
    assert_eq!((found, source), (creds.clone(), Source::Keychain), "the sync finds the sign-in in the keychain");
    let report = sync(&w.db, &client(&w.emulator, creds.token.expose()), None).await.unwrap();
    assert_eq!(report.pulled, 300);

    fanbase_sync::sign_out(&keychain).unwrap();
    assert!(matches!(credentials::resolve(|| Keychain::with_service(&service)), Err(fanbase_sync::Error::NotSignedIn)));
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM customers").await, 300, "sign-out keeps local data");
}
