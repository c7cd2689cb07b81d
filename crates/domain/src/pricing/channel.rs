//! The last step of a quote sold on a sales channel: the channel's terms (`channel`). A channel
//! the property does not sell through refuses every stay (its reasons first, then the stay's
//! own). A channel discount takes its share off every night AFTER promotions, as a discount
//! line of its own on the night, rounded once, so the breakdown still adds up and shows it
//! beside the promotions. Fees and stay-level promotion lines are never discounted by a channel.

use super::adjustment::{Adjustment, AppliedOffer, OfferRef};
use super::promotions::Adjusted;
use super::{Quote, Unavailable};
use crate::channel::ChannelTerms;
use crate::money::Money;
use crate::promotion::PromotionKind;

/// The quote (or the reasons a stay is not offered) as sold on the channel of `terms`.
pub fn on_channel(
    outcome: Result<Quote, Vec<Unavailable>>,
    terms: &ChannelTerms,
) -> Result<Quote, Vec<Unavailable>> {
    let mut reasons = terms.check();
    let quote = match outcome {
        Ok(quote) if reasons.is_empty() => quote,
        Ok(_) => return Err(reasons),
        Err(more) => {
            reasons.extend(more);
            return Err(reasons);
        }
    };
    if terms.discount.is_zero() {
        return Ok(quote);
    }
    let currency = quote.currency();
    let offer = AppliedOffer::Channel(OfferRef {
        id: terms.id,
        name: terms.name.clone(),
    });
    let Quote {
        nights,
        fees,
        stay_adjustments,
        promotion_codes,
        quantity,
        ..
    } = quote;
    let nights = nights
        .into_iter()
        .map(|mut night| {
            // A share of at most 1 of a rounded price, rounded: never more than the price.
            let line = terms.discount.of(night.price);
            if !line.is_zero() {
                night.price = Money::new(night.price.amount - line.amount, currency);
                night.adjustments.push(Adjustment {
                    kind: PromotionKind::Discount,
                    offer: offer.clone(),
                    amount: line,
                });
            }
            night
        })
        .collect();
    let adjusted = Adjusted {
        nights,
        stay: stay_adjustments,
        codes: promotion_codes,
    };
    Quote::assemble_adjusted(currency, adjusted, fees, quantity)
        .ok_or_else(|| vec![Unavailable::PriceOutOfRange])
}
