//! `serve`: open and migrate the database, optionally seed the demo, serve until SIGINT/SIGTERM.

use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use crate::admin::open_store;
use crate::config::ServeConfig;
use crate::demo;

pub async fn run(config: ServeConfig, seed_demo: bool) -> anyhow::Result<()> {
    init_logging();
    let store = open_store(&config).await?;
    tracing::info!(database = %config.database_url, engine = ?store.engine(), "database ready");
    let app = wink_api::build(store.clone(), config.api.clone()).await?;
    if seed_demo {
        demo::seed(&app).await?;
    }
    let listener = TcpListener::bind(&config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("listening on {}: {e}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "serving; API reference at http://{address}/scalar");
    eprintln!(
        "wink-supplier listening on http://{address} (API reference: http://{address}/scalar)"
    );
    // The peer's address is what the authentication limits count failures against.
    let service = app
        .router
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Logs as JSON lines when `WINK_LOG_FORMAT=json`, readable text otherwise; level from `RUST_LOG`
/// (default `info`).
fn init_logging() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
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
