//! The Scheduler: schedule items of a meeting room (or restaurant, spa, activity, attraction,
//! place) for a booking of the property, once or recurring, listed as occurrences in a range.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::booking_grid::book;
use crate::bookings::{Shop, day};
use crate::cancellation_policies::{create, if_match};
use crate::fixtures;
use crate::on_both_engines;
use crate::support::TestApp;

/// A shop with a meeting room and one booking.
struct Room {
    shop: Shop,
    room: String,
    booking: String,
}

impl Room {
    async fn new(app: &TestApp) -> Room {
        let shop = Shop::new(app, 3).await;
        let room = create(
            app,
            &format!("{}/facility/meeting-room", shop.root()),
            &shop.p.token,
            &fixtures::inventory("meeting-room", "Boardroom"),
        )
        .await;
        let booking = book(
            app,
            &shop,
            day(1),
            day(3),
            ("Ann", "Lee", "ann.lee@example.com"),
        )
        .await;
        Room {
            room,
            booking: booking["id"].as_str().unwrap().to_string(),
            shop,
        }
    }

    fn schedule(&self) -> String {
        format!("{}/schedule/{}", self.shop.root(), self.room)
    }

    fn item(&self, id: &str) -> String {
        format!("{}/item/{id}", self.schedule())
    }

    fn list(&self, start: &str, end: &str) -> String {
        format!("{}/list?start={start}&end={end}", self.schedule())
    }

    fn token(&self) -> &str {
        &self.shop.p.token
    }

    /// Mondays 10:00-11:00 in Berlin from 16 March 2026 (clocks go forward on 29 March), the
    /// one on 23 March excepted.
    fn mondays(&self) -> Value {
        json!({
            "start": "2026-03-16T09:00:00Z", "end": "2026-03-16T10:00:00Z",
            "startTimezone": "Europe/Berlin", "endTimezone": "Europe/Berlin",
            "isAllDay": false, "type": "MEETING_ROOM", "attendees": 6,
            "bookingIdentifier": self.booking,
            "recurrenceRule": "FREQ=WEEKLY;BYDAY=MO",
            "recurrenceException": ["2026-03-23T09:00:00Z"]
        })
    }

    /// Occurrences as (id, start, end).
    async fn occurrences(
        &self,
        app: &TestApp,
        start: &str,
        end: &str,
    ) -> Vec<(String, String, String)> {
        let r = app.get(&self.list(start, end), self.token()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        r.json
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let s = |k: &str| o[k].as_str().unwrap().to_string();
                (s("id"), s("start"), s("end"))
            })
            .collect()
    }
}

fn occ(id: &str, start: &str, end: &str) -> (String, String, String) {
    (id.to_string(), start.to_string(), end.to_string())
}

