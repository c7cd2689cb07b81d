//! `fx load FILE` and `fx show`: the exchange rates offers are converted with. The operator loads
//! the European Central Bank's daily euro reference rates (CSV `eurofxref.csv` or XML
//! `eurofxref-daily.xml`); every loaded day is kept, and the server prices with the newest one
//! (a running server picks a new set up within `wink_api::fx::REFRESH`).

use std::path::PathBuf;

use clap::Subcommand;
use wink_domain::fx::ExchangeRates;
use wink_store::Store;
use wink_store::exchange_rates::RateSet;

use crate::admin::open_store;
use crate::config::ServeConfig;

#[derive(Debug, Subcommand)]
pub enum FxCommand {
    /// Load one day of ECB euro reference rates (eurofxref.csv or eurofxref-daily.xml, told apart
    /// by their content); replaces a set already loaded for the same date.
    Load { file: PathBuf },
    /// Print the rates in use (the newest date loaded) and the dates held.
    Show,
}

pub async fn run(config: ServeConfig, cmd: FxCommand) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    match cmd {
        FxCommand::Load { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| file.display().to_string());
            let rates = load(&store, &text, &name).await?;
            println!(
                "loaded the exchange rates of {} from {name}: {} currencies against {}",
                rates.as_of(),
                rates.currencies().count() - 1,
                rates.base()
            );
            print_rates(&rates);
            let newest = store.latest_exchange_rates().await?;
            if let Some(newest) = newest.filter(|n| n.as_of > rates.as_of()) {
                println!(
                    "note: the rates of {} are newer and stay in use",
                    newest.as_of
                );
            }
        }
        FxCommand::Show => {
            let Some(set) = store.latest_exchange_rates().await? else {
                println!(
                    "no exchange rates loaded: offers are sold in the property's currency only (load the ECB's daily file with `wink-supplier fx load FILE`)"
                );
                return Ok(());
            };
            let rates = wink_api::fx::exchange_rates(&set).map_err(|e| anyhow::anyhow!(e))?;
            println!(
                "in use: the exchange rates of {} ({} currencies against {}), loaded {} from {}",
                rates.as_of(),
                rates.currencies().count() - 1,
                rates.base(),
                set.loaded_at.format("%Y-%m-%d %H:%M UTC"),
                set.source
            );
            print_rates(&rates);
            let history = store.exchange_rate_history().await?;
            println!("dates held: {}", history.len());
            for day in history {
                println!(
                    "{}\t{}\t{} currencies\t{}\tloaded {}",
                    day.as_of,
                    day.base,
                    day.currencies,
                    day.source,
                    day.loaded_at.format("%Y-%m-%d %H:%M UTC")
                );
            }
        }
    }
    Ok(())
}

/// Parses an ECB daily file (XML when it starts with `<`, CSV otherwise) and stores it as the
/// set of its date.
pub async fn load(store: &Store, text: &str, source: &str) -> anyhow::Result<ExchangeRates> {
    let rates = parse(text)?;
    let set = RateSet {
        as_of: rates.as_of(),
        base: rates.base().code().to_string(),
        source: source.to_string(),
        loaded_at: wink_store::now(),
        rates: rates
            .currencies()
            .filter(|c| *c != rates.base())
            .filter_map(|c| Some((c.code().to_string(), rates.rate(c)?)))
            .collect(),
    };
    store.save_exchange_rates(&set).await?;
    Ok(rates)
}

/// The rates of an ECB daily file, in either format.
pub fn parse(text: &str) -> anyhow::Result<ExchangeRates> {
    let xml = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<');
    let parsed = if xml {
        ExchangeRates::from_ecb_xml(text)
    } else {
        ExchangeRates::from_ecb_csv(text)
    };
    parsed.map_err(|e| anyhow::anyhow!("{}: {}", e.field(), e.message()))
}

fn print_rates(rates: &ExchangeRates) {
    for currency in rates.currencies().filter(|c| *c != rates.base()) {
        if let Some(rate) = rates.rate(currency) {
            println!("  1 {} = {} {currency}", rates.base(), rate.normalize());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../assets/eurofxref-sample.xml");

    #[test]
    fn the_sample_is_one_ecb_day_with_the_demo_currencies() {
        let rates = parse(SAMPLE).unwrap();
        assert_eq!(rates.base().code(), "EUR");
        for code in ["THB", "USD", "GBP", "JPY"] {
            let currency = wink_domain::money::Currency::parse(code).unwrap();
            assert!(rates.rate(currency).is_some(), "{code}");
        }
        assert!(rates.currencies().count() >= 30);
    }

    #[test]
    fn csv_and_xml_are_told_apart_by_content() {
        let csv = "Date, USD, JPY, THB,\n17 January 2025, 1.0300, 161.86, 35.5,\n";
        let rates = parse(csv).unwrap();
        assert_eq!(rates.as_of().to_string(), "2025-01-17");
        assert_eq!(rates.currencies().count(), 4);
        let err = parse("<gesmes:Envelope></gesmes:Envelope>").unwrap_err();
        assert!(err.to_string().contains("eurofxref-daily.xml"), "{err}");
        let err = parse("Currency, USD\n").unwrap_err();
        assert!(err.to_string().contains("eurofxref.csv"), "{err}");
    }
}
