//! The endpoints controller: a Service's Endpoints list the ready pods its selector matches.

use crate::store::Key;
use crate::World;

pub(crate) fn sync(_w: &mut World, _k: &Key) {}

/// A pod changed: the Services of its namespace may need new endpoints.
pub(crate) fn pod_changed(w: &mut World, pod: &Key) {
    let services: Vec<Key> = w.store.keys(kubeplay_api::Kind::Service, Some(&pod.0));
    for s in services {
        w.enqueue_now(crate::Task::Endpoints(s));
    }
}