/// A weekly series with one exception, listed across the change to summer time: the same
/// wall-clock time, so an hour earlier in UTC after 29 March; the exception left out.
async fn weekly_series_across_dst(app: TestApp) {
    let r = Room::new(&app).await;
    let created = app.post(&r.schedule(), r.token(), &r.mondays()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    assert_eq!(created.headers["etag"], "\"1\"");
    let item = &created.json;
    let id = item["id"].as_str().unwrap();
    for (field, value) in [
        ("ownerIdentifier", json!(r.room)),
        ("bookingIdentifier", json!(r.booking)),
        ("hotelIdentifier", json!(r.shop.property)),
        ("bookingOwnerIdentifier", json!(r.shop.property)),
        ("type", json!("MEETING_ROOM")),
        ("attendees", json!(6)),
        ("email", json!("ann.lee@example.com")),
        ("fullName", json!("Ann Lee")),
        ("venueName", json!("Boardroom")),
        ("recurrenceRule", json!("FREQ=WEEKLY;BYDAY=MO")),
        ("recurrenceException", json!(["2026-03-23T09:00:00Z"])),
        ("startTimezone", json!("Europe/Berlin")),
        ("isAllDay", json!(false)),
        ("version", json!(1)),
        ("sequence", json!(0)),
    ] {
        assert_eq!(item[field], value, "{field}");
    }
    assert!(
        item["title"]
            .as_str()
            .unwrap()
            .starts_with("MEETING_ROOM: WB-")
    );
    let found = r
        .occurrences(&app, "2026-03-16T00:00:00Z", "2026-04-07T00:00:00Z")
        .await;
    assert_eq!(
        found,
        [
            occ(id, "2026-03-16T09:00:00Z", "2026-03-16T10:00:00Z"),
            occ(id, "2026-03-30T08:00:00Z", "2026-03-30T09:00:00Z"),
            occ(id, "2026-04-06T08:00:00Z", "2026-04-06T09:00:00Z"),
        ]
    );
    // Half-open: an occurrence ending at the range's start, or starting at its end, is not in it.
    assert!(
        r.occurrences(&app, "2026-03-16T10:00:00Z", "2026-03-30T08:00:00Z")
            .await
            .is_empty()
    );
    // Bounds read at the property (Bangkok) when they carry no offset; a date `end` is its
    // whole day: 30 March 15:00 in Bangkok is 08:00 UTC.
    assert_eq!(
        r.occurrences(&app, "2026-03-30T15:00:00", "2026-03-30")
            .await,
        [occ(id, "2026-03-30T08:00:00Z", "2026-03-30T09:00:00Z")]
    );
    // The stored item reads back the same.
    let again = app
        .get(&r.list("2026-03-16", "2026-03-16"), r.token())
        .await;
    assert_eq!(again.json[0], *item);
}

/// Bad input is a 400 naming the field, and stores nothing.
async fn refusals_name_the_field_and_store_nothing(app: TestApp) {
    let r = Room::new(&app).await;
    let other = Shop::new(&app, 1).await;
    let theirs = book(&app, &other, day(1), day(2), ("Bo", "Ng", "bo@example.com")).await;
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "recurrenceRule",
            json!("FREQ=FORTNIGHTLY"),
            "/recurrenceRule",
        ),
        (
            "recurrenceRule",
            json!("FREQ=WEEKLY;BYDAY=XX"),
            "/recurrenceRule",
        ),
        (
            "recurrenceRule",
            json!("FREQ=WEEKLY;UNTIL=20260401"),
            "/recurrenceRule",
        ),
        ("recurrenceRule", json!("FREQ=MINUTELY"), "/recurrenceRule"),
        ("startTimezone", json!("Europe/Atlantis"), "/startTimezone"),
        ("endTimezone", json!("UTC+2"), "/endTimezone"),
        ("end", json!("2026-03-16T08:00:00Z"), "/end"),
        ("start", json!("2026-03-16T10:00:00"), "/start"),
        ("type", json!("SPA"), "/type"),
        (
            "bookingIdentifier",
            theirs["id"].clone(),
            "/bookingIdentifier",
        ),
        ("attendees", json!(0), "/attendees"),
        ("recurrenceId", json!(r.booking), "/recurrenceId"),
    ];
    for (field, value, pointer) in cases {
        let mut body = r.mondays();
        body[field] = value.clone();
        let answer = app.post(&r.schedule(), r.token(), &body).await;
        assert_eq!(
            answer.invalid_fields(),
            [pointer],
            "{field} = {value}: {}",
            answer.json
        );
    }
    let mut once = r.mondays();
    once.as_object_mut().unwrap().remove("recurrenceRule");
    let answer = app.post(&r.schedule(), r.token(), &once).await;
    assert_eq!(answer.invalid_fields(), ["/recurrenceException"]);
    assert!(
        r.occurrences(&app, "2026-01-01", "2026-12-31")
            .await
            .is_empty()
    );
    // The list's range: both bounds required and readable, end after start, not too many.
    for (query, field) in [
        ("start=2026-03-01", "end"),
        ("end=2026-03-01", "start"),
        ("start=soon&end=2026-03-01", "start"),
        ("start=2026-03-01&end=2026-02-01", "end"),
        ("start=2026-03-01&end=99999-01-01", "end"),
    ] {
        let answer = app
            .get(&format!("{}/list?{query}", r.schedule()), r.token())
            .await;
        assert_eq!(answer.invalid_fields(), [field], "{query}");
    }
    let mut daily = r.mondays();
    daily["recurrenceRule"] = json!("FREQ=DAILY");
    daily["recurrenceException"] = json!([]);
    let created = app.post(&r.schedule(), r.token(), &daily).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    // Daily from 16 March 2026: 1000 occurrences to 9 December 2028, one more the day after.
    assert_eq!(
        r.occurrences(&app, "2026-03-01", "2028-12-09").await.len(),
        1_000
    );
    let answer = app
        .get(&r.list("2026-03-01", "2028-12-10"), r.token())
        .await;
    assert_eq!(answer.invalid_fields(), ["end"]);
}

