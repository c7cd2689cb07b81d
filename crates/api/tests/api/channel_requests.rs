//! Tag "Sales Channel Request": an owner asks a supplier property for a channel; the supplier
//! lists, rejects, or accepts it by opening the channel. What each side (and a third account)
//! sees.

use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use uuid::Uuid;
use wink_api::auth::clients;

use crate::on_both_engines;
use crate::sales_channels::channel_request as channel_body;
use crate::support::{Persona, TestApp, base};

/// A new account named `name` with an all-scopes persona and one property.
async fn hotel(app: &TestApp, name: &str) -> (Persona, Uuid) {
    let account = clients::create_account(&app.store, name, "HOTEL", None)
        .await
        .expect("account");
    let p = app.persona_of(account.id, &[]).await;
    let property = app.property(&p).await;
    (p, property)
}

/// Marks a property INACTIVE (no operation does that yet), as the platform would.
async fn deactivate(app: &TestApp, property: Uuid) {
    let sql = "UPDATE properties SET status = 'INACTIVE' WHERE id = $1";
    match app.engine {
        wink_store::Engine::Sqlite => {
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&app.url)
                .await
                .unwrap();
            sqlx::query(sql)
                .bind(property)
                .execute(&mut c)
                .await
                .unwrap();
        }
        wink_store::Engine::Postgres => {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&app.url)
                .await
                .unwrap();
            sqlx::query(sql)
                .bind(property)
                .execute(&mut c)
                .await
                .unwrap();
        }
    }
}

fn ask(supplier: Uuid, message: &str) -> Value {
    json!({ "requestType": "DIRECT_CONNECTION", "supplierIdentifier": supplier,
            "introductoryMessage": message })
}

fn requests(property: Uuid) -> String {
    format!("{}/sales-channel/request", base(property))
}

