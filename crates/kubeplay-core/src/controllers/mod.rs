//! Controllers, each a `sync(world, key)` that reads the store, changes what it must, and
//! returns. They are driven by the world's queue.

pub mod deployment;
pub mod endpoints;
pub mod replicaset;

use crate::time::{millis_of, Millis};
use kubeplay_api::k8s_openapi::api::core::v1::Pod;
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

/// A controller reference, as controllers set it on what they create.
pub fn controller_ref(kind: &str, api_version: &str, owner: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: owner.name.clone().unwrap_or_default(),
        uid: owner.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

pub fn is_terminal(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// `FilterActivePods`: not terminal and not being deleted.
pub fn is_active(p: &Pod) -> bool {
    !is_terminal(p) && p.metadata.deletion_timestamp.is_none()
}

/// When the pod's Ready condition last became True, if it is True.
pub fn ready_since(p: &Pod) -> Option<Millis> {
    let c = p
        .status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")?;
    (c.status == "True").then(|| c.last_transition_time.as_ref().map(millis_of).unwrap_or(0))
}

/// `IsPodAvailable`: ready for at least minReadySeconds.
pub fn is_available(p: &Pod, min_ready_seconds: i32, now: Millis) -> bool {
    match ready_since(p) {
        None => false,
        Some(_) if min_ready_seconds <= 0 => true,
        Some(t) => t + (min_ready_seconds as Millis) * 1000 <= now,
    }
}
