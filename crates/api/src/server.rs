//! Serving the application on its listeners until told to stop, and stopping without losing
//! work.
//!
//! When the stop signal comes (SIGTERM or Ctrl-C in `wink-supplier serve`, any future in tests):
//! 1. the listeners stop accepting; idle keep-alive connections are closed;
//! 2. requests in flight finish, each on its connection (a CSV report streams to its end), for
//!    at most the configured deadline (`shutdown_timeout_seconds`, 30 s by default);
//! 3. at the deadline, what is still running is ended: a request still in its handler is
//!    answered 503 (its transaction rolled back, see [`crate::middleware::timeout`]); a CSV
//!    report still downloading stops after its last complete row and its transfer is cut off
//!    (the client sees an incomplete download, never a file that looks whole); a connection
//!    still open a second later is dropped;
//! 4. SQLite's write-ahead log is checkpointed into the database file and every connection
//!    closed; `serve` returns and the process exits 0.
//!
//! Nothing is lost at step 3: a write either committed before (and is in the database) or its
//! transaction is rolled back when its request is dropped.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::state::AppState;

/// Where a server is in its life; handlers with long work watch it through [`Shutdown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Serving,
    /// Not accepting; requests in flight finish.
    Draining,
    /// The deadline passed: long work ends now, at a clean boundary.
    Deadline,
}

/// The server's shutdown, as handlers see it (in [`AppState`]). Cloning shares it.
#[derive(Debug, Clone)]
pub struct Shutdown {
    phase: std::sync::Arc<watch::Sender<Phase>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown {
            phase: std::sync::Arc::new(watch::Sender::new(Phase::Serving)),
        }
    }
}

impl Shutdown {
    /// Resolves once the server stops accepting (at once if it already has).
    pub async fn draining(&self) {
        let mut rx = self.phase.subscribe();
        let _ = rx.wait_for(|p| *p >= Phase::Draining).await;
    }

    /// Resolves once the deadline for requests in flight has passed.
    pub async fn deadline(&self) {
        let mut rx = self.phase.subscribe();
        let _ = rx.wait_for(|p| *p >= Phase::Deadline).await;
    }

    fn enter(&self, phase: Phase) {
        self.phase.send_if_modified(|p| {
            let later = phase > *p;
            if later {
                *p = phase;
            }
            later
        });
    }

    /// Stops accepting (what the stop signal does; tests may call it).
    pub fn begin(&self) {
        self.enter(Phase::Draining);
    }
}

/// How a server stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    /// Every request in flight finished before the deadline.
    pub drained: bool,
    /// SQLite's write-ahead log was emptied into the database file (always true on PostgreSQL).
    pub checkpointed: bool,
}

