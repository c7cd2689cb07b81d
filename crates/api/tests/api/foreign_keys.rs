//! Defence in depth: the database itself refuses a row of one property that points at another
//! property's row (composite foreign keys on `(property_id, parent id)`), whatever the code
//! above it checks; and a database migrated from before those keys keeps every row.

use serde_json::json;
use uuid::Uuid;
use wink_store::StoreError;
use wink_store::promotions::{Promotion, PromotionRefs};

use crate::booking_lifecycle::booked;
use crate::bookings::{Shop, day};
use crate::cancellation_policies::create;
use crate::fixtures;
use crate::on_both_engines;
use crate::reviews::review_of;
use crate::support::TestApp;
use wink_store::Engine;

/// Runs one statement on its own connection to the test database (foreign keys on, as the
/// store's own connections have them) and answers the rows it changed.
async fn execute(app: &TestApp, sql: &str, binds: &[Uuid]) -> Result<u64, sqlx::Error> {
    use sqlx::Connection;
    match app.engine {
        Engine::Sqlite => {
            let options: sqlx::sqlite::SqliteConnectOptions = app.url.parse()?;
            let mut c = sqlx::SqliteConnection::connect_with(&options.foreign_keys(true)).await?;
            let mut q = sqlx::query(sql);
            for b in binds {
                q = q.bind(*b);
            }
            Ok(q.execute(&mut c).await?.rows_affected())
        }
        Engine::Postgres => {
            let mut c = sqlx::PgConnection::connect(&app.url).await?;
            let mut q = sqlx::query(sql);
            for b in binds {
                q = q.bind(*b);
            }
            Ok(q.execute(&mut c).await?.rows_affected())
        }
    }
}

fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::ForeignKeyViolation)
}

/// The ids of a property with one of everything that refers to another property-owned row.
struct Holdings {
    property: Uuid,
    policy: Uuid,
    room: Uuid,
    plan: Uuid,
    master: Uuid,
    channel: Uuid,
    booking: Uuid,
    promotion: Uuid,
    bundle: Uuid,
    add_on: Uuid,
}

/// `review`: whether the booking has a review (at most one per booking, so the property whose
/// booking a review is pointed at has none).
async fn holdings(app: &TestApp, review: bool) -> Holdings {
    let s = Shop::new(app, 5).await;
    let root = s.root();
    let mut plan = fixtures::rate_plan("Flexible", &s.policy);
    plan["cancellationPolicyExceptions"] = json!({ "list": [
        { "cancellationPolicyIdentifier": s.policy, "startDate": "2031-01-06", "endDate": "2031-01-06" }
    ]});
    let r = app
        .put(&format!("{root}/rate-plan/{}", s.plan), &s.p.token, &plan)
        .await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.json);
    let booking = booked(app, &s, day(3), day(5), ("Ann", "Lee", "ann@example.com")).await;
    let booking: Uuid = booking["id"].as_str().unwrap().parse().unwrap();
    // A notification of the booking in the outbox.
    let r = app
        .patch(
            &format!("{root}/booking/{booking}/resend"),
            &s.p.token,
            &json!({}),
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.json);
    if review {
        app.store
            .create_review(&review_of(app, s.property, booking, false))
            .await
            .unwrap();
    }
    let mut add_on = fixtures::inventory("add-on", "Breakfast");
    add_on["ratePlanIdentifier"] = json!(s.plan);
    let add_on = create(app, &format!("{root}/add-on"), &s.p.token, &add_on).await;
    let promotion = |name: &str| {
        let mut body = fixtures::promotion(name);
        body["masterRateIdentifiers"] = json!([s.master]);
        body["ratePlanIdentifiers"] = json!([s.plan]);
        body["addOnIdentifiers"] = json!([add_on]);
        body
    };
    let first = create(
        app,
        &format!("{root}/promotion"),
        &s.p.token,
        &promotion("Early"),
    )
    .await;
    let second = create(
        app,
        &format!("{root}/promotion"),
        &s.p.token,
        &promotion("Late"),
    )
    .await;
    let bundle = create(
        app,
        &format!("{root}/promotion-bundle"),
        &s.p.token,
        &fixtures::bundle("Both", &[&first, &second]),
    )
    .await;
    let id = |s: &str| -> Uuid { s.parse().unwrap() };
    Holdings {
        property: s.property,
        policy: id(&s.policy),
        room: id(&s.room),
        plan: id(&s.plan),
        master: id(&s.master),
        channel: id(&s.channel),
        booking,
        promotion: id(&first),
        bundle: id(&bundle),
        add_on: id(&add_on),
    }
}

