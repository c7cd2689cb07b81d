//! `wink-bench`: the load generator behind docs/benchmarks.md.
//!
//! It runs against a server started separately (see `bench/run.sh`), so the same scenarios
//! measure SQLite, PostgreSQL and, as the ceiling, a minimal axum handler (`wink-bench ceiling`)
//! on the same machine.

mod commits;
mod drivers;
mod load;
mod scenarios;

use std::time::Duration;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "wink-bench",
    about = "Load generator for wink-supplier benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve a minimal axum handler (GET /ping) to measure the machine's ceiling.
    Ceiling {
        #[arg(long, default_value = "127.0.0.1:18090")]
        listen: String,
    },
    /// Run scenarios against a running wink-supplier and print a Markdown table.
    Run {
        #[arg(long, env = "WINK_BASE_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
        #[arg(long, env = "WINK_CLIENT_ID")]
        client_id: String,
        #[arg(long, env = "WINK_CLIENT_SECRET")]
        client_secret: String,
        #[arg(long, env = "WINK_MANAGING_ENTITY")]
        managing_entity: String,
        /// Comma-separated scenarios (see `scenarios::all`); all when omitted.
        #[arg(long, value_delimiter = ',')]
        scenarios: Vec<String>,
        /// Comma-separated scenarios to leave out (e.g. those that need seeded data).
        #[arg(long, value_delimiter = ',')]
        except: Vec<String>,
        /// Concurrent clients.
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// Measured seconds per scenario (after a warm-up of a tenth of it).
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Label for the rows (e.g. the engine).
        #[arg(long, default_value = "")]
        label: String,
        /// Base URL of `wink-bench ceiling`, measured with the same load for comparison.
        #[arg(long)]
        ceiling_url: Option<String>,
        /// A folder on the disk of the server's SQLite database: measures the bare commit rate
        /// there (see `commits`) as a second ceiling.
        #[arg(long)]
        commit_ceiling_dir: Option<std::path::PathBuf>,
    },
    /// Compare sqlx's SQLite driver with rusqlite on dedicated threads (see `drivers`), in a
    /// scratch database under `--dir`; prints a Markdown table.
    SqliteDrivers {
        #[arg(long, default_value = ".")]
        dir: std::path::PathBuf,
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// Read connections of each driver.
        #[arg(long, default_value_t = 4)]
        readers: usize,
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// Write bookings straight into a server's database for the `*-100k` scenarios (see
    /// scenarios/bookings.rs): copies of the property's own bookings, without taking rooms.
    SeedBookings {
        #[arg(long, env = "WINK_DATABASE_URL")]
        database_url: String,
        /// The property (its managing-entity id), which must have bookings to copy (`--demo`).
        #[arg(long, env = "WINK_MANAGING_ENTITY")]
        property: uuid::Uuid,
        #[arg(long, default_value_t = 100_000)]
        count: usize,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Ceiling { listen } => {
            let app = axum::Router::new().route(
                "/ping",
                axum::routing::get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }),
            );
            let listener = tokio::net::TcpListener::bind(&listen).await?;
            eprintln!("ceiling handler on http://{listen}/ping");
            axum::serve(listener, app).await?;
            Ok(())
        }
        Command::SqliteDrivers {
            dir,
            clients,
            readers,
            seconds,
        } => drivers::compare(&dir, clients, readers, Duration::from_secs(seconds)).await,
        Command::SeedBookings {
            database_url,
            property,
            count,
        } => scenarios::seed_bookings(&database_url, property, count).await,
        Command::Run {
            base_url,
            client_id,
            client_secret,
            managing_entity,
            scenarios,
            except,
            clients,
            seconds,
            label,
            ceiling_url,
            commit_ceiling_dir,
        } => {
            let target =
                scenarios::Target::connect(&base_url, &client_id, &client_secret, &managing_entity)
                    .await?;
            let wanted: Vec<String> = if scenarios.is_empty() {
                scenarios::all().iter().map(|s| s.to_string()).collect()
            } else {
                scenarios
            };
            let wanted: Vec<String> = wanted.into_iter().filter(|s| !except.contains(s)).collect();
            println!("{}", load::HEADER);
            if let Some(url) = ceiling_url {
                let report = scenarios::ceiling(&url, clients, Duration::from_secs(seconds)).await;
                println!("{}", report.line());
            }
            if let Some(dir) = commit_ceiling_dir {
                let report = commits::commits(&dir, Duration::from_secs(seconds)).await?;
                println!("{}", report.line());
            }
            for name in wanted {
                let reports =
                    scenarios::run(&target, &name, clients, Duration::from_secs(seconds)).await?;
                for mut r in reports {
                    if !label.is_empty() {
                        r.name = format!("{} ({label})", r.name);
                    }
                    println!("{}", r.line());
                }
            }
            Ok(())
        }
    }
}
