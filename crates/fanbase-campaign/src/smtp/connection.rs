//! Connections to the SMTP server over lettre (TLS implicit / STARTTLS required / none, AUTH), and
//! one message's SMTP transaction driven phase by phase, so that every failure is classified by
//! whether the server could have accepted the message: that is what lets sending never go twice.

use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};

use super::settings::{SmtpAccount, TlsMode};
use super::stream;
use crate::{Error, Result};

/// How one SMTP transaction ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server accepted the message (its reply, e.g. `250 2.0.0 queued as X`).
    Accepted(String),
    /// A 5xx reply: the message will never be accepted as it is.
    Permanent(String),
    /// A 4xx reply: try again later.
    Transient(String),
    /// The connection failed before the end of DATA: the server cannot have accepted it; safe to retry.
    NotSent(String),
    /// The connection failed after the message was written and before the server answered: it may
    /// or may not have been accepted. Never retried automatically.
    Unknown(String),
}

/// Opens authenticated connections to the configured server.
#[derive(Clone)]
pub struct Connector {
    host: String,
    port: u16,
    mode: TlsMode,
    tls: Option<TlsParameters>,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
}

impl Connector {
    pub fn new(account: &SmtpAccount) -> Result<Connector> {
        let s = &account.settings;
        s.validate()?;
        let tls = match s.tls {
            TlsMode::None => None,
            TlsMode::Implicit | TlsMode::Starttls => {
                let mut builder = TlsParameters::builder(s.host.clone());
                if !s.ca_pem.trim().is_empty() {
                    let cert = Certificate::from_pem(s.ca_pem.as_bytes())
                        .map_err(|e| Error::SmtpSettings(format!("the CA certificate could not be read: {e}")))?;
                    builder = builder.add_root_certificate(cert);
                }
                Some(builder.build_rustls().map_err(|e| Error::SmtpSettings(format!("TLS setup failed: {e}")))?)
            }
        };
        let credentials = match (&account.password, s.username.is_empty()) {
            (_, true) => None,
            (Some(p), false) => Some(Credentials::new(s.username.clone(), p.clone())),
            (None, false) => return Err(Error::SmtpPasswordMissing(s.account())),
        };
        Ok(Connector {
            host: s.host.clone(),
            port: s.port,
            mode: s.tls,
            tls,
            credentials,
            hello: ClientId::default(),
            timeout: Duration::from_secs(60),
        })
    }

    /// The same connector with another network timeout (tests use short ones).
    pub fn with_timeout(mut self, timeout: Duration) -> Connector {
        self.timeout = timeout;
        self
    }

    pub fn server(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// Connects (TCP_NODELAY, see `stream`), secures (implicit TLS or required STARTTLS) and authenticates.
    pub async fn connect(&self) -> Result<AsyncSmtpConnection> {
        let fail = |message: String| Error::SmtpConnect { server: self.server(), message };
        let tcp = stream::tcp(&self.host, self.port, self.timeout).await.map_err(|e| fail(e.to_string()))?;
        let transport: Box<dyn AsyncTokioStream> = match (self.mode, &self.tls) {
            (TlsMode::Implicit, Some(tls)) => stream::implicit_tls(tcp, tls.clone()).await.map_err(fail)?,
            _ => Box::new(tcp),
        };
        let greeting = AsyncSmtpConnection::connect_with_transport(transport, &self.hello);
        let mut conn = self.timed(greeting).await.map_err(fail)?;
        if self.mode == TlsMode::Starttls {
            if !conn.can_starttls() {
                conn.abort().await;
                return Err(fail("the server does not offer STARTTLS, which these settings require".into()));
            }
            let tls = self.tls.clone().expect("STARTTLS mode has TLS parameters");
            self.timed(conn.starttls(tls, &self.hello)).await.map_err(fail)?;
        }
        if let Some(credentials) = &self.credentials {
            self.timed(conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)).await.map_err(fail)?;
        }
        Ok(conn)
    }

    /// Runs one SMTP step within the network timeout.
    async fn timed<T>(
        &self,
        step: impl std::future::Future<Output = Result<T, lettre::transport::smtp::Error>>,
    ) -> Result<T, String> {
        match tokio::time::timeout(self.timeout, step).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer within {} s", self.timeout.as_secs())),
        }
    }

    /// The network timeout of each SMTP step.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

fn reply_text(e: &lettre::transport::smtp::Error) -> String {
    e.to_string()
}

/// Classifies an error of a command sent before the end of DATA.
fn before_data_end(e: &lettre::transport::smtp::Error) -> Outcome {
    if e.is_permanent() {
        Outcome::Permanent(reply_text(e))
    } else if e.is_transient() {
        Outcome::Transient(reply_text(e))
    } else {
        Outcome::NotSent(reply_text(e))
    }
}

/// Runs one SMTP transaction (MAIL, RCPT, DATA, message), each phase within `timeout`. After an
/// SMTP refusal the transaction is reset so the connection can be reused; after a network failure
/// or a timeout the connection is aborted (`has_broken()`) and must be dropped.
pub async fn deliver(
    conn: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    message: &[u8],
    timeout: Duration,
) -> Outcome {
    let mut options = Vec::new();
    let ascii = |a: &lettre::Address| AsRef::<str>::as_ref(a).is_ascii();
    let non_ascii = envelope.from().is_some_and(|a| !ascii(a)) || envelope.to().iter().any(|a| !ascii(a));
    if non_ascii {
        if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
            return Outcome::Permanent("the address is not ASCII and the server does not support SMTPUTF8".into());
        }
        options.push(MailParameter::SmtpUtfEight);
    }
    if !message.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let steps = async {
        conn.command(Mail::new(envelope.from().cloned(), options)).await?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), vec![])).await?;
        }
        conn.command(Data).await
    };
    let before = match tokio::time::timeout(timeout, steps).await {
        Ok(result) => result.map_err(|e| before_data_end(&e)),
        Err(_) => {
            Err(Outcome::NotSent(format!("no answer within {} s before the message was sent", timeout.as_secs())))
        }
    };
    if let Err(outcome) = before {
        let refused = matches!(outcome, Outcome::Permanent(_) | Outcome::Transient(_));
        if !refused || !matches!(tokio::time::timeout(timeout, conn.command(Rset)).await, Ok(Ok(_))) {
            conn.abort().await;
        }
        return outcome;
    }
    match tokio::time::timeout(timeout, conn.message(message)).await {
        Ok(Ok(reply)) => {
            Outcome::Accepted(format!("{} {}", reply.code(), reply.message().collect::<Vec<_>>().join(" ")))
        }
        Ok(Err(e)) if e.is_permanent() => Outcome::Permanent(reply_text(&e)),
        Ok(Err(e)) if e.is_transient() => Outcome::Transient(reply_text(&e)),
        Ok(Err(e)) => {
            conn.abort().await;
            Outcome::Unknown(reply_text(&e))
        }
        Err(_) => {
            conn.abort().await;
            Outcome::Unknown(format!("no answer within {} s after the message was sent", timeout.as_secs()))
        }
    }
}
