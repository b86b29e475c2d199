//! Helpers shared by the rollout tests and the benchmark.
#![allow(dead_code)]

use kubeplay_api::k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use kubeplay_api::k8s_openapi::api::core::v1::Pod;
use kubeplay_api::{decode, Kind, Object};
use kubeplay_core::controllers::{is_active, is_available};
use kubeplay_core::{key, World};

/// A Deployment manifest; `strategy` is the YAML of `spec.strategy` in flow style.
pub fn deployment(
    name: &str,
    replicas: i32,
    image: &str,
    strategy: &str,
    min_ready: i32,
) -> Object {
    let text = format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app: {name}}}
spec:
  replicas: {replicas}
  minReadySeconds: {min_ready}
  strategy: {strategy}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: app
        image: {image}
"
    );
    let docs = decode::parse_documents(&text).expect("valid yaml");
    decode::decode(&docs[0]).expect("valid deployment")
}

pub fn get_deploy(w: &World, name: &str) -> Deployment {
    w.get::<Deployment>(&key("default", name))
        .expect("deployment")
        .clone()
}

/// Set the image of the first container (as `kubectl set image` does).
pub fn set_image(w: &mut World, name: &str, image: &str) {
    let mut d = get_deploy(w, name);
    d.spec.template.spec.as_mut().unwrap().containers[0].image = Some(image.into());
    w.update(d.into(), false).expect("update");
}

/// Run one instant of work; false when nothing is left to do.
pub fn step(w: &mut World) -> bool {
    match w.next_due() {
        Some(t) => {
            w.run_until(t);
            true
        }
        None => false,
    }
}

pub fn complete(w: &World, name: &str) -> bool {
    // Borrowed, not cloned: the benchmark should measure the world, not this check.
    let d = w
        .get::<Deployment>(&key("default", name))
        .expect("deployment");
    let none = Default::default();
    let st = d.status.as_ref().unwrap_or(&none);
    kubeplay_core::controllers::deployment::deployment_complete(d, st)
        && st.replicas == d.spec.replicas
        // One deployment per world here: every pod is its pod, so no pod is terminating
        // when the count is right (an O(1) check, so the benchmark measures the world).
        && w.store.pods.len() as i32 == d.spec.replicas.unwrap_or(1)
}

/// Step until the deployment is complete and no pod is terminating, checking `f` after each
/// instant. Panics after `limit` instants.
pub fn run_to_completion(w: &mut World, name: &str, limit: usize, mut f: impl FnMut(&World)) {
    for _ in 0..limit {
        if complete(w, name) {
            return;
        }
        if !step(w) {
            break;
        }
        f(w);
    }
    assert!(
        complete(w, name),
        "rollout of {name} did not complete: {:?}",
        get_deploy(w, name).status
    );
}

/// Pods per RS image: (image, active, available) for one deployment's pods.
pub struct Census {
    pub active: i32,
    pub available: i32,
    pub by_image: std::collections::BTreeMap<String, i32>,
    /// Pods that exist at all, terminating or not, by image.
    pub existing_by_image: std::collections::BTreeMap<String, i32>,
}

pub fn census(w: &World, min_ready: i32) -> Census {
    let now = w.now();
    let mut c = Census {
        active: 0,
        available: 0,
        by_image: Default::default(),
        existing_by_image: Default::default(),
    };
    for p in w.store.pods.values() {
        let img = image_of(p);
        *c.existing_by_image.entry(img.clone()).or_default() += 1;
        if is_active(p) {
            c.active += 1;
            *c.by_image.entry(img).or_default() += 1;
            if is_available(p, min_ready, now) {
                c.available += 1;
            }
        }
    }
    c
}

pub fn image_of(p: &Pod) -> String {
    p.spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default()
}

pub fn replicasets(w: &World) -> Vec<ReplicaSet> {
    w.store.replicasets.values().cloned().collect()
}

pub fn create(w: &mut World, o: Object) {
    assert!(matches!(o.kind(), Kind::Deployment));
    w.create(o).expect("create");
}
