//! Grid reads over a master rate's stored daily rates (dates never set are not rows here: the
//! dense calendar is [`Store::rates`]).

use uuid::Uuid;

use crate::daily_rates::RateView;
use crate::grid::{Column, ColumnType, GridQuery, Sort, Sql, Value};
use crate::{Store, StoreError, bind_values, on_pool};

/// What the daily-rate grid can filter and sort on, over `daily_rates d`, `master_rates m` and
/// `room_availability a`, as the contract's `Rate` answers them.
pub mod columns {
    use super::{Column, ColumnType::*};

    pub const DAY: Column = Column::new("d.day", Date);
    /// A date without a price answers 0.
    pub const RATE: Column = Column::new("COALESCE(d.rate, 0)", Decimal);
    pub const OPEN: Column = Column::new("d.open", Bool);
    pub const CLOSED_TO_ARRIVAL: Column = Column::new("d.closed_to_arrival", Bool);
    pub const CLOSED_TO_DEPARTURE: Column = Column::new("d.closed_to_departure", Bool);
    /// -1 when there is no limit.
    pub const MIN_LOS: Column = Column::new(
        "CASE WHEN d.min_los IS NULL OR d.min_los <= 0 THEN -1 ELSE d.min_los END",
        Integer,
    );
    pub const MAX_LOS: Column = Column::new(
        "CASE WHEN d.max_los IS NULL OR d.max_los <= 0 THEN -1 ELSE d.max_los END",
        Integer,
    );
    /// The room type's rooms still for sale that date.
    pub const UNITS: Column = Column::new(rooms_left!(), Integer);
    pub const RATE_SOURCE: Column = Column::new("d.rate_source", Text);
    pub const AVAILABLE: Column = Column::new(
        concat!("d.open AND d.rate IS NOT NULL AND ", rooms_left!(), " > 0"),
        Bool,
    );
}

/// By date, when the client names no order.
pub const BY_DATE: [Sort; 1] = [Sort {
    column: columns::DAY,
    descending: false,
}];

impl Store {
    /// A page of one master rate's stored daily rates under `query` (by date when it names no
    /// order), with their room type's units, and how many match in all.
    pub async fn daily_rate_grid(
        &self,
        property: Uuid,
        master_rate: Uuid,
        query: &GridQuery,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<RateView>, u64), StoreError> {
        let scope = |sql: &mut Sql| {
            sql.push(
                " FROM daily_rates d JOIN master_rates m ON m.id = d.master_rate_id
                 LEFT JOIN room_availability a ON a.room_type_id = m.room_type_id AND a.day = d.day
                 WHERE m.property_id = ",
            )
            .bind(Value::Uuid(property))
            .push(" AND d.master_rate_id = ")
            .bind(Value::Uuid(master_rate));
            if let Some(filter) = &query.filter {
                sql.push(" AND ").condition(filter);
            }
        };
        let mut count = Sql::new(self.engine());
        count.push("SELECT COUNT(*)");
        scope(&mut count);
        let mut page = Sql::new(self.engine());
        page.push(concat!(
            "SELECT d.master_rate_id, m.room_type_id, m.rate_plan_id, d.day, d.rate, d.open, d.closed_to_arrival,
                d.closed_to_departure, d.min_los, d.max_los, d.modifiers, d.rate_source, ",
            rooms_left!(),
            " AS units"
        ));
        scope(&mut page);
        let mut sort = if query.sort.is_empty() {
            BY_DATE.to_vec()
        } else {
            query.sort.clone()
        };
        // The date is unique within a master rate: the last key keeps pages stable.
        if !sort.iter().any(|s| s.column == columns::DAY) {
            sort.push(BY_DATE[0]);
        }
        page.order_by(&sort)
            .push(" LIMIT ")
            .bind(Value::Integer(i64::from(limit)))
            .push(" OFFSET ")
            .bind(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
        let (rows, total) = on_pool!(&self.read, p => {
            let rows = bind_values!(sqlx::query_as::<_, RateView>(page.text()), page.binds())
                .fetch_all(p).await?;
            let (total,): (i64,) = bind_values!(sqlx::query_as(count.text()), count.binds())
                .fetch_one(p).await?;
            Ok::<_, sqlx::Error>((rows, total))
        })?;
        Ok((rows, total.max(0) as u64))
    }
}
