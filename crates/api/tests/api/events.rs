//! A property's events (`wink_store::events`): numbered 1, 2, 3... in commit order without gaps,
//! however many writers record them at once, and read back in that order.

use serde_json::json;
use wink_store::events::{BOOKING_CREATED, NewEvent};

use crate::on_both_engines;
use crate::support::TestApp;

on_both_engines!(concurrent_writers_number_events_without_gaps);

async fn concurrent_writers_number_events_without_gaps(app: TestApp) {
    let owner = app.persona(&["content.write"]).await;
    let property = app.property(&owner).await;
    let other = app.property(&owner).await;
    let writers = (0..16).map(|i| {
        let store = app.store.clone();
        let at = app.state.now();
        tokio::spawn(async move {
            let on = if i % 4 == 0 { other } else { property };
            let event = NewEvent::new(on, BOOKING_CREATED, json!({ "writer": i }), at);
            store.record_event(&event).await.unwrap()
        })
    });
    let mut numbers: Vec<i64> = Vec::new();
    for writer in writers {
        numbers.push(writer.await.unwrap());
    }
    numbers.sort();
    let mut expected: Vec<i64> = (1..=12).chain(1..=4).collect();
    expected.sort();
    assert_eq!(numbers, expected, "each writer is answered its own number");
    // Twelve on the property, four on the other: each counts from 1 on its own.
    let events = app.store.events_after(property, 0, 100).await.unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=12).collect::<Vec<_>>());
    let others = app.store.events_after(other, 0, 100).await.unwrap();
    assert_eq!(
        others.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert!(
        others
            .iter()
            .all(|e| e.payload.0["writer"].as_i64().unwrap() % 4 == 0)
    );

    // Paging after a number answers what follows it, in order.
    let tail = app.store.events_after(property, 10, 100).await.unwrap();
    assert_eq!(tail.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![11, 12]);
    let first = app.store.events_after(property, 0, 3).await.unwrap();
    assert_eq!(first.len(), 3);
    assert_eq!(first[0].event_type, BOOKING_CREATED);

    // Retention deletes by age and never reuses a number.
    let deleted = app
        .store
        .delete_events_before(app.state.now() + chrono::Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(deleted, 16);
    let event = NewEvent::new(property, BOOKING_CREATED, json!({}), app.state.now());
    assert_eq!(app.store.record_event(&event).await.unwrap(), 13);
}
