//! `webhooks …` and `outbox …`: webhook subscriptions from the command line (a property's
//! operator without an API client), and the outbox's two queues (webhook deliveries, e-mail
//! notifications): what is waiting or dead, and sending dead rows again.

use chrono::Utc;
use clap::Subcommand;
use uuid::Uuid;
use wink_store::webhooks::Subscription;

use crate::admin::open_store;
use crate::config::ServeConfig;

#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// List subscriptions (never their secrets).
    List {
        /// Only this property's.
        #[arg(long)]
        property: Option<Uuid>,
    },
    /// Subscribe a URL to a property's events; prints the signing secret (shown only now).
    Add {
        #[arg(long)]
        property: Uuid,
        #[arg(long)]
        url: String,
        /// Comma-separated event types (booking.created, booking.cancelled,
        /// booking.refund_requested, rates.changed, availability.changed, restrictions.changed).
        #[arg(long, value_delimiter = ',', required = true)]
        events: Vec<String>,
    },
    /// Delete a subscription and its pending deliveries.
    Remove { id: Uuid },
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Rows of both queues not delivered yet: pending and dead.
    List {
        /// Only the dead ones.
        #[arg(long)]
        dead: bool,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Make dead rows due again (attempts counted afresh).
    Retry {
        /// The row's id (as `outbox list` shows it).
        #[arg(required_unless_present = "all_dead", conflicts_with = "all_dead")]
        id: Option<Uuid>,
        /// Every dead row of both queues.
        #[arg(long)]
        all_dead: bool,
    },
}

pub async fn webhooks(config: ServeConfig, cmd: WebhooksCommand) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    match cmd {
        WebhooksCommand::List { property } => {
            println!("id\tproperty\tactive\tevent types\turl");
            for s in store.webhooks(property).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    s.id,
                    s.property_id,
                    s.active,
                    s.event_types().join(","),
                    s.url
                );
            }
        }
        WebhooksCommand::Add {
            property,
            url,
            events,
        } => {
            store
                .property_ref(property)
                .await
                .map_err(|e| anyhow::anyhow!("property {property}: {e}"))?;
            let (url, types) = wink_api::outbound::subscriptions::validated(
                &url,
                &events,
                config.api.webhooks.allow_private,
            )
            .map_err(|e| anyhow::anyhow!("{}", e.problem().detail.unwrap_or_default()))?;
            let now = wink_store::stored_precision(Utc::now());
            let row = Subscription {
                id: Uuid::new_v4(),
                property_id: property,
                url,
                event_types: wink_store::webhooks::types_column(&types),
                active: true,
                secret: wink_api::outbound::signing::new_secret(),
                previous_secret: None,
                previous_secret_until: None,
                last_seq: 0,
                // No application: the operator made it.
                created_by: Uuid::nil(),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            store.create_webhook(&row).await?;
            println!("WINK_WEBHOOK_ID={}", row.id);
            println!("WINK_WEBHOOK_SECRET={}", row.secret);
        }
        WebhooksCommand::Remove { id } => {
            let removed = store.delete_webhook(None, id, None).await?;
            println!("removed {} ({})", removed.id, removed.url);
        }
    }
    store.close().await;
    Ok(())
}

pub async fn outbox(config: ServeConfig, cmd: OutboxCommand) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    match cmd {
        OutboxCommand::List { dead, limit } => {
            println!("queue\tid\tproperty\tstatus\tattempts\tkind\ttarget\tlast error");
            for e in store.outbox(dead, limit).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    e.queue,
                    e.id,
                    e.property_id,
                    e.status,
                    e.attempts,
                    e.kind,
                    e.target,
                    e.last_error.as_deref().unwrap_or("-")
                );
            }
        }
        OutboxCommand::Retry { id, all_dead } => {
            let id = if all_dead { None } else { id };
            let now = wink_store::stored_precision(Utc::now());
            let n = store.retry_outbox(id, now).await?;
            if n == 0 && id.is_some() {
                anyhow::bail!("no dead row with that id");
            }
            println!("{n} row(s) due again");
        }
    }
    store.close().await;
    Ok(())
}
