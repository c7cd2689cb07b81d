//! `keys rotate`, `keys retire KID` and `keys list`: the keys that sign access tokens. They work on
//! the same database as the running servers, which pick a change up within
//! `key_reload_seconds` (a token signed with a key they do not know yet makes them look at once).

use chrono::Utc;
use clap::Subcommand;
use wink_api::auth::signing_keys;
use wink_domain::signing_keys::KeyState;

use crate::admin::open_store;
use crate::config::ServeConfig;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a new signing key: new tokens are signed with it; the older keys keep verifying.
    Rotate,
    /// Retire a key: it signs nothing from now on, and verifies until every token it signed has
    /// expired (then it leaves the JWKS).
    Retire { kid: String },
    /// List the keys: kid, created, state (never a private key).
    List,
}

pub async fn run(config: ServeConfig, cmd: KeysCommand) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    let kek = config.api.key_encryption_key.as_ref();
    match cmd {
        KeysCommand::Rotate => {
            let kid = signing_keys::rotate(&store, kek).await?;
            println!("created signing key {kid}: new tokens are signed with it");
            if kek.is_none() {
                eprintln!(
                    "warning: no key_encryption_key configured: the key is stored in clear (see README, Signing keys)"
                );
            }
        }
        KeysCommand::Retire { kid } => {
            let now = Utc::now();
            signing_keys::retire(&store, &kid, now).await?;
            let lifetime = lifetime(&config);
            println!(
                "retired {kid}: it signs no more tokens and verifies until {}",
                lifetime.verifies_until(now).format("%Y-%m-%d %H:%M:%S UTC")
            );
        }
        KeysCommand::List => {
            let keys = signing_keys::list(&store, lifetime(&config), Utc::now()).await?;
            println!("KID\tCREATED\tSTATE\tAT REST");
            for key in keys {
                let state = match key.state {
                    KeyState::Retired { verifies_until } => format!(
                        "retired (verifies until {})",
                        verifies_until.format("%Y-%m-%d %H:%M:%S UTC")
                    ),
                    state => state.label().to_string(),
                };
                println!(
                    "{}\t{}\t{}\t{}",
                    key.kid,
                    key.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    state,
                    if key.encrypted { "encrypted" } else { "clear" }
                );
            }
        }
    }
    Ok(())
}

fn lifetime(config: &ServeConfig) -> wink_domain::signing_keys::KeyLifetime {
    signing_keys::lifetime(config.api.token_ttl_seconds, config.api.key_reload_interval)
}
