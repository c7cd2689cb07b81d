//! Area "distribution": who a property sells to (sales channels), and what each of them is
//! offered for a stay (`offers`, shared by the test-availability and test-booking endpoints).

pub mod offers;
pub mod priced;
pub mod sales_channel;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sales_channel::create_sales_channel))
        .routes(routes!(sales_channel::show_accounts))
        .routes(routes!(sales_channel::show_sales_channel))
}
