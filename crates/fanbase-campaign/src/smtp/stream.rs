//! TCP streams for lettre with TCP_NODELAY: lettre writes a message's body and its final dot in
//! two writes, and with Nagle's algorithm the dot waits for the peer's delayed ACK (~40 ms per
//! message, which capped a connection at ~21 msg/s). Implicit TLS is layered over the same stream.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::io::{AsyncRead as FuturesRead, AsyncWrite as FuturesWrite};
// `AsyncNetworkStream` is deprecated as "not meant to be public" in lettre 0.11, but it is the only
// way to run lettre's own TLS over a stream we configured; revisit when moving to lettre 0.12.
#[allow(deprecated)]
use lettre::transport::smtp::client::AsyncNetworkStream;
use lettre::transport::smtp::client::{AsyncTokioStream, TlsParameters};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Connects to `host:port` within `timeout`, with Nagle's algorithm off.
pub async fn tcp(host: &str, port: u16, timeout: Duration) -> io::Result<TcpStream> {
    let stream = tokio::time::timeout(timeout, TcpStream::connect((host, port)))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, format!("no answer within {} s", timeout.as_secs())))??;
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// TLS from the first byte over a no-delay TCP stream, for `AsyncSmtpConnection::connect_with_transport`.
/// The error is a message for `Error::SmtpConnect`.
pub async fn implicit_tls(tcp: TcpStream, tls: TlsParameters) -> Result<Box<dyn AsyncTokioStream>, String> {
    let peer = tcp.peer_addr().map_err(|e| e.to_string())?;
    #[allow(deprecated)]
    let mut stream = AsyncNetworkStream::use_existing_tokio1(Box::new(tcp));
    stream.upgrade_tls(tls).await.map_err(|e| e.to_string())?;
    Ok(Box::new(Tls { inner: stream, peer }))
}

/// lettre's TLS stream (futures-io traits) seen through tokio's traits.
struct Tls {
    #[allow(deprecated)]
    inner: AsyncNetworkStream,
    peer: SocketAddr,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls").field("peer", &self.peer).finish()
    }
}

impl AsyncTokioStream for Tls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.peer)
    }
}

impl AsyncRead for Tls {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let unfilled = buf.initialize_unfilled();
        match Pin::new(&mut self.inner).poll_read(cx, unfilled) {
            Poll::Ready(Ok(n)) => {
                buf.advance(n);
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for Tls {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_close(cx)
    }
}
