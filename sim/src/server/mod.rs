//! The listener: accepts TCP (optionally TLS) connections and serves HTTP/1.1 and HTTP/2 with
//! hyper, routing `/__sim/*` to the admin API and everything else to the Zendesk API.
//! Stops accepting and closes connections when the shutdown signal fires.

pub mod tls;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::api::{self, Peer};
use crate::state::SimState;

/// Route one request.
pub async fn dispatch(
    state: Arc<SimState>,
    mut req: Request<Body>,
    peer: SocketAddr,
) -> Response<Body> {
    req.extensions_mut().insert(Peer(peer));
    if req.uri().path().starts_with("/__sim/") || req.uri().path() == "/__sim" {
        return crate::admin::handle(state, req).await;
    }
    if req.uri().path().starts_with("/oauth/") {
        return crate::oauth::handle(state, req).await;
    }
    api::handle(state, req).await
}

/// Accept connections until `shutdown` becomes true.
pub async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    state: Arc<SimState>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let (tcp, peer) = tokio::select! {
            _ = shutdown.changed() => break,
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::debug!("accept failed: {e}");
                    continue;
                }
            },
        };
        let _ = tcp.set_nodelay(true);
        let state = state.clone();
        let tls = tls.clone();
        let mut stop = shutdown.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(dispatch(state, req.map(Body::new), peer).await) }
            });
            let builder = Builder::new(TokioExecutor::new());
            let run = async {
                match tls {
                    Some(acc) => match acc.accept(tcp).await {
                        Ok(s) => {
                            let _ = builder.serve_connection(TokioIo::new(s), svc).await;
                        }
                        Err(e) => tracing::debug!("tls handshake failed: {e}"),
                    },
                    None => {
                        let _ = builder.serve_connection(TokioIo::new(tcp), svc).await;
                    }
                }
            };
            tokio::select! {
                _ = run => {}
                _ = stop.changed() => {}
            }
        });
    }
}
