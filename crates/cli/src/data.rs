//! `backup`, `restore` and `copy`: the database's way out (a file, another engine) and back.
//! The work is `wink_store::backup` and `wink_store::copy`; these print what it did.

use std::path::Path;

use wink_store::{backup, copy};

use crate::admin::ensure_sqlite_dir;
use crate::config::{ServeConfig, redact};

pub async fn backup(config: ServeConfig, file: &Path) -> anyhow::Result<()> {
    let report = backup::backup(&config.database_url.0, file)
        .await
        .map_err(|e| anyhow::anyhow!("backing up {}: {e}", config.database_url))?;
    println!(
        "backed up {} to {} ({} bytes, migration {}) in {:.2} s",
        config.database_url,
        report.file.display(),
        report.bytes,
        report.migration,
        report.elapsed.as_secs_f64()
    );
    Ok(())
}

pub async fn restore(config: ServeConfig, file: &Path) -> anyhow::Result<()> {
    let report = backup::restore(&config.database_url.0, file, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("restoring {}: {e}", config.database_url))?;
    println!(
        "restored {} from {} (migration {}; the server applies newer ones when it starts)",
        report.database.display(),
        file.display(),
        report.migration
    );
    if let Some(kept) = report.replaced {
        println!("the database it replaced is kept as {}", kept.display());
    }
    Ok(())
}

pub async fn copy(from: &str, to: &str) -> anyhow::Result<()> {
    ensure_sqlite_dir(from)?;
    eprintln!("copying {} to {}", redact(from), redact(to));
    let report = copy::sqlite_to_postgres(from, to, |t| {
        eprintln!("  {:<40} {:>10} rows", t.table, t.rows);
    })
    .await
    .map_err(|e| anyhow::anyhow!("copying to {}: {e}", redact(to)))?;
    println!("table\trows");
    for t in &report.tables {
        println!("{}\t{}", t.table, t.rows);
    }
    let total: u64 = report.tables.iter().map(|t| t.rows).sum();
    println!(
        "copied {} tables, {total} rows in {:.2} s; serve with --database-url {}",
        report.tables.len(),
        report.elapsed.as_secs_f64(),
        redact(to)
    );
    Ok(())
}
