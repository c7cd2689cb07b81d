//! Tag "Cancellation Policy".

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures;
use crate::on_both_engines;
use crate::support::{TestApp, TestResponse, base};

/// `method path` with `If-Match: "version"` and a JSON body.
pub async fn if_match(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    version: i64,
    body: &Value,
) -> TestResponse {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, format!("\"{version}\""))
        .body(Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap();
    app.send(request).await
}

/// Creates a resource and answers its id.
pub async fn create(app: &TestApp, path: &str, token: &str, body: &Value) -> String {
    let r = app.post(path, token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.json);
    r.json["id"].as_str().unwrap().to_string()
}

async fn policy_lifecycle(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let policies = format!("{}/cancellation-policy", base(property));

    let r = app
        .post(&policies, &p.token, &fixtures::refundable_policy())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_string();
    assert_eq!(r.headers[header::ETAG], "\"1\"");
    let created = r.json["createdDate"].as_str().unwrap().to_string();
    assert_eq!(r.json["lastUpdate"], created.as_str());
    assert_eq!(
        r.json,
        json!({
            "id": id, "createdDate": created, "lastUpdate": created, "version": 1,
            "hotelIdentifier": property, "refundable": true,
            "advanceCancellationFreeOfCharge": "TWO_DAYS_BEFORE_ARRIVAL",
            "refundableCancellationCharge": "FIFTY_PERCENT",
            "noShowCharge": "ONE_HUNDRED_PERCENT_OF_TOTAL_CHARGE",
            "policyCode": "FREE-2D/50%/NS-100%"
        })
    );
    let one = format!("{policies}/{id}");
    let shown = app.get(&one, &p.token).await;
    assert_eq!((shown.status, &shown.json), (StatusCode::OK, &r.json));
    assert_eq!(shown.headers[header::ETAG], "\"1\"");
    let r2 = app
        .post(&policies, &p.token, &fixtures::non_refundable_policy())
        .await;
    assert_eq!(r2.json["policyCode"], "NR-10%/7D/100%");
    let list = app.get(&format!("{policies}/list"), &p.token).await;
    assert_eq!(list.json, json!([r.json, r2.json]));

    // Replace the terms: the version goes up, the code follows.
    let r = app
        .put(&one, &p.token, &json!({ "refundable": true }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        (
            r.json["version"].as_i64(),
            r.json["policyCode"].as_str(),
            r.json.get("advanceCancellationFreeOfCharge")
        ),
        (Some(2), Some("FREE-1D/100%"), None)
    );
    assert_eq!(r.json["createdDate"], created.as_str());
    assert_eq!(r.headers[header::ETAG], "\"2\"");

    // Stale versions: 409 in the body, 412 in If-Match; nothing changes.
    let stale = json!({ "refundable": false, "version": 1 });
    app.put(&one, &p.token, &stale)
        .await
        .problem(StatusCode::CONFLICT);
    if_match(
        &app,
        Method::PUT,
        &one,
        &p.token,
        1,
        &json!({ "refundable": false }),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    let shown = app.get(&one, &p.token).await;
    assert_eq!(
        (
            shown.json["version"].as_i64(),
            shown.json["refundable"].as_bool()
        ),
        (Some(2), Some(true))
    );
    let r = if_match(
        &app,
        Method::PUT,
        &one,
        &p.token,
        2,
        &fixtures::non_refundable_policy(),
    )
    .await;
    assert_eq!(
        (
            r.status,
            r.json["version"].as_i64(),
            r.json["policyCode"].as_str()
        ),
        (StatusCode::OK, Some(3), Some("NR-10%/7D/100%"))
    );

    // Removable while unused: no `ratePlans` at all.
    let r = app.get(&format!("{one}/removable"), &p.token).await;
    assert_eq!(r.json, json!({ "removable": true }));

    // Another account, and another property of the same account, see nothing.
    let q = app.persona(&[]).await;
    let theirs = app.property(&q).await;
    let sibling = app.property(&p).await;
    for path in [
        format!("{}/cancellation-policy/{id}", base(theirs)),
        format!("{}/cancellation-policy/{id}", base(sibling)),
    ] {
        let token = if path.contains(&theirs.to_string()) {
            &q.token
        } else {
            &p.token
        };
        app.get(&path, token).await.problem(StatusCode::NOT_FOUND);
        app.get(&format!("{path}/removable"), token)
            .await
            .problem(StatusCode::NOT_FOUND);
        app.put(&path, token, &fixtures::refundable_policy())
            .await
            .problem(StatusCode::NOT_FOUND);
        app.delete(&path, token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    app.get(&one, &q.token).await.problem(StatusCode::NOT_FOUND);
    assert!(
        app.get(
            &format!("{}/cancellation-policy/list", base(sibling)),
            &p.token
        )
        .await
        .json
        .as_array()
        .unwrap()
        .is_empty()
    );
    app.get(&format!("{policies}/not-a-uuid"), &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);

    let r = app.delete(&one, &p.token).await;
    assert_eq!(
        (r.status, r.json["id"].as_str(), r.json["version"].as_i64()),
        (StatusCode::OK, Some(id.as_str()), Some(3))
    );
    app.get(&one, &p.token).await.problem(StatusCode::NOT_FOUND);
    app.delete(&one, &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    let list = app.get(&format!("{policies}/list"), &p.token).await;
    assert_eq!(list.json, json!([r2.json]));
}

async fn policy_in_use_is_not_removable(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let policies = format!("{}/cancellation-policy", base(property));
    let main = create(&app, &policies, &p.token, &fixtures::refundable_policy()).await;
    let special = create(
        &app,
        &policies,
        &p.token,
        &fixtures::non_refundable_policy(),
    )
    .await;
    let mut body = fixtures::rate_plan("Best Available", &main);
    body["cancellationPolicyExceptions"] = json!({ "list": [
        { "cancellationPolicyIdentifier": special, "startDate": "2030-12-20", "endDate": "2031-01-05" }
    ]});
    let plans = format!("{}/rate-plan", base(property));
    let plan = create(&app, &plans, &p.token, &body).await;

    // Used as the plan's policy, and only in an exception: both refused, naming the plan.
    for policy in [&main, &special] {
        let one = format!("{policies}/{policy}");
        let r = app.delete(&one, &p.token).await;
        let problem = r.problem(StatusCode::CONFLICT);
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            detail.contains("Best Available") && detail.contains(&plan),
            "{detail}"
        );
        let r = app.get(&format!("{one}/removable"), &p.token).await;
        assert_eq!(
            r.json,
            json!({ "removable": false, "ratePlans": [{ "identifier": plan, "name": "Best Available" }] })
        );
        assert_eq!(app.get(&one, &p.token).await.status, StatusCode::OK);
    }

    // Once the plan no longer uses the exception's policy, that one can go; the other follows
    // once the plan is gone.
    let r = app
        .put(
            &format!("{plans}/{plan}"),
            &p.token,
            &fixtures::rate_plan("Best Available", &main),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .get(&format!("{policies}/{special}/removable"), &p.token)
        .await;
    assert_eq!(r.json, json!({ "removable": true }));
    assert_eq!(
        app.delete(&format!("{policies}/{special}"), &p.token)
            .await
            .status,
        StatusCode::OK
    );
    app.delete(&format!("{policies}/{main}"), &p.token)
        .await
        .problem(StatusCode::CONFLICT);
    assert_eq!(
        app.delete(&format!("{plans}/{plan}"), &p.token)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.delete(&format!("{policies}/{main}"), &p.token)
            .await
            .status,
        StatusCode::OK
    );
}

async fn policy_validation(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let policies = format!("{}/cancellation-policy", base(property));
    let cases = [
        (
            json!({ "refundable": true, "nonRefundableDeadline": "ONE_DAY_BEFORE_ARRIVAL" }),
            "/nonRefundableDeadline",
        ),
        (
            json!({ "refundable": false, "noShowCharge": "SAME_AS_CANCELLATION_FEE" }),
            "/noShowCharge",
        ),
        (
            json!({ "refundable": false, "nonRefundableAfterDeadlineCancellationCharge": "FIFTY_PERCENT" }),
            "/nonRefundableAfterDeadlineCancellationCharge",
        ),
        (
            json!({ "refundable": false, "nonRefundableCancellationCharge": "FIFTY_PERCENT",
                    "nonRefundableDeadline": "ONE_DAY_BEFORE_ARRIVAL",
                    "nonRefundableAfterDeadlineCancellationCharge": "THIRTY_PERCENT" }),
            "/nonRefundableAfterDeadlineCancellationCharge",
        ),
        (
            json!({ "refundable": true, "advanceCancellationFreeOfCharge": "NEVER" }),
            "/advanceCancellationFreeOfCharge",
        ),
        (
            json!({ "noShowCharge": "SAME_AS_CANCELLATION_FEE" }),
            "/refundable",
        ),
    ];
    for (body, field) in &cases {
        let r = app.post(&policies, &p.token, body).await;
        assert_eq!(r.invalid_fields(), [*field], "{body}");
    }
    assert!(
        app.get(&format!("{policies}/list"), &p.token)
            .await
            .json
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A refused update changes nothing either.
    let id = create(&app, &policies, &p.token, &fixtures::refundable_policy()).await;
    let one = format!("{policies}/{id}");
    let before = app.get(&one, &p.token).await.json;
    for (body, field) in &cases {
        let r = app.put(&one, &p.token, body).await;
        assert_eq!(r.invalid_fields(), [*field], "{body}");
    }
    assert_eq!(app.get(&one, &p.token).await.json, before);
    // An id that names nothing.
    app.put(
        &format!("{policies}/{}", Uuid::new_v4()),
        &p.token,
        &fixtures::refundable_policy(),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
}

on_both_engines!(
    policy_lifecycle,
    policy_in_use_is_not_removable,
    policy_validation
);
