//! `media sweep`: deletes the media files nothing refers to any more: recorded files no medium
//! shows (a release that failed half-way) and objects with no record (a crash between writing a
//! file and recording it). Only what is older than `--grace-seconds` is touched, so uploads in
//! progress on running servers are left alone. Safe to run at any time, on any node.

use chrono::Utc;
use clap::Subcommand;

use crate::admin::open_store;
use crate::config::ServeConfig;

#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Delete unreferenced media files and orphan objects.
    Sweep {
        /// Leave alone what is younger than this (default one hour).
        #[arg(long, default_value_t = 3600)]
        grace_seconds: i64,
    },
}

pub async fn run(config: ServeConfig, cmd: MediaCommand) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    let storage = wink_api::media::MediaStorage::open(&config.api.media)?;
    match cmd {
        MediaCommand::Sweep { grace_seconds } => {
            let before = Utc::now() - chrono::Duration::seconds(grace_seconds.max(0));
            let swept = wink_api::media::sweep(&store, &storage, before).await?;
            println!(
                "media sweep: {} unreferenced file(s) and {} orphan object(s) deleted",
                swept.unreferenced, swept.orphans
            );
        }
    }
    store.close().await;
    Ok(())
}
