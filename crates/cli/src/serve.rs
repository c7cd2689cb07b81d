//! `serve`: open and migrate the database, optionally seed the demo, serve until SIGINT/SIGTERM,
//! then stop cleanly (see `wink_api::server`).

use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use crate::admin::open_store;
use crate::config::ServeConfig;
use crate::demo;

pub async fn run(config: ServeConfig, seed_demo: bool) -> anyhow::Result<()> {
    init_logging();
    let store = open_store(&config).await?;
    tracing::info!(database = %config.database_url, engine = ?store.engine(), "database ready");
    // Bound first: without `public_url`, the links the API writes name the address it listens
    // on (with port 0, only known now).
    let listener = TcpListener::bind(&config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("listening on {}: {e}", config.listen))?;
    let address = listener.local_addr()?;
    let api = wink_api::ApiConfig {
        listen_address: Some(address),
        ..config.api.clone()
    };
    let app = wink_api::build(store, api).await?;
    match &config.api.smtp {
        Some(smtp) => {
            tracing::info!(relay = %smtp.host, port = smtp.port(), tls = ?smtp.tls, "e-mail through SMTP")
        }
        None => tracing::info!("no [smtp]: e-mail stays in the outbox"),
    }
    if seed_demo {
        demo::seed(&app).await?;
    }
    // Metrics on their own listener, never the API's (see wink_api::metrics).
    let metrics = match &config.metrics_listen {
        Some(listen) => {
            let listener = TcpListener::bind(listen)
                .await
                .map_err(|e| anyhow::anyhow!("listening for metrics on {listen}: {e}"))?;
            let at = listener.local_addr()?;
            tracing::info!(address = %at, "metrics at http://{at}/metrics");
            Some((listener, wink_api::metrics::router(app.state.clone())))
        }
        None => None,
    };
    // Every node runs one; leases keep them from sending a row twice. It stops when the server
    // starts to drain.
    let worker = wink_api::outbound::spawn(app.state.clone());
    tracing::info!(%address, "serving; API reference at http://{address}/scalar");
    eprintln!(
        "wink-supplier listening on http://{address} (API reference: http://{address}/scalar)"
    );
    let stopped = wink_api::server::serve(
        listener,
        app.router,
        metrics,
        app.state,
        shutdown_signal(),
        config.shutdown_timeout,
    )
    .await?;
    // Its round in flight ends within the webhook timeout; an unfinished delivery is sent again
    // by the next worker once its lease expires.
    let drain = std::time::Duration::from_secs(config.api.webhooks.timeout_seconds + 1);
    let _ = tokio::time::timeout(drain, worker).await;
    if !stopped.drained {
        eprintln!(
            "wink-supplier: requests still in flight after {} s were ended",
            config.shutdown_timeout.as_secs()
        );
    }
    Ok(())
}

/// Logs as JSON lines when `WINK_LOG_FORMAT=json`, readable text otherwise; level from `RUST_LOG`
/// (default `info`). Colours only on a terminal: a log file or a collector gets plain text
/// (`NO_COLOR` turns them off on a terminal too).
fn init_logging() {
    use std::io::IsTerminal;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    if std::env::var("WINK_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