/// Serves `router` on `listener` (and `metrics`, the Prometheus endpoint, on its own listener
/// when given) until `signal` resolves, then shuts down as the module says, waiting at most
/// `deadline` for requests in flight, and closes the store.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    metrics: Option<(TcpListener, Router)>,
    state: AppState,
    signal: impl Future<Output = ()> + Send + 'static,
    deadline: Duration,
) -> std::io::Result<Stopped> {
    let shutdown = state.shutdown.clone();
    // The peer's address is what the authentication limits count failures against.
    let main = {
        let shutdown = shutdown.clone();
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move { shutdown.draining().await })
        .into_future()
    };
    let mut main = tokio::spawn(main);
    let mut side = metrics.map(|(listener, router)| {
        let shutdown = shutdown.clone();
        tokio::spawn(
            axum::serve(listener, router)
                .with_graceful_shutdown(async move { shutdown.draining().await })
                .into_future(),
        )
    });

    // Until the signal, or until the server fails on its own (it does not, short of a bug).
    tokio::select! {
        _ = signal => {}
        _ = shutdown.draining() => {}
        ended = &mut main => {
            tracing::error!(?ended, "the server stopped by itself");
        }
    }
    shutdown.begin();
    let started = Instant::now();
    tracing::info!(
        deadline_seconds = deadline.as_secs_f64(),
        "shutdown requested: no new connections; finishing the requests in flight"
    );

    let drained = match tokio::time::timeout(deadline, &mut main).await {
        Ok(joined) => {
            if let Ok(Err(e)) = joined {
                tracing::error!(error = %e, "the server failed");
            }
            true
        }
        Err(_) => {
            tracing::warn!(
                deadline_seconds = deadline.as_secs_f64(),
                "requests still in flight at the shutdown deadline: ending them"
            );
            shutdown.enter(Phase::Deadline);
            // Streams end at their next row boundary; give them a moment to flush, then drop
            // whatever is left.
            if tokio::time::timeout(Duration::from_secs(1), &mut main)
                .await
                .is_err()
            {
                main.abort();
            }
            false
        }
    };
    if let Some(side) = side.as_mut()
        && tokio::time::timeout(Duration::from_secs(1), &mut *side)
            .await
            .is_err()
    {
        side.abort();
    }
    let checkpointed = match state.store.checkpoint_and_close().await {
        Ok(done) => {
            if !done {
                tracing::warn!(
                    "the write-ahead log is still in use by another process; not emptied"
                );
            }
            done
        }
        Err(e) => {
            tracing::error!(error = %e, "checkpointing the database failed");
            false
        }
    };
    tracing::info!(
        drained,
        checkpointed,
        millis = started.elapsed().as_millis() as u64,
        "stopped"
    );
    Ok(Stopped {
        drained,
        checkpointed,
    })
}

/// `stream` until the server's shutdown deadline: then, instead of its next item, one error,
/// which cuts the transfer off (hyper ends the connection without the final chunk) so a client
/// cannot take what it received for the whole. Items already yielded are whole (a CSV report's
/// chunks are whole rows).
pub fn until_deadline<S, T, E>(
    stream: S,
    shutdown: Shutdown,
    stopped: impl Fn() -> E + Send + 'static,
) -> impl futures_util::Stream<Item = Result<T, E>> + Send
where
    S: futures_util::Stream<Item = Result<T, E>> + Send + Unpin + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    futures_util::stream::unfold(
        (Some(stream), shutdown, stopped),
        |(stream, shutdown, stopped)| async move {
            let mut inner = stream?;
            let item = tokio::select! {
                biased;
                _ = shutdown.deadline() => Err(stopped()),
                item = futures_util::StreamExt::next(&mut inner) => item?,
            };
            let next = item.is_ok().then_some(inner);
            Some((item, (next, shutdown, stopped)))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[tokio::test]
    async fn a_stream_ends_with_an_error_at_the_deadline_after_whole_items() {
        let shutdown = Shutdown::default();
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<&'static str, String>>(4);
        let rows = futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        });
        let mut out = Box::pin(until_deadline(Box::pin(rows), shutdown.clone(), || {
            "stopping".to_string()
        }));
        tx.send(Ok("a,b\r\n")).await.unwrap();
        assert_eq!(out.next().await, Some(Ok("a,b\r\n")));
        // Draining alone does not end it: requests in flight finish.
        shutdown.begin();
        tx.send(Ok("c,d\r\n")).await.unwrap();
        assert_eq!(out.next().await, Some(Ok("c,d\r\n")));
        shutdown.enter(Phase::Deadline);
        tx.send(Ok("e,f\r\n")).await.unwrap();
        assert_eq!(out.next().await, Some(Err("stopping".to_string())));
        assert_eq!(out.next().await, None);
    }

    #[tokio::test]
    async fn phases_only_move_forward() {
        let shutdown = Shutdown::default();
        shutdown.enter(Phase::Deadline);
        shutdown.begin();
        assert_eq!(*shutdown.phase.borrow(), Phase::Deadline);
        shutdown.draining().await;
        shutdown.deadline().await;
    }
}