/// Update with and without a current version, then delete.
async fn update_and_delete(app: TestApp) {
    let r = Room::new(&app).await;
    let created = app.post(&r.schedule(), r.token(), &r.mondays()).await;
    let id = created.json["id"].as_str().unwrap().to_string();
    let change = json!({
        "start": "2026-03-16T13:00:00Z", "end": "2026-03-16T15:00:00Z",
        "startTimezone": "Europe/Berlin", "endTimezone": "Europe/Berlin",
        "isAllDay": false, "attendees": 12
    });
    let updated = if_match(&app, Method::PUT, &r.item(&id), r.token(), 1, &change).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.json);
    assert_eq!(updated.headers["etag"], "\"2\"");
    assert_eq!(updated.json["version"], 2);
    assert_eq!(updated.json["sequence"], 1);
    assert_eq!(updated.json["attendees"], 12);
    assert_eq!(updated.json["recurrenceRule"], "FREQ=WEEKLY;BYDAY=MO");
    // A stale version is refused and changes nothing.
    let mut later = change.clone();
    later["attendees"] = json!(3);
    let stale = if_match(&app, Method::PUT, &r.item(&id), r.token(), 1, &later).await;
    stale.problem(StatusCode::PRECONDITION_FAILED);
    let mut in_body = later.clone();
    in_body["version"] = json!(1);
    let stale = app.put(&r.item(&id), r.token(), &in_body).await;
    stale.problem(StatusCode::CONFLICT);
    let mut bad = later.clone();
    bad["endTimezone"] = json!("Nowhere/Special");
    let refused = app.put(&r.item(&id), r.token(), &bad).await;
    assert_eq!(refused.invalid_fields(), ["/endTimezone"]);
    assert_eq!(
        r.occurrences(&app, "2026-03-30", "2026-03-30").await,
        [occ(&id, "2026-03-30T12:00:00Z", "2026-03-30T14:00:00Z")]
    );
    let listed = app
        .get(&r.list("2026-03-16", "2026-03-16"), r.token())
        .await;
    assert_eq!(listed.json[0], updated.json);

    let removed = app.delete(&r.item(&id), r.token()).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.json);
    assert_eq!(removed.json, updated.json);
    assert!(
        r.occurrences(&app, "2026-03-01", "2026-12-31")
            .await
            .is_empty()
    );
    app.delete(&r.item(&id), r.token())
        .await
        .problem(StatusCode::NOT_FOUND);
    app.put(&r.item(&id), r.token(), &change)
        .await
        .problem(StatusCode::NOT_FOUND);
}

