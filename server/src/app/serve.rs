//! Binding, serving and stopping: [`bind`], [`serve`] (any router, until a future completes)
//! and [`serve_until_signal`] (the app until SIGINT/SIGTERM, then the audit rows are flushed).

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;

use super::router::router;
use super::state::AppState;
use crate::error::{Result, ServerError};

/// Binds `addr` (port 0 picks a free one).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| ServerError::io(format!("bind {addr}"), e))
}

/// Serves `router` on `listener` until `shutdown` completes (handlers see the client address,
/// for [`crate::web::throttle`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|e| ServerError::io("serve", e))
}

/// Serves `state` on `listener` until SIGINT (Ctrl-C) or SIGTERM, lets in-flight requests
/// finish, then waits until their audit rows are written (the usage ledger writes in the
/// background; without the flush, rows queued in the last moments would be lost on exit).
/// A second signal during that wait exits at once (status 130), for an operator who cannot wait.
pub async fn serve_until_signal(listener: TcpListener, state: AppState) -> Result<()> {
    serve_until_signal_then(listener, state, async {}).await
}

/// [`serve_until_signal`], running `before_close` once requests are drained and before the
/// audit flush and the store's close (e.g. the webhook dispatcher handing back its claims).
pub async fn serve_until_signal_then(
    listener: TcpListener,
    state: AppState,
    before_close: impl Future<Output = ()>,
) -> Result<()> {
    let tw = state.tw.clone();
    let first = shutdown_signal();
    let stopping = async move {
        first.await;
        // Listen for the second signal before announcing that it is heard.
        let second = shutdown_signal();
        eprintln!("stopping: finishing in-flight requests (signal again to exit at once)");
        tokio::spawn(async move {
            second.await;
            eprintln!("second signal: exiting without waiting");
            std::process::exit(130);
        });
    };
    let served = serve(listener, router(state), stopping).await;
    before_close.await;
    tw.flush().await;
    // Closing the pool checkpoints SQLite's WAL into the database file.
    tw.store().close().await;
    served
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM (what `kill`, systemd and Kubernetes send
/// to stop a process). The handlers are installed when this is called, not when first polled.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .inspect_err(
            |e| tracing::warn!(error = %e, "cannot listen for SIGTERM; Ctrl-C still stops"),
        )
        .ok();
    let interrupt = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        if let Some(mut terminate) = terminate {
            tokio::select! {
                _ = interrupt => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        let _ = interrupt.await;
    }
}
