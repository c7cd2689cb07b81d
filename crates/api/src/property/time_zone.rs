//! A property's time zone, from where it stands on the map. Its calendar dates and cancellation
//! deadlines are in this zone, so it must be right: it comes from the IANA zone boundaries bundled
//! with tzf-rs, not from a longitude guess.

use std::sync::OnceLock;

use chrono_tz::Tz;
use tzf_rs::EmbeddedFinder;
use wink_contract::GeoJsonPoint;

use crate::error::ApiError;

fn finder() -> &'static EmbeddedFinder {
    static FINDER: OnceLock<EmbeddedFinder> = OnceLock::new();
    FINDER.get_or_init(EmbeddedFinder::new)
}

/// (longitude, latitude) of a GeoJSON point: `coordinates` is `[lng, lat]`, `x`/`y` the same.
pub fn lng_lat(point: &GeoJsonPoint) -> Option<(f64, f64)> {
    match (point.coordinates.as_slice(), point.x, point.y) {
        ([lng, lat, ..], _, _) => Some((*lng, *lat)),
        (_, Some(x), Some(y)) => Some((x, y)),
        _ => None,
    }
}

/// The IANA zone at `point`, or a problem naming `field`.
pub fn at(point: &GeoJsonPoint, field: &str) -> Result<Tz, ApiError> {
    let (lng, lat) = lng_lat(point).ok_or_else(|| ApiError::field(field, "give the property's position as coordinates [longitude, latitude] (or x and y): its time zone is taken from it"))?;
    if !(-180.0..=180.0).contains(&lng) || !(-90.0..=90.0).contains(&lat) {
        return Err(ApiError::field(
            field,
            "longitude must be within [-180, 180] and latitude within [-90, 90]",
        ));
    }
    let name = finder().get_tz_name(lng, lat);
    name.parse::<Tz>().map_err(|_| {
        ApiError::field(
            field,
            format!("no time zone is known at longitude {lng}, latitude {lat}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lng: f64, lat: f64) -> GeoJsonPoint {
        GeoJsonPoint {
            coordinates: vec![lng, lat],
            ..Default::default()
        }
    }

    #[test]
    fn zones_from_coordinates() {
        assert_eq!(
            at(&point(100.5018, 13.7563), "location").unwrap(),
            chrono_tz::Asia::Bangkok
        );
        assert_eq!(
            at(&point(13.405, 52.52), "location").unwrap(),
            chrono_tz::Europe::Berlin
        );
        let xy = GeoJsonPoint {
            x: Some(-73.9857),
            y: Some(40.7484),
            ..Default::default()
        };
        assert_eq!(at(&xy, "location").unwrap(), chrono_tz::America::New_York);
        assert!(at(&GeoJsonPoint::default(), "location").is_err());
        assert!(at(&point(200.0, 0.0), "location").is_err());
    }
}
