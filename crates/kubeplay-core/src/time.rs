//! Virtual time: milliseconds since the simulation began, mapped onto a fixed calendar date so
//! that timestamps are the same in every run.

use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};
use kubeplay_api::k8s_openapi::jiff::Timestamp;

/// 2026-01-01T00:00:00Z: where every simulation's clock starts.
pub const EPOCH_SECONDS: i64 = 1_767_225_600;

/// Milliseconds of virtual time.
pub type Millis = u64;

pub fn timestamp(ms: Millis) -> Timestamp {
    // Virtual time would have to run for 8,000 years to leave a Timestamp's range; it would
    // stop at its end. (No `expect`: printing jiff's error would bring its messages, ~25 KB.)
    i64::try_from(ms)
        .ok()
        .and_then(|ms| ms.checked_add(EPOCH_SECONDS * 1000))
        .and_then(|ms| Timestamp::from_millisecond(ms).ok())
        .unwrap_or(Timestamp::MAX)
}

/// A `metav1.Time` (second precision when serialized).
pub fn k8s_time(ms: Millis) -> Time {
    Time(timestamp(ms))
}

pub fn k8s_micro_time(ms: Millis) -> MicroTime {
    MicroTime(timestamp(ms))
}

/// Back from a `metav1.Time` to virtual milliseconds (0 if before the epoch).
pub fn millis_of(t: &Time) -> Millis {
    let ms = t.0.as_millisecond() - EPOCH_SECONDS * 1000;
    ms.max(0) as Millis
}
