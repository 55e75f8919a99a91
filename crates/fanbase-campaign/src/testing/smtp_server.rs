//! A small real SMTP server on loopback for tests and the benchmark: EHLO, STARTTLS or implicit
//! TLS (rustls, with a test CA from rcgen), AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT,
//! and replies injected per recipient and stage (4xx, 5xx, or dropping the connection).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::ca::TestCa;

/// Where a reply can be injected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Rcpt,
    /// After the message's final dot.
    DataEnd,
}

/// What an injected rule does instead of accepting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this line (for example `451 4.7.1 try later` or `550 5.1.1 no such user`).
    Reply(String),
    /// Keep the message (as if queued) but close the connection without answering.
    DropAfterAccept,
}

/// A rule: given the stage, the recipient and how many times this recipient reached this stage
/// before (0 the first time), answer with a fault or let it through.
pub type Rule = Arc<dyn Fn(Stage, &str, usize) -> Option<Fault> + Send + Sync>;

/// How the server behaves.
#[derive(Clone, Default)]
pub struct ServerConfig {
    /// Offer STARTTLS with this CA's `localhost`/`127.0.0.1` certificate, and require it before MAIL.
    pub starttls: Option<Arc<TestCa>>,
    /// TLS from the first byte (SMTPS) with this CA's certificate.
    pub implicit_tls: Option<Arc<TestCa>>,
    /// Require AUTH with this user and password before MAIL.
    pub credentials: Option<(String, String)>,
    pub rule: Option<Rule>,
    /// Wait this long before answering the final dot (a slow server).
    pub data_delay: Duration,
}

/// One accepted message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
    pub tls: bool,
    pub user: Option<String>,
}

/// A running server; it stops when dropped.
pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

#[derive(Default)]
struct Seen {
    counts: std::collections::HashMap<(u8, String), usize>,
}

impl SmtpServer {
    /// Starts listening on 127.0.0.1 (a free port) in the current tokio runtime.
    pub async fn start(config: ServerConfig) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let port = listener.local_addr().expect("local addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let (r, c) = (received.clone(), connections.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { continue };
                let _ = socket.set_nodelay(true);
                c.fetch_add(1, Ordering::SeqCst);
                let (config, received, seen) = (config.clone(), r.clone(), seen.clone());
                tokio::spawn(async move {
                    let _ = session(socket, config, received, seen).await;
                });
            }
        });
        SmtpServer { port, received, connections, task }
    }

    /// Every message accepted so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("not poisoned").clone()
    }

    pub fn count(&self) -> usize {
        self.received.lock().expect("not poisoned").len()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    config: ServerConfig,
    received: Arc<Mutex<Vec<Received>>>,
    seen: Arc<Mutex<Seen>>,
) -> std::io::Result<()> {
    let mut tls = false;
    let mut io: Box<dyn Io> = match &config.implicit_tls {
        Some(ca) => {
            tls = true;
            Box::new(TlsAcceptor::from(ca.server_config()).accept(socket).await?)
        }
        None => Box::new(socket),
    };
    io.write_all(b"220 fanbase-test ESMTP ready\r\n").await?;
    let mut reader = BufReader::new(io);
    let mut user: Option<String> = None;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        let verb = upper.split_whitespace().next().unwrap_or("").to_string();
        let reply: String = match verb.as_str() {
            "EHLO" | "HELO" => {
                let mut lines = vec!["250-fanbase-test".to_string(), "250-8BITMIME".into(), "250-SMTPUTF8".into()];
                if config.starttls.is_some() && !tls {
                    lines.push("250-STARTTLS".into());
                }
                if config.credentials.is_some() && (tls || config.starttls.is_none()) {
                    lines.push("250-AUTH PLAIN LOGIN".into());
                }
                lines.push("250 PIPELINING".into());
                from = None;
                to.clear();
                lines.join("\r\n")
            }
            "STARTTLS" if config.starttls.is_some() && !tls => {
                let mut io = reader.into_inner();
                io.write_all(b"220 2.0.0 go ahead\r\n").await?;
                io.flush().await?;
                let ca = config.starttls.clone().expect("checked");
                let stream = TlsAcceptor::from(ca.server_config()).accept(io).await?;
                tls = true;
                reader = BufReader::new(Box::new(stream));
                from = None;
                to.clear();
                continue;
            }
            "AUTH" => match auth(&cmd, &mut reader, &config).await? {
                Some(u) => {
                    user = Some(u);
                    "235 2.7.0 authenticated".into()
                }
                None => "535 5.7.8 bad credentials".into(),
            },
            "MAIL" if config.starttls.is_some() && !tls => "530 5.7.0 must issue STARTTLS first".into(),
            "MAIL" if config.credentials.is_some() && user.is_none() => "530 5.7.0 authentication required".into(),
            "MAIL" => {
                from = Some(address(&cmd));
                to.clear();
                "250 2.1.0 ok".into()
            }
            "RCPT" if from.is_none() => "503 5.5.1 MAIL first".into(),
            "RCPT" => {
                let rcpt = address(&cmd);
                match fault(&config, &seen, Stage::Rcpt, &rcpt) {
                    Some(Fault::Reply(r)) => r,
                    Some(Fault::DropAfterAccept) => return Ok(()),
                    None => {
                        to.push(rcpt);
                        "250 2.1.5 ok".into()
                    }
                }
            }
            "DATA" if to.is_empty() => "503 5.5.1 RCPT first".into(),
            "DATA" => {
                reader.get_mut().write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let data = read_data(&mut reader).await?;
                if !config.data_delay.is_zero() {
                    tokio::time::sleep(config.data_delay).await;
                }
                let rcpt = to.first().cloned().unwrap_or_default();
                let message = Received {
                    from: from.take().unwrap_or_default(),
                    to: std::mem::take(&mut to),
                    data,
                    tls,
                    user: user.clone(),
                };
                match fault(&config, &seen, Stage::DataEnd, &rcpt) {
                    Some(Fault::Reply(r)) => r,
                    Some(Fault::DropAfterAccept) => {
                        received.lock().expect("not poisoned").push(message);
                        return Ok(());
                    }
                    None => {
                        received.lock().expect("not poisoned").push(message);
                        "250 2.0.0 ok: queued".into()
                    }
                }
            }
            "RSET" => {
                from = None;
                to.clear();
                "250 2.0.0 ok".into()
            }
            "NOOP" => "250 2.0.0 ok".into(),
            "QUIT" => {
                reader.get_mut().write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => "502 5.5.2 command not recognized".into(),
        };
        // One write per reply: split writes meet Nagle and delayed ACKs (40 ms stalls per reply).
        let io = reader.get_mut();
        io.write_all(format!("{reply}\r\n").as_bytes()).await?;
        io.flush().await?;
    }
}

