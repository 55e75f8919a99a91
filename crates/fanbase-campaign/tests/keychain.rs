//! The SMTP password in the real OS keychain (Secret Service on Linux): run only under
//! `scripts/with-keyring.sh` (as `make rust-test` does), which starts a private D-Bus session and
//! an unlocked GNOME Keyring. Outside it this test fails loudly instead of skipping, and it never
//! touches the developer's own keychain.

use fanbase_campaign::smtp::settings;
use fanbase_campaign::{SmtpSettings, TlsMode};

#[test]
fn the_smtp_password_is_stored_read_and_forgotten_in_the_keychain() {
    assert_eq!(
        std::env::var("FANBASE_TEST_KEYRING").as_deref(),
        Ok("1"),
        "tests/keychain.rs needs a private Secret Service: run it as \
         `scripts/with-keyring.sh cargo nextest run -p fanbase-campaign --test keychain` (or `make rust-test`)"
    );
    assert!(std::env::var_os(settings::PASSWORD_ENV).is_none(), "the env var would hide the keychain");
    let s = SmtpSettings {
        host: format!("smtp-{}.test", rand::random::<u64>()),
        port: 587,
        tls: TlsMode::Starttls,
        username: "creator".into(),
        ca_pem: String::new(),
        unsubscribe_url_template: String::new(),
        unsubscribe_mailto: String::new(),
    };
    assert_eq!(settings::password(&s).unwrap_err().code(), "SMTP_PASSWORD_MISSING", "nothing stored yet");
    settings::store_password(&s, "p@ss wörd").expect("the Secret Service accepts the password");
    assert_eq!(settings::password(&s).unwrap().as_deref(), Some("p@ss wörd"), "read back from the keychain");
    settings::forget_password(&s).unwrap();
    assert_eq!(settings::password(&s).unwrap_err().code(), "SMTP_PASSWORD_MISSING", "forgotten");
    let no_user = SmtpSettings { username: String::new(), ..s };
    assert_eq!(settings::password(&no_user).unwrap(), None, "no user, no password, no keychain");
}
