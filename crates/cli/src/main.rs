//! `wink-supplier`: the server and its administration commands.
#![recursion_limit = "256"]

mod admin;
mod config;
mod data;
mod demo;
mod fx;
mod keys;
mod media;
mod outbound;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::FileConfig;

#[derive(Debug, Parser)]
#[command(
    name = "wink-supplier",
    version,
    about = "Self-hosted server for the Wink Supplier API"
)]
struct Cli {
    /// TOML config file (keys: database_url, listen, max_connections, token_ttl_seconds, issuer,
    /// audience, public_url, request_timeout_seconds, body_limit_bytes, internal_currency,
    /// key_encryption_key, key_reload_seconds, date_window_past_days, date_window_future_days,
    /// and the [auth_limits], [media], [webhooks], [outbox] and [events] tables).
    #[arg(long, env = "WINK_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Database: sqlite://FILE (default sqlite://data/wink-supplier.db) or postgres://USER@HOST/DB.
    #[arg(long, env = "WINK_DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (migrates the database first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "WINK_LISTEN")]
        listen: Option<String>,
        /// On an empty database, seed a demo property and print a client's credentials.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts (the companies that own applications and manage properties).
    #[command(subcommand)]
    Account(admin::AccountCommand),
    /// Manage applications (OAuth2 clients).
    #[command(subcommand)]
    App(admin::AppCommand),
    /// Load and show the exchange rates offers are converted with (ECB daily reference rates).
    #[command(subcommand)]
    Fx(fx::FxCommand),
    /// Rotate, retire and list the keys that sign access tokens.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Media files: delete those nothing refers to (`media sweep`).
    #[command(subcommand)]
    Media(media::MediaCommand),
    /// Webhook subscriptions of properties: list, add (prints the secret once), remove.
    #[command(subcommand)]
    Webhooks(outbound::WebhooksCommand),
    /// The outbox (webhook deliveries and e-mails): list what waits or died, retry dead rows.
    #[command(subcommand)]
    Outbox(outbound::OutboxCommand),
    /// Print the server's OpenAPI document.
    Openapi,
    /// Copy the SQLite database to FILE (which must not exist), consistently, while the server
    /// runs. For PostgreSQL use pg_dump (README).
    Backup { file: PathBuf },
    /// Replace the SQLite database by the backup FILE (the replaced one is kept beside it);
    /// refused while a server or a command uses the database.
    Restore { file: PathBuf },
    /// Copy every table of an SQLite database into a new, empty PostgreSQL database (migrated
    /// first), keeping ids, versions and signing keys; prints the rows copied per table.
    Copy {
        /// The SQLite database (default: the configured database).
        #[arg(long)]
        from: Option<String>,
        /// The PostgreSQL database: postgres://USER@HOST/DB.
        #[arg(long, env = "WINK_COPY_TO", hide_env_values = true)]
        to: String,
    },
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        eprintln!("wink-supplier: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let file = FileConfig::load(cli.config.as_ref())?;
    match cli.command {
        Command::Serve { listen, demo } => {
            let config = config::ServeConfig::resolve(file, cli.database_url, listen);
            serve::run(config, demo).await
        }
        Command::Migrate => {
            let config = config::ServeConfig::resolve(file, cli.database_url, None);
            admin::open_store(&config).await?;
            println!("migrations applied to {}", config.database_url);
            Ok(())
        }
        Command::Account(cmd) => {
            admin::account(
                config::ServeConfig::resolve(file, cli.database_url, None),
                cmd,
            )
            .await
        }
        Command::App(cmd) => {
            admin::app(
                config::ServeConfig::resolve(file, cli.database_url, None),
                cmd,
            )
            .await
        }
        Command::Fx(cmd) => {
            fx::run(
                config::ServeConfig::resolve(file, cli.database_url, None),
                cmd,
            )
            .await
        }
        Command::Keys(cmd) => {
            keys::run(
                config::ServeConfig::resolve(file, cli.database_url, None),
                cmd,
            )
            .await
        }
        Command::Backup { file: target } => {
            let config = config::ServeConfig::resolve(file, cli.database_url, None);
            data::backup(config, &target).await
        }
        Command::Restore { file: source } => {
            let config = config::ServeConfig::resolve(file, cli.database_url, None);
            data::restore(config, &source).await
        }
        Command::Copy { from, to } => {
            let config = config::ServeConfig::resolve(file, cli.database_url, None);
            data::copy(from.as_deref().unwrap_or(&config.database_url.0), &to).await
        }
        Command::Media(cmd) => {
            media::run(
                config::ServeConfig::resolve(file, cli.database_url, None),
                cmd,
            )
            .await
        }
        Command::Webhooks(cmd) => {
            outbound::webhooks(
                config::ServeConfig::resolve(file, cli.database_url, None),
                cmd,
            )
            .await
        }
        Command::Outbox(cmd) => {
            outbound::outbox(
                config::ServeConfig::resolve(file, cli.database_url, None),
                cmd,
            )
            .await
        }
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(&wink_api::openapi_document())?
            );
            Ok(())
        }
    }
}