/// Every child row of property A, pointed (by raw SQL) at property B's parent instead of its own,
/// is refused by the database; pointed at its own parent, the same statement changes the row.
async fn another_propertys_parent_is_refused_by_the_database(app: TestApp) {
    let a = holdings(&app, true).await;
    let b = holdings(&app, false).await;
    // (statement with $1 = the parent to point at, $2 = A's child row, parent of A, of B)
    let cases: Vec<(&str, Uuid, Uuid, Uuid)> = vec![
        (
            "UPDATE rate_plans SET cancellation_policy_id = $1 WHERE id = $2",
            a.plan,
            a.policy,
            b.policy,
        ),
        (
            "UPDATE rate_plan_policy_exceptions SET cancellation_policy_id = $1 WHERE rate_plan_id = $2",
            a.plan,
            a.policy,
            b.policy,
        ),
        (
            "UPDATE master_rates SET room_type_id = $1 WHERE id = $2",
            a.master,
            a.room,
            b.room,
        ),
        (
            "UPDATE master_rates SET rate_plan_id = $1 WHERE id = $2",
            a.master,
            a.plan,
            b.plan,
        ),
        (
            "UPDATE inventory_items SET rate_plan_id = $1 WHERE id = $2",
            a.add_on,
            a.plan,
            b.plan,
        ),
        (
            "UPDATE promotion_master_rates SET master_rate_id = $1 WHERE promotion_id = $2",
            a.promotion,
            a.master,
            b.master,
        ),
        (
            "UPDATE promotion_rate_plans SET rate_plan_id = $1 WHERE promotion_id = $2",
            a.promotion,
            a.plan,
            b.plan,
        ),
        (
            "UPDATE promotion_add_ons SET add_on_id = $1 WHERE promotion_id = $2",
            a.promotion,
            a.add_on,
            b.add_on,
        ),
        (
            "UPDATE promotion_bundle_items SET promotion_id = $1 WHERE bundle_id = $2 AND position = 0",
            a.bundle,
            a.promotion,
            b.promotion,
        ),
        (
            "UPDATE bookings SET sales_channel_id = $1 WHERE id = $2",
            a.booking,
            a.channel,
            b.channel,
        ),
        (
            "UPDATE notifications SET booking_id = $1 WHERE booking_id = $2",
            a.booking,
            a.booking,
            b.booking,
        ),
        (
            "UPDATE reviews SET booking_id = $1 WHERE booking_id = $2",
            a.booking,
            a.booking,
            b.booking,
        ),
    ];
    for (sql, row, own, other) in cases {
        let refused = execute(&app, sql, &[other, row]).await;
        assert!(
            matches!(&refused, Err(e) if is_foreign_key_violation(e)),
            "{sql} pointing at the other property's row: {refused:?}"
        );
        let kept = execute(&app, sql, &[own, row]).await;
        assert!(
            matches!(kept, Ok(n) if n >= 1),
            "{sql} pointing at its own property's row: {kept:?}"
        );
    }
    // A link row inserted for A naming B's rate plan: the link carries A's property.
    let refused = execute(
        &app,
        "INSERT INTO promotion_rate_plans (property_id, promotion_id, rate_plan_id) VALUES ($1, $2, $3)",
        &[a.property, a.promotion, b.plan],
    )
    .await;
    assert!(
        matches!(&refused, Err(e) if is_foreign_key_violation(e)),
        "{refused:?}"
    );

    // Through the store: a promotion of A naming B's master rate is refused by the database
    // (the API checks it first; this is what stops a bug in that check) and nothing is stored.
    let now = wink_store::now();
    let stray = Promotion {
        id: Uuid::new_v4(),
        property_id: a.property,
        name: "Stray".into(),
        enabled: true,
        document: wink_store::Json(fixtures::promotion("Stray")),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let refs = PromotionRefs {
        master_rates: vec![b.master],
        ..PromotionRefs::default()
    };
    let refused = app.store.create_promotion(&stray, &refs).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    assert!(matches!(
        app.store.promotion(a.property, stray.id).await,
        Err(StoreError::NotFound)
    ));
}

on_both_engines!(another_propertys_parent_is_refused_by_the_database);

/// A value bound into the migration test's SQL, stored as each engine stores it.
#[derive(Clone, Copy)]
enum Arg {
    Id(Uuid),
    At(chrono::DateTime<chrono::Utc>),
    Day(chrono::NaiveDate),
}

/// One connection to a database at an older schema, whichever the engine.
enum Raw {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Raw {
    async fn run(&mut self, sql: &str, args: &[Arg]) {
        macro_rules! bound {
            ($c:expr) => {{
                let mut q = sqlx::query(sql);
                for a in args {
                    q = match *a {
                        Arg::Id(v) => q.bind(v),
                        Arg::At(v) => q.bind(v),
                        Arg::Day(v) => q.bind(v),
                    };
                }
                q.execute($c).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
            }};
        }
        match self {
            Raw::Sqlite(c) => bound!(&mut *c),
            Raw::Postgres(c) => bound!(&mut *c),
        }
    }

    async fn count(&mut self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let (n,): (i64,) = match self {
            Raw::Sqlite(c) => sqlx::query_as(&sql).fetch_one(&mut *c).await,
            Raw::Postgres(c) => sqlx::query_as(&sql).fetch_one(&mut *c).await,
        }
        .unwrap();
        n
    }

    /// Applies the engine's migrations up to `version` only, as a server of that time did.
    async fn migrate_through(&mut self, version: i64) {
        use sqlx::migrate::Migrate;
        macro_rules! through {
            ($c:expr, $migrator:expr) => {{
                let migrator = $migrator;
                $c.ensure_migrations_table().await.unwrap();
                for m in migrator.iter().filter(|m| m.version <= version) {
                    $c.apply(m).await.unwrap();
                }
            }};
        }
        match self {
            Raw::Sqlite(c) => through!(c, sqlx::migrate!("../store/migrations/sqlite")),
            Raw::Postgres(c) => through!(c, sqlx::migrate!("../store/migrations/postgres")),
        }
    }
}

/// Every table the composite foreign keys rebuilt (SQLite) or altered (PostgreSQL), and those
/// around them.
const TABLES: [&str; 21] = [
    "accounts",
    "properties",
    "room_types",
    "cancellation_policies",
    "rate_plans",
    "rate_plan_policy_exceptions",
    "master_rates",
    "daily_rates",
    "room_availability",
    "sales_channels",
    "bookings",
    "booking_nights",
    "booking_refunds",
    "notifications",
    "reviews",
    "promotions",
    "promotion_master_rates",
    "promotion_rate_plans",
    "promotion_bundles",
    "promotion_bundle_items",
    "promotion_add_ons",
];

/// A database at migration 0010 holding one of everything (a live booking and a cancelled one on
/// the same night, 3 rooms left) is migrated by the current server: every row is kept, the link
/// tables get their property, and the night's capacity is what was left plus what the live
/// booking holds (rooms left unchanged).
async fn upgrade_keeps_every_row(mut raw: Raw, url: String) {
    use Arg::{At, Day, Id};
    raw.migrate_through(10).await;
    let now = At(wink_store::now());
    let night = chrono::NaiveDate::from_ymd_opt(2031, 3, 10).unwrap();
    let [
        account,
        agent,
        property,
        policy,
        room,
        plan,
        master,
        channel,
    ] = [(); 8].map(|_| Uuid::new_v4());
    let [
        booking,
        cancelled,
        promotion,
        bundle,
        add_on,
        note,
        review,
        refund,
    ] = [(); 8].map(|_| Uuid::new_v4());
    let booking_columns = "id, property_id, code, creation, status, sales_channel_id, master_rate_id, room_type_id, \
        rate_plan_id, arrival, departure, quantity, currency, total, first_night, guest_first_name, guest_last_name, \
        guest_email, search_text, booked_by, document, cancelled_at, created_at, updated_at";
    let statements: Vec<(String, Vec<Arg>)> = vec![
        ("INSERT INTO accounts (id, name, entity_type, created_at, updated_at) VALUES ($1, 'Hotels', 'HOTEL', $2, $2), ($3, 'Agent', 'TRAVEL_AGENT', $2, $2)".into(),
            vec![Id(account), now, Id(agent)]),
        ("INSERT INTO properties (id, account_id, registered_by, name, currency, time_zone, url_name, hotel_code, unique_code, status, lead_id, document, created_at, updated_at)
          VALUES ($1, $2, $2, 'Old Hotel', 'THB', 'Asia/Bangkok', 'old-hotel', 'OLD1', 'OLD-1', 'ACTIVE', 'lead', '{}', $3, $3)".into(),
            vec![Id(property), Id(account), now]),
        ("INSERT INTO cancellation_policies (id, property_id, refundable, created_at, updated_at) VALUES ($1, $2, TRUE, $3, $3)".into(),
            vec![Id(policy), Id(property), now]),
        ("INSERT INTO room_types (id, property_id, name, quantity, active, bookable, min_occupancy, max_occupancy, max_adults, max_children, included_adults, included_children, document, created_at, updated_at)
          VALUES ($1, $2, 'Deluxe', 5, TRUE, TRUE, 1, 3, 2, 1, 2, 0, '{}', $3, $3)".into(),
            vec![Id(room), Id(property), now]),
        ("INSERT INTO rate_plans (id, property_id, name, enabled, cancellation_policy_id, document, created_at, updated_at) VALUES ($1, $2, 'Flexible', TRUE, $3, '{}', $4, $4)".into(),
            vec![Id(plan), Id(property), Id(policy), now]),
        ("INSERT INTO rate_plan_policy_exceptions (rate_plan_id, position, cancellation_policy_id, start_date, end_date) VALUES ($1, 0, $2, $3, $3)".into(),
            vec![Id(plan), Id(policy), Day(night)]),
        ("INSERT INTO master_rates (id, property_id, room_type_id, rate_plan_id, enabled, perks, created_at, updated_at) VALUES ($1, $2, $3, $4, TRUE, '[]', $5, $5)".into(),
            vec![Id(master), Id(property), Id(room), Id(plan), now]),
        ("INSERT INTO daily_rates (master_rate_id, day, rate, open, closed_to_arrival, closed_to_departure, modifiers, rate_source, updated_at)
          VALUES ($1, $2, 2000, TRUE, FALSE, FALSE, '{}', 'TRAVELIKO', $3)".into(),
            vec![Id(master), Day(night), now]),
        ("INSERT INTO room_availability (room_type_id, day, units, updated_at) VALUES ($1, $2, 3, $3)".into(),
            vec![Id(room), Day(night), now]),
        ("INSERT INTO sales_channels (id, property_id, owner_account_id, enabled, created_at, updated_at) VALUES ($1, $2, $3, TRUE, $4, $4)".into(),
            vec![Id(channel), Id(property), Id(agent), now]),
        (format!("INSERT INTO bookings ({booking_columns}) VALUES
            ($1, $2, 'OLD-0001', 'TEST', 'TEST_PAYMENT_SUCCEEDED', $3, $4, $5, $6, $7, $8, 1, 'THB', 2000, 2000, 'Ann', 'Lee', 'ann@example.com', 'ann lee', $9, '{{}}', NULL, $10, $10),
            ($11, $2, 'OLD-0002', 'TEST', 'CANCELLED', $3, $4, $5, $6, $7, $8, 2, 'THB', 4000, 4000, 'Bob', 'Ray', 'bob@example.com', 'bob ray', $9, '{{}}', $10, $10, $10)"),
            vec![Id(booking), Id(property), Id(channel), Id(master), Id(room), Id(plan), Day(night), Day(night.succ_opt().unwrap()), Id(account), now, Id(cancelled)]),
        ("INSERT INTO booking_nights (booking_id, room_type_id, day, quantity) VALUES ($1, $2, $3, 1), ($4, $2, $3, 2)".into(),
            vec![Id(booking), Id(room), Day(night), Id(cancelled)]),
        ("INSERT INTO booking_refunds (id, booking_id, amount, currency, reason, description, cancel_on_refund, status, requested_by, created_at)
          VALUES ($1, $2, 100, 'THB', 'GOODWILL', 'Late check-in', 'NO', 'PENDING', $3, $4)".into(),
            vec![Id(refund), Id(booking), Id(account), now]),
        ("INSERT INTO notifications (id, property_id, booking_id, kind, recipient, requested_by, requested_at) VALUES ($1, $2, $3, 'CONFIRMATION', 'ann@example.com', $4, $5)".into(),
            vec![Id(note), Id(property), Id(booking), Id(account), now]),
        ("INSERT INTO reviews (id, property_id, booking_id, guest_first_name, guest_last_name, guest_email, review_date, answers, likes, created_at, updated_at)
          VALUES ($1, $2, $3, 'Ann', 'Lee', 'ann@example.com', $4, '[]', '[]', $4, $4)".into(),
            vec![Id(review), Id(property), Id(booking), now]),
        ("INSERT INTO inventory_items (id, property_id, kind, name, rate_plan_id, document, created_at, updated_at) VALUES ($1, $2, 'ADD_ON', 'Breakfast', $3, '{}', $4, $4)".into(),
            vec![Id(add_on), Id(property), Id(plan), now]),
        ("INSERT INTO promotions (id, property_id, name, enabled, document, created_at, updated_at) VALUES ($1, $2, 'Early', TRUE, '{}', $3, $3)".into(),
            vec![Id(promotion), Id(property), now]),
        ("INSERT INTO promotion_master_rates (promotion_id, master_rate_id) VALUES ($1, $2)".into(), vec![Id(promotion), Id(master)]),
        ("INSERT INTO promotion_rate_plans (promotion_id, rate_plan_id) VALUES ($1, $2)".into(), vec![Id(promotion), Id(plan)]),
        ("INSERT INTO promotion_add_ons (promotion_id, add_on_id) VALUES ($1, $2)".into(), vec![Id(promotion), Id(add_on)]),
        ("INSERT INTO promotion_bundles (id, property_id, name, enabled, document, created_at, updated_at) VALUES ($1, $2, 'Bundle', TRUE, '{}', $3, $3)".into(),
            vec![Id(bundle), Id(property), now]),
        ("INSERT INTO promotion_bundle_items (bundle_id, position, promotion_id) VALUES ($1, 0, $2)".into(), vec![Id(bundle), Id(promotion)]),
    ];
    for (sql, args) in &statements {
        raw.run(sql, args).await;
    }
    let mut before = Vec::new();
    for table in TABLES {
        before.push(raw.count(table).await);
    }
    assert!(before.iter().all(|n| *n > 0), "{before:?}");

    let store = wink_store::Store::open(&wink_store::StoreOptions::new(url))
        .await
        .expect("the current server migrates the old database");
    let mut after = Vec::new();
    for table in TABLES {
        after.push(raw.count(table).await);
    }
    assert_eq!(after, before, "rows per table of {TABLES:?}");
    for table in [
        "rate_plan_policy_exceptions",
        "promotion_master_rates",
        "promotion_rate_plans",
        "promotion_add_ons",
        "promotion_bundle_items",
    ] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE property_id = $1");
        let (n,): (i64,) = match &mut raw {
            Raw::Sqlite(c) => sqlx::query_as(&sql).bind(property).fetch_one(&mut *c).await,
            Raw::Postgres(c) => sqlx::query_as(&sql).bind(property).fetch_one(&mut *c).await,
        }
        .unwrap();
        assert_eq!(n, 1, "{table} carries its property");
    }
    let audit = store.availability_audit(room, night, night).await.unwrap();
    assert_eq!(audit.len(), 1);
    let n = audit[0];
    assert_eq!(
        (n.units, n.capacity, n.sold, n.held),
        (3, 4, 1, 1),
        "rooms left kept; the live booking's room counted as sold"
    );
    let kept = store.booking(property, booking).await.unwrap();
    assert_eq!(kept.code, "OLD-0001");
    let rates = store
        .rates(property, Some(master), night, night)
        .await
        .unwrap();
    assert_eq!(rates[0].units, 3);
    store.close().await;
}

mod upgrade_keeps_every_row {
    use sqlx::Connection;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let path =
            std::env::temp_dir().join(format!("wink-upgrade-{}.db", uuid::Uuid::new_v4().simple()));
        let url = format!("sqlite://{}", path.display());
        let options: sqlx::sqlite::SqliteConnectOptions = url.parse().unwrap();
        let options = options
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
        let conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        super::upgrade_keeps_every_row(super::Raw::Sqlite(conn), url).await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs PostgreSQL: set WINK_TEST_POSTGRES_URL and run with --ignored"]
    async fn postgres() {
        let admin_url =
            std::env::var(crate::support::POSTGRES_URL_VAR).expect("WINK_TEST_POSTGRES_URL");
        let name = format!("wink_upgrade_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        let url = format!("{base}/{name}");
        let conn = sqlx::PgConnection::connect(&url).await.unwrap();
        super::upgrade_keeps_every_row(super::Raw::Postgres(conn), url).await;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await
            .unwrap();
    }
}
