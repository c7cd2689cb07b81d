//! Media (issue 11): files uploaded as multipart, typed and measured from their bytes, kept in
//! object storage, served with caching and ranges, and deleted when nothing shows them.

use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use uuid::Uuid;
use wink_api::media::storage::{Backend, MediaConfig, MediaStorage};
use wink_domain::media::samples;

use crate::fixtures;
use crate::on_both_engines;
use crate::support::{TestApp, TestResponse, base};

/// A real MP4 (H.264, 160×90, one second), made with ffmpeg's test source.
const CLIP: &[u8] = include_bytes!("../fixtures/clip-160x90.mp4");
const ELF: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0\x40\x10\x40\0\0\0\0\0\x40\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x40\0\x38\0";

fn multipart(field: &str, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = format!("test-{}", Uuid::new_v4().simple());
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (boundary, body)
}

async fn upload(
    app: &TestApp,
    path: &str,
    token: &str,
    field: &str,
    files: &[(&str, &[u8])],
) -> TestResponse {
    let (boundary, body) = multipart(field, files);
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// The path of a served file, from its public URL.
fn served_path(url: &str) -> String {
    let at = url.find("/media/files/").expect("one of our URLs");
    url[at..].to_string()
}

async fn fetch(app: &TestApp, url: &str, headers: &[(header::HeaderName, &str)]) -> TestResponse {
    let mut request = Request::builder().uri(served_path(url));
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

/// The objects in the test's media folder.
fn objects(app: &TestApp) -> usize {
    std::fs::read_dir(app.media_dir.0.join("files"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// A real PNG and a real MP4 in one upload: their sizes are read from the bytes, and each is
/// served back as stored, with its type, an ETag (304 when it matches), immutable caching and
/// byte ranges.
async fn png_and_mp4_are_measured_and_served(app: TestApp) {
    let owner = app.persona(&[]).await;
    let property = app.property(&owner).await;
    let png = samples::solid_png(300, 200, [1, 2, 3]);
    let r = upload(
        &app,
        &format!("{}/property/multimedia/upload", base(property)),
        &owner.token,
        "files",
        &[("beach.png", &png), ("clip.mp4", CLIP)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let media = r.json["multimedias"].as_array().unwrap().clone();
    assert_eq!(media.len(), 2, "{media:?}");
    let picture = &media[0];
    assert_eq!(
        (&picture["type"], &picture["width"], &picture["height"]),
        (&json!("IMAGE"), &json!(300), &json!(200))
    );
    let video = &media[1];
    assert_eq!(
        (&video["type"], &video["width"], &video["height"]),
        (&json!("VIDEO"), &json!(160), &json!(90))
    );
    assert_eq!(objects(&app), 2);

    // The gallery is what is stored: the property's answer shows it too.
    let shown = app
        .get(
            &base(property).replace("/extranet", "/extranet/property"),
            &owner.token,
        )
        .await;
    assert_eq!(shown.json["multimedias"], json!(media));

    for (m, bytes, content_type) in [(picture, &png[..], "image/png"), (video, CLIP, "video/mp4")] {
        let url = m["identifier"].as_str().unwrap();
        let r = fetch(&app, url, &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.bytes, bytes, "{url} serves the file as uploaded");
        assert_eq!(r.content_type(), content_type);
        assert!(
            r.headers[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        let etag = r.headers[header::ETAG].to_str().unwrap().to_string();
        let again = fetch(&app, url, &[(header::IF_NONE_MATCH, &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert!(again.bytes.is_empty());
        let part = fetch(&app, url, &[(header::RANGE, "bytes=4-11")]).await;
        assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
        assert_eq!(part.bytes, &bytes[4..12]);
        assert_eq!(
            part.headers[header::CONTENT_RANGE].to_str().unwrap(),
            format!("bytes 4-11/{}", bytes.len())
        );
        let past = fetch(&app, url, &[(header::RANGE, "bytes=999999-")]).await;
        assert_eq!(past.status, StatusCode::RANGE_NOT_SATISFIABLE);
    }
    // A random id serves nothing.
    let r = fetch(&app, &format!("/media/files/{}.png", Uuid::new_v4()), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// An ELF binary named `.jpg` is refused naming the file, and nothing of it is kept; beside a
/// good file it is that file's refusal in a 207.
async fn a_binary_named_jpg_is_refused(app: TestApp) {
    let owner = app.persona(&[]).await;
    let property = app.property(&owner).await;
    let path = format!("{}/property/multimedia/upload", base(property));
    let r = upload(&app, &path, &owner.token, "files", &[("photo.jpg", ELF)]).await;
    assert_eq!(r.invalid_fields(), ["/files/0"]);
    assert!(
        r.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("photo.jpg")
    );
    assert_eq!(objects(&app), 0);

    let png = samples::solid_png(10, 10, [9, 9, 9]);
    let r = upload(
        &app,
        &path,
        &owner.token,
        "files",
        &[("ok.png", &png), ("photo.jpg", ELF)],
    )
    .await;
    assert_eq!(r.status, StatusCode::MULTI_STATUS, "{}", r.json);
    assert_eq!(r.json["multimedias"].as_array().unwrap().len(), 1);
    let refused = r.headers["wink-refused-file"].to_str().unwrap();
    assert!(refused.starts_with("/files/1: \"photo.jpg\""), "{refused}");
    assert_eq!(objects(&app), 1);

    // A JSON body is not an upload.
    let r = app.post(&path, &owner.token, &json!({})).await;
    r.problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

/// Files over the per-file limit fail the request with 413, and nothing of it is kept.
async fn an_oversize_file_is_413(app: TestApp) {
    let mut config = app.state.config.as_ref().clone();
    config.media.max_file_bytes = 4096;
    let app = app.with_config(config).await;
    let owner = app.persona(&[]).await;
    let property = app.property(&owner).await;
    let small = samples::solid_png(8, 8, [0, 0, 0]);
    let big = samples::solid_png(64, 64, [0, 0, 0]);
    assert!(big.len() > 4096);
    let r = upload(
        &app,
        &format!("{}/property/multimedia/upload", base(property)),
        &owner.token,
        "files",
        &[("small.png", &small), ("big.png", &big)],
    )
    .await;
    r.problem(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(objects(&app), 0, "the small file written first is gone too");
    let shown = app
        .get(
            &base(property).replace("/extranet", "/extranet/property"),
            &owner.token,
        )
        .await;
    assert!(shown.json.get("multimedias").is_none(), "{}", shown.json);
}

/// Another account's files are neither reachable through its media operations nor attachable
/// by URL to another property; the URLs name nothing of the property.
async fn two_properties_files_never_cross(app: TestApp) {
    let owner = app.persona(&[]).await;
    let property = app.property(&owner).await;
    let stranger = app.persona(&[]).await;
    let theirs = app.property(&stranger).await;
    let png = samples::solid_png(20, 10, [5, 5, 5]);
    let r = upload(
        &app,
        &format!("{}/property/multimedia/upload", base(property)),
        &owner.token,
        "files",
        &[("a.png", &png)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let medium = r.json["multimedias"][0].clone();
    let url = medium["identifier"].as_str().unwrap().to_string();
    assert!(
        !url.contains(&property.to_string()),
        "{url} names the property"
    );
    let id = medium["multimediaIdentifier"].as_str().unwrap();

    // The stranger names the owner's file on their own property: no such file.
    let mut borrowed = medium.clone();
    borrowed["multimediaIdentifier"] = json!(Uuid::new_v4());
    let r = app
        .post(
            &format!("{}/property/multimedia", base(theirs)),
            &stranger.token,
            &borrowed,
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/identifier"]);
    // ... nor the owner's medium, on their property or the owner's.
    for path in [
        format!("{}/property/multimedia/{id}", base(theirs)),
        format!("{}/property/multimedia/{id}", base(property)),
    ] {
        let r = app.delete(&path, &stranger.token).await;
        r.problem(StatusCode::NOT_FOUND);
    }
    // The owner's file is still there and served.
    assert_eq!(fetch(&app, &url, &[]).await.status, StatusCode::OK);
    // The owner may show it again, e.g. in a room type (a reference by URL).
    let mut room = fixtures::room_type("Shown", 2);
    room["multimedias"] = json!([medium]);
    let r = app
        .post(
            &format!("{}/facility/room-type", base(property)),
            &owner.token,
            &room,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
}

/// An item keeps its last medium: removing it is refused naming `multimedias`. A file leaves
/// storage when nothing shows it any more, and stays while a copy of the item shows it.
async fn the_last_picture_stays_and_files_go_with_their_last_reference(app: TestApp) {
    let owner = app.persona(&[]).await;
    let property = app.property(&owner).await;
    let root = base(property);
    let r = app
        .post(
            &format!("{root}/facility/spa"),
            &owner.token,
            &fixtures::inventory("spa", "Spa"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let spa = r.json["id"].as_str().unwrap().to_string();
    let first = r.json["multimedias"][0]["multimediaIdentifier"]
        .as_str()
        .unwrap()
        .to_string();
    let png = samples::solid_png(40, 30, [7, 7, 7]);
    let r = upload(
        &app,
        &format!("{root}/facility/spa/{spa}/multimedia"),
        &owner.token,
        "files",
        &[("spa.png", &png)],
    )
    .await;
    assert_eq!(r.status, StatusCode::MULTI_STATUS, "{}", r.json);
    let media = r.json["multimedias"].as_array().unwrap().clone();
    assert_eq!(media.len(), 2);
    assert_eq!(
        (&media[1]["width"], &media[1]["height"]),
        (&json!(40), &json!(30))
    );
    let uploaded = media[1]["multimediaIdentifier"]
        .as_str()
        .unwrap()
        .to_string();
    let url = media[1]["identifier"].as_str().unwrap().to_string();

    // A room type showing the same file (as a duplicated room type does).
    let mut room = fixtures::room_type("Copy", 1);
    room["multimedias"] = json!([media[1]]);
    let r = app
        .post(&format!("{root}/facility/room-type"), &owner.token, &room)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let room_id = r.json["id"].as_str().unwrap().to_string();
    let room_medium = r.json["multimedias"][0]["multimediaIdentifier"]
        .as_str()
        .unwrap()
        .to_string();

    let r = app
        .delete(
            &format!("{root}/facility/spa/{spa}/multimedia/{first}"),
            &owner.token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .delete(
            &format!("{root}/facility/spa/{spa}/multimedia/{uploaded}"),
            &owner.token,
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/multimedias"]);

    // Another picture, then the uploaded one can go: the room type still shows its file.
    let r = upload(
        &app,
        &format!("{root}/facility/spa/{spa}/multimedia"),
        &owner.token,
        "files",
        &[("second.png", &png)],
    )
    .await;
    assert_eq!(r.status, StatusCode::MULTI_STATUS, "{}", r.json);
    let r = app
        .delete(
            &format!("{root}/facility/spa/{spa}/multimedia/{uploaded}"),
            &owner.token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(fetch(&app, &url, &[]).await.status, StatusCode::OK);
    assert_eq!(objects(&app), 2);

    // The room type gets a picture of its own, then lets the shared one go: now it is deleted.
    let r = upload(
        &app,
        &format!("{root}/facility/room-type/{room_id}/multimedia"),
        &owner.token,
        "files",
        &[("room.png", &png)],
    )
    .await;
    assert_eq!(r.status, StatusCode::MULTI_STATUS, "{}", r.json);
    let r = app
        .delete(
            &format!("{root}/facility/room-type/{room_id}/multimedia/{room_medium}"),
            &owner.token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(fetch(&app, &url, &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        objects(&app),
        2,
        "the spa's second picture and the room's own"
    );
}

/// The gallery's lifecycle: order by `sort`, metadata updates, the list replaced, several
/// removed at once (207 when some were not there), the general manager's picture replaced.
async fn the_gallery_is_ordered_updated_and_replaced(app: TestApp) {
    let owner = app.persona(&[]).await;
    let property = app.property(&owner).await;
    let root = base(property);
    let png = samples::solid_png(30, 60, [3, 3, 3]);
    let r = upload(
        &app,
        &format!("{root}/property/multimedia/upload"),
        &owner.token,
        "files",
        &[("one.png", &png), ("two.png", &png)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let media: Vec<Value> = r.json["multimedias"].as_array().unwrap().clone();
    let (one, two) = (media[0].clone(), media[1].clone());
    let one_id = one["multimediaIdentifier"].as_str().unwrap();
    let two_id = two["multimediaIdentifier"].as_str().unwrap();

    // The second first, with a caption; its file's facts stay the file's.
    let mut changed = two.clone();
    changed["sort"] = json!(0);
    changed["width"] = json!(9999);
    changed["descriptions"] =
        json!([{ "name": "Two", "description": "The second.", "language": "en" }]);
    let r = app
        .put(
            &format!("{root}/property/multimedia/{two_id}"),
            &owner.token,
            &changed,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        r.json["multimedias"][0]["multimediaIdentifier"],
        json!(two_id)
    );
    assert_eq!(r.json["multimedias"][0]["width"], json!(30));
    assert_eq!(
        r.json["multimedias"][0]["descriptions"][0]["name"],
        json!("Two")
    );
    let first = app
        .get(&format!("{root}/property/multimedia/list"), &owner.token)
        .await;
    assert_eq!(first.json["multimediaIdentifier"], json!(two_id));

    // Several at once: one of them is not the property's.
    let r = app
        .delete(
            &format!(
                "{root}/property/multimedia/list?multimediaIdentifiers={one_id},{}",
                Uuid::new_v4()
            ),
            &owner.token,
        )
        .await;
    assert_eq!(r.status, StatusCode::MULTI_STATUS, "{}", r.json);
    assert_eq!(r.json["multimedias"].as_array().unwrap().len(), 1);
    assert_eq!(objects(&app), 1, "the removed medium's file is deleted");

    // The list replaced by a reference kept elsewhere: the last file goes.
    let elsewhere = json!([{ "multimediaIdentifier": Uuid::new_v4(), "identifier": "cdn/pool",
        "type": "IMAGE", "source": "CLOUDINARY", "sort": 1, "width": 1200, "height": 800 }]);
    let r = app
        .post(
            &format!("{root}/property/multimedia/list"),
            &owner.token,
            &elsewhere,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["multimedias"][0]["identifier"], json!("cdn/pool"));
    assert_eq!(objects(&app), 0);

    // The general manager's picture, then another one in its place.
    for colour in [[1, 1, 1], [2, 2, 2]] {
        let picture = samples::solid_png(50, 50, colour);
        let r = upload(
            &app,
            &format!("{root}/property/multimedia/general-manager/upload"),
            &owner.token,
            "file",
            &[("me.png", &picture)],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        assert_eq!(r.json["generalManager"]["image"]["width"], json!(50));
    }
    assert_eq!(objects(&app), 1, "the first picture was replaced");
}

/// A crash between storage and database leaves an object without a record, and a failed
/// release a record nothing refers to: the sweep deletes both, and nothing younger than its
/// grace period.
async fn the_sweep_deletes_what_nothing_refers_to(app: TestApp) {
    let owner = app.persona(&[]).await;
    let property = app.property(&owner).await;
    let png = samples::solid_png(10, 10, [4, 4, 4]);
    let r = upload(
        &app,
        &format!("{}/property/multimedia/upload", base(property)),
        &owner.token,
        "files",
        &[("kept.png", &png)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // An orphan object, and a record without references.
    let orphan = Uuid::new_v4();
    let mut w = app.state.media.writer(orphan).await.unwrap();
    w.write(&png).await.unwrap();
    w.finish().await.unwrap();
    let unreferenced = wink_store::media::MediaFile {
        id: Uuid::new_v4(),
        property_id: property,
        media_type: "png".into(),
        byte_size: png.len() as i64,
        width: 10,
        height: 10,
        original_name: "lost.png".into(),
        created_at: chrono::Utc::now() - chrono::Duration::days(1),
    };
    app.store
        .record_media_files(std::slice::from_ref(&unreferenced))
        .await
        .unwrap();
    assert_eq!(objects(&app), 2);

    let young = chrono::Utc::now() - chrono::Duration::hours(1);
    let swept = wink_api::media::sweep(&app.store, &app.state.media, young)
        .await
        .unwrap();
    assert_eq!(
        (swept.unreferenced, swept.orphans),
        (1, 0),
        "the orphan is too young"
    );
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    let swept = wink_api::media::sweep(&app.store, &app.state.media, later)
        .await
        .unwrap();
    assert_eq!((swept.unreferenced, swept.orphans), (0, 1));
    assert_eq!(objects(&app), 1, "the file the gallery shows stays");
}

/// A 20 MB upload streams: the process's resident memory grows by a few MB at most.
async fn a_large_upload_streams(app: TestApp) {
    let owner = app.persona(&[]).await;
    let property = app.property(&owner).await;
    const PAYLOAD: usize = 20 * 1024 * 1024;
    let head = samples::mp4(1280, 720, 0);
    // ftyp (28 bytes), an empty mdat (8), moov: the payload goes in the mdat.
    let (ftyp, moov) = (head[..28].to_vec(), head[36..].to_vec());
    let boundary = "large-upload";
    let mut start = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.mp4\"\r\n\r\n").into_bytes();
    start.extend_from_slice(&ftyp);
    start.extend_from_slice(&((PAYLOAD + 8) as u32).to_be_bytes());
    start.extend_from_slice(b"mdat");
    let mut end = moov;
    end.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let zeros = Bytes::from(vec![0u8; 64 * 1024]);
    let chunks = std::iter::once(Bytes::from(start))
        .chain(std::iter::repeat_n(zeros, PAYLOAD / (64 * 1024)))
        .chain(std::iter::once(Bytes::from(end)))
        .map(Ok::<_, std::io::Error>);
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("{}/property/multimedia/upload", base(property)))
        .header(header::AUTHORIZATION, format!("Bearer {}", owner.token))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .unwrap();
    let before = rss_kib();
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(before));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                peak.fetch_max(rss_kib(), std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        })
    };
    let r = app.send(request).await;
    sampler.abort();
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        (
            &r.json["multimedias"][0]["width"],
            &r.json["multimedias"][0]["height"]
        ),
        (&json!(1280), &json!(720))
    );
    let grew = peak
        .load(std::sync::atomic::Ordering::Relaxed)
        .saturating_sub(before);
    eprintln!(
        "a 20 MiB upload: resident memory grew by {} KiB at most",
        grew
    );
    assert!(
        grew < 10 * 1024,
        "resident memory grew by {grew} KiB for a 20 MiB upload"
    );
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

on_both_engines!(
    png_and_mp4_are_measured_and_served,
    a_binary_named_jpg_is_refused,
    an_oversize_file_is_413,
    two_properties_files_never_cross,
    the_last_picture_stays_and_files_go_with_their_last_reference,
    the_gallery_is_ordered_updated_and_replaced,
    the_sweep_deletes_what_nothing_refers_to,
    a_large_upload_streams,
);

/// The storage story every backend passes: a file written in pieces is listed and read back
/// whole and in part; deleted, it is gone; an aborted write leaves nothing.
async fn storage_story(storage: MediaStorage) {
    let id = Uuid::new_v4();
    let bytes: Vec<u8> = (0..3 * storage.part_bytes() + 17)
        .map(|i| (i % 251) as u8)
        .collect();
    let mut w = storage.writer(id).await.unwrap();
    for piece in bytes.chunks(100_000) {
        w.write(piece).await.unwrap();
    }
    w.finish().await.unwrap();
    let listed = storage.list().await.unwrap();
    assert!(
        listed
            .iter()
            .any(|o| o.id == id && o.size == bytes.len() as u64)
    );
    let read = read_all(&storage, id, None).await;
    assert!(read == bytes, "read back whole");
    let part = read_all(&storage, id, Some(10..20)).await;
    assert_eq!(part, &bytes[10..20]);
    storage.delete(id).await.unwrap();
    storage.delete(id).await.unwrap(); // already gone: fine
    assert!(storage.read(id, None).await.is_err());

    let aborted = Uuid::new_v4();
    let mut w = storage.writer(aborted).await.unwrap();
    w.write(&bytes).await.unwrap();
    w.abort().await;
    assert!(storage.read(aborted, None).await.is_err());
    assert!(
        !storage
            .list()
            .await
            .unwrap()
            .iter()
            .any(|o| o.id == aborted || o.id == id)
    );
}

async fn read_all(
    storage: &MediaStorage,
    id: Uuid,
    range: Option<std::ops::Range<u64>>,
) -> Vec<u8> {
    use futures_util::StreamExt;
    let mut stream = storage.read(id, range).await.unwrap();
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.unwrap());
    }
    out
}

#[tokio::test]
async fn storage_in_a_folder() {
    let dir = std::env::temp_dir().join(format!("wink-media-{}", Uuid::new_v4().simple()));
    let config = MediaConfig {
        directory: Some(dir.clone()),
        ..Default::default()
    };
    storage_story(MediaStorage::open(&config).unwrap()).await;
    let _ = std::fs::remove_dir_all(dir);
}

/// The same story on an S3-compatible server at WINK_TEST_S3_URL (CI starts moto's), in a new
/// bucket; skipped with a note when the variable is unset.
#[tokio::test]
async fn storage_in_an_s3_bucket() {
    let Ok(endpoint) = std::env::var("WINK_TEST_S3_URL") else {
        eprintln!("storage_in_an_s3_bucket: skipped, WINK_TEST_S3_URL is not set (see .ci/run)");
        return;
    };
    let bucket = format!("wink-test-{}", Uuid::new_v4().simple());
    // moto takes any credentials (object_store reads them from the environment) and creates a
    // bucket on an unsigned PUT.
    let created = reqwest::Client::new()
        .put(format!("{}/{bucket}", endpoint.trim_end_matches('/')))
        .send()
        .await
        .expect("the S3 server answers");
    assert!(
        created.status().is_success(),
        "creating the bucket: {}",
        created.status()
    );
    assert!(
        std::env::var_os("AWS_ACCESS_KEY_ID").is_some(),
        "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values for moto) with WINK_TEST_S3_URL"
    );
    let config = MediaConfig {
        backend: Backend::S3,
        endpoint: Some(endpoint),
        bucket: Some(bucket),
        region: Some("us-east-1".into()),
        ..Default::default()
    };
    storage_story(MediaStorage::open(&config).unwrap()).await;
}