fn fault(config: &ServerConfig, seen: &Mutex<Seen>, stage: Stage, rcpt: &str) -> Option<Fault> {
    let rule = config.rule.as_ref()?;
    let n = {
        let mut seen = seen.lock().expect("not poisoned");
        let key = (stage as u8, rcpt.to_ascii_lowercase());
        let n = *seen.counts.get(&key).unwrap_or(&0);
        seen.counts.insert(key, n + 1);
        n
    };
    rule(stage, rcpt, n)
}

/// `MAIL FROM:<a@b> SIZE=1` → `a@b`.
fn address(cmd: &str) -> String {
    let start = cmd.find('<').map_or(0, |i| i + 1);
    let end = cmd[start..].find('>').map_or(cmd.len(), |i| start + i);
    cmd[start..end].to_string()
}

async fn read_data(reader: &mut BufReader<Box<dyn Io>>) -> std::io::Result<String> {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed in DATA"));
        }
        if line == ".\r\n" || line == ".\n" {
            return Ok(data);
        }
        data.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}

async fn auth(
    cmd: &str,
    reader: &mut BufReader<Box<dyn Io>>,
    config: &ServerConfig,
) -> std::io::Result<Option<String>> {
    let Some((want_user, want_pass)) = &config.credentials else { return Ok(None) };
    let b64 = base64::engine::general_purpose::STANDARD;
    let decode = |s: &str| String::from_utf8(b64.decode(s.trim()).unwrap_or_default()).unwrap_or_default();
    let parts: Vec<&str> = cmd.split_whitespace().collect();
    let mechanism = parts.get(1).map(|m| m.to_ascii_uppercase()).unwrap_or_default();
    let mut line = String::new();
    let (user, pass) = match mechanism.as_str() {
        "PLAIN" => {
            let payload = match parts.get(2) {
                Some(p) => p.to_string(),
                None => {
                    reader.get_mut().write_all(b"334 \r\n").await?;
                    reader.read_line(&mut line).await?;
                    line.trim().to_string()
                }
            };
            let decoded = decode(&payload);
            let mut fields = decoded.split('\0').skip(1);
            (fields.next().unwrap_or("").to_string(), fields.next().unwrap_or("").to_string())
        }
        "LOGIN" => {
            reader.get_mut().write_all(format!("334 {}\r\n", b64.encode("Username:")).as_bytes()).await?;
            reader.read_line(&mut line).await?;
            let user = decode(&line);
            line.clear();
            reader.get_mut().write_all(format!("334 {}\r\n", b64.encode("Password:")).as_bytes()).await?;
            reader.read_line(&mut line).await?;
            (user, decode(&line))
        }
        _ => return Ok(None),
    };
    Ok((user == *want_user && pass == *want_pass).then_some(user))
}
