//! `account …` and `app …`: the administration commands. They work on the same database as a
//! running server, which picks the changes up on the next request.

use chrono::Utc;
use clap::Subcommand;
use uuid::Uuid;
use wink_api::auth::clients;
use wink_api::auth::secret::HashKey;
use wink_store::{Store, StoreOptions};

use crate::config::ServeConfig;

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account; prints WINK_ACCOUNT_ID=….
    Create {
        #[arg(long)]
        name: String,
        /// Managing-entity type: HOTEL, MANAGEMENT_COMPANY, CHAIN, TRAVEL_AGENT, CORPORATE, ….
        #[arg(long = "type", default_value = "HOTEL")]
        entity_type: String,
        #[arg(long)]
        email: Option<String>,
    },
    /// List accounts.
    List,
}

#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Create an application; prints WINK_CLIENT_ID=… and WINK_CLIENT_SECRET=… (shown only now).
    Create {
        #[arg(long)]
        account: Uuid,
        #[arg(long, default_value = "default")]
        name: String,
        /// Comma-separated scopes; all twelve when omitted.
        #[arg(long, value_delimiter = ',')]
        scopes: Vec<String>,
    },
    /// List applications (never their secrets).
    List {
        #[arg(long)]
        account: Option<Uuid>,
    },
    /// Revoke an application: its secret and its tokens stop working within a second on every
    /// server (see docs/decisions.md, "Authentication answers from memory").
    Revoke { id: Uuid },
}

pub async fn open_store(config: &ServeConfig) -> anyhow::Result<Store> {
    ensure_sqlite_dir(&config.database_url.0)?;
    let mut options = StoreOptions::new(config.database_url.0.clone());
    options.max_connections = config.max_connections;
    Store::open(&options)
        .await
        .map_err(|e| anyhow::anyhow!("opening {}: {e}", config.database_url))
}

/// SQLite creates the file but not its folder (`./data/` on a fresh checkout).
pub fn ensure_sqlite_dir(url: &str) -> anyhow::Result<()> {
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))?;
        }
    }
    Ok(())
}

pub async fn account(config: ServeConfig, cmd: AccountCommand) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    match cmd {
        AccountCommand::Create {
            name,
            entity_type,
            email,
        } => {
            let account = clients::create_account(&store, &name, &entity_type, email)
                .await
                .map_err(|e| anyhow::anyhow!("{e}: {}", detail(&e)))?;
            println!("WINK_ACCOUNT_ID={}", account.id);
        }
        AccountCommand::List => {
            for a in store.accounts().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    a.id,
                    a.entity_type,
                    a.name,
                    a.created_at.format("%Y-%m-%d %H:%M")
                );
            }
        }
    }
    Ok(())
}

pub async fn app(config: ServeConfig, cmd: AppCommand) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    match cmd {
        AppCommand::Create {
            account,
            name,
            scopes,
        } => {
            let key = HashKey::load(&store, config.api.key_encryption_key.as_ref())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let (app, secret) = clients::create_application(&store, &key, account, &name, &scopes)
                .await
                .map_err(|e| anyhow::anyhow!("{e}: {}", detail(&e)))?;
            println!("WINK_CLIENT_ID={}", app.id);
            println!("WINK_CLIENT_SECRET={secret}");
        }
        AppCommand::List { account } => {
            for a in store.applications(account).await? {
                let state = if a.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    a.id, a.account_id, state, a.name, a.scopes
                );
            }
        }
        AppCommand::Revoke { id } => {
            store.revoke_application(id, Utc::now()).await?;
            println!("revoked {id}");
        }
    }
    Ok(())
}

fn detail(e: &wink_api::error::ApiError) -> String {
    e.problem().detail.unwrap_or_default()
}