/// Another account's ids, an inventory that has no schedule (an add-on), and an item under
/// another inventory all answer 404; nothing of the owner's changes.
async fn strangers_and_other_inventories_are_404(app: TestApp) {
    let r = Room::new(&app).await;
    let created = app.post(&r.schedule(), r.token(), &r.mondays()).await;
    let id = created.json["id"].as_str().unwrap().to_string();
    let stranger = app.persona(&[]).await;
    let elsewhere = app.property(&stranger).await;
    let theirs = format!("{}/schedule/{}", crate::support::base(elsewhere), r.room);
    for (method, url) in [
        (Method::GET, r.list("2026-03-01", "2026-04-30")),
        (Method::DELETE, r.item(&id)),
        (
            Method::GET,
            format!("{theirs}/list?start=2026-03-01&end=2026-04-30"),
        ),
        (Method::DELETE, format!("{theirs}/item/{id}")),
    ] {
        let answer = app
            .call(method.clone(), &url, Some(&stranger.token), None)
            .await;
        answer.problem(StatusCode::NOT_FOUND);
    }
    let answer = app.post(&theirs, &stranger.token, &r.mondays()).await;
    answer.problem(StatusCode::NOT_FOUND);
    // The owner's own add-on has no schedule; the item is not the spa's.
    let root = r.shop.root();
    let add_on = create(
        &app,
        &format!("{root}/add-on"),
        r.token(),
        &fixtures::inventory("add-on", "Late checkout"),
    )
    .await;
    let spa = create(
        &app,
        &format!("{root}/facility/spa"),
        r.token(),
        &fixtures::inventory("spa", "Spa"),
    )
    .await;
    app.get(
        &format!("{root}/schedule/{add_on}/list?start=2026-03-01&end=2026-04-30"),
        r.token(),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.delete(&format!("{root}/schedule/{spa}/item/{id}"), r.token())
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&format!("{root}/schedule/not-a-uuid/item/{id}"), r.token())
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        r.occurrences(&app, "2026-03-16", "2026-03-16").await.len(),
        1
    );
}

/// A meeting room with schedule items cannot be deleted; an item changing one occurrence of a
/// series goes with the series; all-day items cover whole local days.
async fn series_children_all_day_and_inventory_delete(app: TestApp) {
    let r = Room::new(&app).await;
    let series = app.post(&r.schedule(), r.token(), &r.mondays()).await;
    let series_id = series.json["id"].as_str().unwrap().to_string();
    // The 23 March occurrence, moved to the Tuesday, all day.
    let mut moved = r.mondays();
    let body = moved.as_object_mut().unwrap();
    body.remove("recurrenceRule");
    body.remove("recurrenceException");
    body.insert("recurrenceId".into(), json!(series_id));
    body.insert("isAllDay".into(), json!(true));
    body.insert("start".into(), json!("2026-03-24T00:00:00+01:00"));
    body.insert("end".into(), json!("2026-03-24T00:00:00+01:00"));
    let child = app.post(&r.schedule(), r.token(), &moved).await;
    assert_eq!(child.status, StatusCode::CREATED, "{}", child.json);
    let child_id = child.json["id"].as_str().unwrap().to_string();
    assert_eq!(child.json["recurrenceId"], series_id.as_str());
    assert_eq!(
        r.occurrences(&app, "2026-03-23T00:00:00Z", "2026-03-26T00:00:00Z")
            .await,
        [occ(
            &child_id,
            "2026-03-23T23:00:00Z",
            "2026-03-24T23:00:00Z"
        )]
    );
    // A series' changed occurrence cannot itself be a parent.
    let mut grandchild = moved.clone();
    grandchild["recurrenceId"] = json!(child_id);
    let answer = app.post(&r.schedule(), r.token(), &grandchild).await;
    assert_eq!(answer.invalid_fields(), ["/recurrenceId"]);

    let room = format!("{}/facility/meeting-room/{}", r.shop.root(), r.room);
    let refused = app.delete(&room, r.token()).await;
    let problem = refused.problem(StatusCode::CONFLICT);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("2 schedule item"),
        "{problem}"
    );
    // Deleting the series deletes its changed occurrence with it.
    let removed = app.delete(&r.item(&series_id), r.token()).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.json);
    app.delete(&r.item(&child_id), r.token())
        .await
        .problem(StatusCode::NOT_FOUND);
    let deleted = app.delete(&room, r.token()).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.json);
    app.get(&r.list("2026-03-01", "2026-04-30"), r.token())
        .await
        .problem(StatusCode::NOT_FOUND);
}

on_both_engines!(
    weekly_series_across_dst,
    refusals_name_the_field_and_store_nothing,
    update_and_delete,
    strangers_and_other_inventories_are_404,
    series_children_all_day_and_inventory_delete,
);
