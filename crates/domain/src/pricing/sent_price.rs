//! A booking takes back an offer the client was listed: the figures it sends must still be the
//! offer's price, or the client books at a price it has not seen.

use rust_decimal::Decimal;

use super::Quote;
use crate::money::Money;

/// An amount as a client sent it back (a currency it spelled, not yet parsed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentAmount<'a> {
    pub amount: Decimal,
    pub currency: &'a str,
}

/// Whether the figures a client sent back are still the price of `quote` as it was listed: for
/// `listed_rooms` rooms (the listed configuration's quantity), `sent_total` the offer's total
/// (nights, stay-level lines and fees) and `sent_stay` its stay price without fees, each in the
/// quote's currency. Figures not sent are not checked. On a difference, the offer's total now.
pub fn listed_price_agrees(
    quote: &Quote,
    listed_rooms: u32,
    sent_total: Option<SentAmount>,
    sent_stay: Option<SentAmount>,
) -> Result<(), Money> {
    let rooms = Decimal::from(listed_rooms);
    let total = quote.room_total.amount * rooms;
    let stay = (quote.room_total.amount - quote.fees_total().amount) * rooms;
    let currency = quote.currency().code();
    let differs = |sent: Option<SentAmount>, now: Decimal| {
        sent.is_some_and(|s| s.amount != now || s.currency != currency)
    };
    if differs(sent_total, total) || differs(sent_stay, stay) {
        return Err(Money::new(total, quote.currency()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::pricing::{PricedFee, PricedNight};
    use crate::rate_plan::FeeKind;
    use crate::test_support::{date, dec};

    /// Two rooms of one night at 100 EUR with a 15 EUR fee each: 230 in all, 200 without fees.
    fn quote() -> Quote {
        let eur = Currency::parse("EUR").unwrap();
        let night = PricedNight {
            date: date("2026-12-01"),
            base: dec("100"),
            single_occupancy: Decimal::ZERO,
            extra_adults: Decimal::ZERO,
            extra_children: Decimal::ZERO,
            list_price: Money::new(dec("100"), eur),
            adjustments: Vec::new(),
            price: Money::new(dec("100"), eur),
        };
        let fee = PricedFee {
            name: "cleaning".into(),
            kind: FeeKind::PerStay,
            price: Money::new(dec("15"), eur),
        };
        Quote::assemble(eur, vec![night], vec![fee], 2).unwrap()
    }

    fn eur(amount: &str) -> Option<SentAmount<'static>> {
        Some(SentAmount {
            amount: dec(amount),
            currency: "EUR",
        })
    }

    #[test]
    fn the_listed_figures_of_the_listed_rooms_agree() {
        let q = quote();
        assert_eq!(listed_price_agrees(&q, 1, eur("115"), eur("100")), Ok(()));
        assert_eq!(listed_price_agrees(&q, 2, eur("230"), eur("200")), Ok(()));
        assert_eq!(listed_price_agrees(&q, 1, None, None), Ok(()));
    }

    #[test]
    fn another_amount_or_currency_is_a_changed_price() {
        let q = quote();
        let now = Err(Money::new(dec("115"), q.currency()));
        assert_eq!(listed_price_agrees(&q, 1, eur("114.99"), None), now);
        assert_eq!(listed_price_agrees(&q, 1, None, eur("115")), now);
        let usd = Some(SentAmount {
            amount: dec("115"),
            currency: "USD",
        });
        assert_eq!(listed_price_agrees(&q, 1, usd, None), now);
    }
}