async fn pending(app: &TestApp, p: &Persona, property: Uuid) -> Value {
    let r = app
        .get(&format!("{}/list", requests(property)), &p.token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json
}

async fn channel_request_lifecycle(app: TestApp) {
    let (a, pa) = hotel(&app, "Andaman Resorts").await;
    let (b, pb) = hotel(&app, "Bangkok Suites").await;
    let (c, pc) = hotel(&app, "Chiang Mai Lodges").await;

    // A's property asks B's property for a direct connection.
    let r = app
        .post(
            &requests(pa),
            &a.token,
            &ask(pb, "  Our guests love Bangkok.  "),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.headers["etag"], "\"1\"");
    let id = r.json["id"].as_str().unwrap().to_string();
    let created = r.json["createdDate"].clone();
    let asked = json!({
        "id": id, "createdDate": created, "lastUpdate": created, "version": 1,
        "status": "REQUESTING", "requestType": "DIRECT_CONNECTION",
        "supplierIdentifier": pb, "supplierName": "Test Hotel Bangkok",
        "subType": "HOTEL", "ownerIdentifier": a.account_id, "ownerName": "Andaman Resorts",
        "introductoryMessage": "Our guests love Bangkok."
    });
    assert_eq!(r.json, asked);

    // The supplier sees it pending; the requester's own list is of requests made TO it (none);
    // a third account sees nothing and cannot touch it.
    assert_eq!(pending(&app, &b, pb).await, json!([asked]));
    assert_eq!(pending(&app, &a, pa).await, json!([]));
    assert_eq!(pending(&app, &c, pc).await, json!([]));
    let body = pending(&app, &c, pc).await.to_string();
    assert!(!body.contains("Andaman"), "{body}");
    for (who, property) in [(&c, pc), (&a, pa)] {
        app.delete(&format!("{}/{id}", requests(property)), &who.token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    for path in [
        format!("{}/list", requests(pb)),
        format!("{}/{id}", requests(pb)),
    ] {
        let r = if path.ends_with("list") {
            app.get(&path, &c.token).await
        } else {
            app.delete(&path, &c.token).await
        };
        r.problem(StatusCode::NOT_FOUND);
    }
    assert_eq!(pending(&app, &b, pb).await, json!([asked]));

    // One pending request per owner and supplier (from any of the owner's properties).
    let r = app.post(&requests(pa), &a.token, &ask(pb, "Again")).await;
    let problem = r.problem(StatusCode::CONFLICT);
    assert!(
        problem["detail"].as_str().unwrap().contains("pending"),
        "{problem}"
    );

    // The supplier rejects it (a stale If-Match is refused first); rejecting again answers it
    // unchanged.
    let stale = app
        .send(
            Request::builder()
                .method(Method::DELETE)
                .uri(format!("{}/{id}", requests(pb)))
                .header(header::AUTHORIZATION, format!("Bearer {}", b.token))
                .header(header::IF_MATCH, "\"7\"")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    stale.problem(StatusCode::PRECONDITION_FAILED);
    let r = app
        .delete(&format!("{}/{id}", requests(pb)), &b.token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        (&r.json["status"], &r.json["version"], &r.json["ownerName"]),
        (&json!("REJECTED"), &json!(2), &json!("Andaman Resorts"))
    );
    let rejected = r.json.clone();
    let again = app
        .delete(&format!("{}/{id}", requests(pb)), &b.token)
        .await;
    assert_eq!((again.status, &again.json), (StatusCode::OK, &rejected));
    assert_eq!(pending(&app, &b, pb).await, json!([]));

    // A rejected owner waits before asking again, and cannot be given a channel without asking.
    let r = app.post(&requests(pa), &a.token, &ask(pb, "Please?")).await;
    assert!(
        r.problem(StatusCode::CONFLICT)["detail"]
            .as_str()
            .unwrap()
            .contains("rejected")
    );
    let r = app
        .post(
            &format!("{}/sales/account", base(pb)),
            &b.token,
            &channel_body(pb, a.account_id),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/ownerIdentifier"]);

    // C asks; B accepts by opening a channel for C's account: the request is no longer pending,
    // C is now an affiliate of B's property, and asking again is refused.
    let r = app
        .post(&requests(pc), &c.token, &ask(pb, "Hello from the north"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let c_request = r.json["id"].as_str().unwrap().to_string();
    assert_eq!(
        pending(&app, &b, pb).await.as_array().unwrap().len(),
        1,
        "C's request is pending"
    );
    let r = app
        .post(
            &format!("{}/sales/account", base(pb)),
            &b.token,
            &channel_body(pb, c.account_id),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(
        (&r.json["ownerName"], &r.json["subType"]),
        (&json!("Chiang Mai Lodges"), &json!("HOTEL"))
    );
    assert_eq!(pending(&app, &b, pb).await, json!([]));
    let r = app
        .delete(&format!("{}/{c_request}", requests(pb)), &b.token)
        .await;
    assert!(
        r.problem(StatusCode::CONFLICT)["detail"]
            .as_str()
            .unwrap()
            .contains("accepted")
    );
    let r = app
        .post(&requests(pc), &c.token, &ask(pb, "Hi again"))
        .await;
    r.problem(StatusCode::CONFLICT);
    let affiliate = app
        .get(
            &format!("{}/sales/affiliate/{}", base(pb), c.account_id),
            &b.token,
        )
        .await;
    assert_eq!(affiliate.status, StatusCode::OK, "{}", affiliate.json);
}

async fn channel_request_refusals(app: TestApp) {
    let (a, pa) = hotel(&app, "Andaman Resorts").await;
    let (b, pb) = hotel(&app, "Bangkok Suites").await;
    let own_second = app.property(&a).await;
    let create = requests(pa);

    // An unknown supplier and the caller's own property: 400 naming the field.
    let unknown = app
        .post(&create, &a.token, &ask(Uuid::new_v4(), "Hi"))
        .await;
    assert_eq!(unknown.invalid_fields(), ["/supplierIdentifier"]);
    // A property that is not active answers exactly like one that does not exist: ids cannot be
    // probed for names.
    let (_, hidden) = hotel(&app, "Hidden Hotels").await;
    deactivate(&app, hidden).await;
    let r = app.post(&create, &a.token, &ask(hidden, "Hi")).await;
    assert_eq!(r.status, unknown.status);
    assert_eq!(r.json["errors"], unknown.json["errors"]);
    assert_eq!(r.json["detail"], unknown.json["detail"]);
    let own = app.post(&create, &a.token, &ask(own_second, "Hi")).await;
    assert_eq!(own.invalid_fields(), ["/supplierIdentifier"]);
    let own = app.post(&create, &a.token, &ask(pa, "Hi")).await;
    assert_eq!(own.invalid_fields(), ["/supplierIdentifier"]);

    // Malformed bodies name their field.
    for (body, field) in [
        (
            json!({ "requestType": "DIRECT_CONNECTION", "supplierIdentifier": pb }),
            "/introductoryMessage",
        ),
        (ask(pb, "   "), "/introductoryMessage"),
        (ask(pb, &"x".repeat(2001)), "/introductoryMessage"),
        (
            json!({ "requestType": "MERGER", "supplierIdentifier": pb, "introductoryMessage": "Hi" }),
            "/requestType",
        ),
        (
            json!({ "requestType": "DIRECT_CONNECTION", "supplierIdentifier": "nope", "introductoryMessage": "Hi" }),
            "/supplierIdentifier",
        ),
    ] {
        let r = app.post(&create, &a.token, &body).await;
        assert_eq!(r.invalid_fields(), [field], "{body}");
    }
    // Nothing was recorded.
    assert_eq!(pending(&app, &b, pb).await, json!([]));

    // Another account's property in the path: 404 for every operation.
    let (stranger, _) = hotel(&app, "Stranger Inns").await;
    app.post(&create, &stranger.token, &ask(pb, "Hi"))
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&format!("{create}/list"), &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&format!("{create}/{}", Uuid::new_v4()), &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    // Unknown ids and non-ids: 404.
    for missing in [Uuid::new_v4().to_string(), "not-an-id".to_string()] {
        app.delete(&format!("{}/{missing}", requests(pb)), &b.token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
}

on_both_engines!(channel_request_lifecycle, channel_request_refusals);
