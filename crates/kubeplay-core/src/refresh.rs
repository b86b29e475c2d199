//! Bringing a kept copy of an object up to date with the stored one by copying only what
//! differs. A write usually changes a resourceVersion and a few status fields; cloning the
//! whole object again (every label, annotation, condition and container status a fresh heap
//! string) costs far more than comparing. Each function names every field it handles, so a
//! field added to a type is a compile error here, not a stale copy.

use kubeplay_api::k8s_openapi::api::core::v1::{ContainerStatus, PodCondition, PodStatus};
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Make `copy` equal to `live`, copying only when they differ.
pub fn refresh<T: PartialEq + Clone>(copy: &mut T, live: &T) {
    if copy != live {
        copy.clone_from(live);
    }
}

/// `refresh` for an optional list, element by element (with `each`) while the lengths agree.
pub fn refresh_each<T: PartialEq + Clone>(
    copy: &mut Option<Vec<T>>,
    live: &Option<Vec<T>>,
    each: impl Fn(&mut T, &T),
) {
    match (copy, live) {
        (Some(c), Some(l)) if c.len() == l.len() => {
            for (c, l) in c.iter_mut().zip(l) {
                if c != l {
                    each(c, l);
                }
            }
        }
        (c, l) => refresh(c, l),
    }
}

/// `refresh` for a pod condition, field by field (a status flips, its strings are reused).
fn refresh_condition(copy: &mut PodCondition, live: &PodCondition) {
    let PodCondition {
        last_probe_time,
        last_transition_time,
        message,
        observed_generation,
        reason,
        status,
        type_,
    } = live;
    refresh(&mut copy.last_probe_time, last_probe_time);
    refresh(&mut copy.last_transition_time, last_transition_time);
    refresh(&mut copy.message, message);
    refresh(&mut copy.observed_generation, observed_generation);
    refresh(&mut copy.reason, reason);
    refresh(&mut copy.status, status);
    refresh(&mut copy.type_, type_);
}

/// `refresh` for a container status, field by field (its state changes; its names and
/// image mostly do not).
fn refresh_container_status(copy: &mut ContainerStatus, live: &ContainerStatus) {
    let ContainerStatus {
        allocated_resources,
        allocated_resources_status,
        container_id,
        image,
        image_id,
        last_state,
        name,
        ready,
        resources,
        restart_count,
        started,
        state,
        stop_signal,
        user,
        volume_mounts,
    } = live;
    refresh(&mut copy.allocated_resources, allocated_resources);
    refresh(
        &mut copy.allocated_resources_status,
        allocated_resources_status,
    );
    refresh(&mut copy.container_id, container_id);
    refresh(&mut copy.image, image);
    refresh(&mut copy.image_id, image_id);
    refresh(&mut copy.last_state, last_state);
    refresh(&mut copy.name, name);
    copy.ready = *ready;
    refresh(&mut copy.resources, resources);
    copy.restart_count = *restart_count;
    copy.started = *started;
    refresh(&mut copy.state, state);
    refresh(&mut copy.stop_signal, stop_signal);
    refresh(&mut copy.user, user);
    refresh(&mut copy.volume_mounts, volume_mounts);
}

/// `refresh` for metadata, field by field.
pub fn refresh_meta(copy: &mut ObjectMeta, live: &ObjectMeta) {
    let ObjectMeta {
        annotations,
        creation_timestamp,
        deletion_grace_period_seconds,
        deletion_timestamp,
        finalizers,
        generate_name,
        generation,
        labels,
        managed_fields,
        name,
        namespace,
        owner_references,
        resource_version,
        self_link,
        uid,
    } = live;
    refresh(&mut copy.annotations, annotations);
    refresh(&mut copy.creation_timestamp, creation_timestamp);
    refresh(
        &mut copy.deletion_grace_period_seconds,
        deletion_grace_period_seconds,
    );
    refresh(&mut copy.deletion_timestamp, deletion_timestamp);
    refresh(&mut copy.finalizers, finalizers);
    refresh(&mut copy.generate_name, generate_name);
    refresh(&mut copy.generation, generation);
    refresh(&mut copy.labels, labels);
    refresh(&mut copy.managed_fields, managed_fields);
    refresh(&mut copy.name, name);
    refresh(&mut copy.namespace, namespace);
    refresh(&mut copy.owner_references, owner_references);
    refresh(&mut copy.resource_version, resource_version);
    refresh(&mut copy.self_link, self_link);
    refresh(&mut copy.uid, uid);
}

/// `refresh` for a pod's status, field by field, conditions and container statuses one by
/// one.
pub fn refresh_pod_status(copy: &mut Option<PodStatus>, live: &Option<PodStatus>) {
    let (Some(c), Some(l)) = (copy.as_mut(), live.as_ref()) else {
        refresh(copy, live);
        return;
    };
    let PodStatus {
        allocated_resources,
        conditions,
        container_statuses,
        ephemeral_container_statuses,
        extended_resource_claim_status,
        host_ip,
        host_ips,
        init_container_statuses,
        message,
        node_allocatable_resource_claim_statuses,
        nominated_node_name,
        observed_generation,
        phase,
        pod_ip,
        pod_ips,
        qos_class,
        reason,
        resize,
        resource_claim_statuses,
        resources,
        start_time,
        volume_health,
    } = l;
    refresh(&mut c.allocated_resources, allocated_resources);
    refresh_each(&mut c.conditions, conditions, refresh_condition);
    refresh_each(
        &mut c.container_statuses,
        container_statuses,
        refresh_container_status,
    );
    refresh_each(
        &mut c.ephemeral_container_statuses,
        ephemeral_container_statuses,
        refresh_container_status,
    );
    refresh(
        &mut c.extended_resource_claim_status,
        extended_resource_claim_status,
    );
    refresh(&mut c.host_ip, host_ip);
    refresh(&mut c.host_ips, host_ips);
    refresh_each(
        &mut c.init_container_statuses,
        init_container_statuses,
        refresh_container_status,
    );
    refresh(&mut c.message, message);
    refresh(
        &mut c.node_allocatable_resource_claim_statuses,
        node_allocatable_resource_claim_statuses,
    );
    refresh(&mut c.nominated_node_name, nominated_node_name);
    refresh(&mut c.observed_generation, observed_generation);
    refresh(&mut c.phase, phase);
    refresh(&mut c.pod_ip, pod_ip);
    refresh(&mut c.pod_ips, pod_ips);
    refresh(&mut c.qos_class, qos_class);
    refresh(&mut c.reason, reason);
    refresh(&mut c.resize, resize);
    refresh(&mut c.resource_claim_statuses, resource_claim_statuses);
    refresh(&mut c.resources, resources);
    refresh(&mut c.start_time, start_time);
    refresh(&mut c.volume_health, volume_health);
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_api::k8s_openapi::api::core::v1::{ContainerStatus, PodCondition};

    #[test]
    fn a_refreshed_status_equals_the_live_one() {
        let cond = |t: &str, s: &str| PodCondition {
            type_: t.into(),
            status: s.into(),
            ..Default::default()
        };
        let mut copy = Some(PodStatus {
            phase: Some("Pending".into()),
            conditions: Some(vec![cond("Ready", "False"), cond("Initialized", "True")]),
            ..Default::default()
        });
        let live = Some(PodStatus {
            phase: Some("Running".into()),
            pod_ip: Some("10.244.1.2".into()),
            conditions: Some(vec![cond("Ready", "True"), cond("Initialized", "True")]),
            container_statuses: Some(vec![ContainerStatus {
                name: "app".into(),
                ready: true,
                ..Default::default()
            }]),
            ..Default::default()
        });
        refresh_pod_status(&mut copy, &live);
        assert_eq!(copy, live);
        // Same lengths, other values in each element.
        let mut changed = live.clone();
        if let Some(st) = changed.as_mut() {
            st.conditions = Some(vec![cond("Ready", "False"), cond("PodScheduled", "True")]);
            st.container_statuses = Some(vec![ContainerStatus {
                name: "app".into(),
                image: "nginx:1.16.1".into(),
                restart_count: 2,
                ..Default::default()
            }]);
        }
        refresh_pod_status(&mut copy, &changed);
        assert_eq!(copy, changed);
        // Lists of other lengths, and a status that went away.
        let shorter = Some(PodStatus {
            conditions: Some(vec![cond("Ready", "True")]),
            ..Default::default()
        });
        refresh_pod_status(&mut copy, &shorter);
        assert_eq!(copy, shorter);
        refresh_pod_status(&mut copy, &None);
        assert_eq!(copy, None);
    }

    #[test]
    fn refreshed_metadata_equals_the_live_one() {
        let mut copy = ObjectMeta {
            name: Some("web-1".into()),
            resource_version: Some("7".into()),
            labels: Some([("app".to_string(), "web".to_string())].into()),
            ..Default::default()
        };
        let live = ObjectMeta {
            name: Some("web-1".into()),
            resource_version: Some("9".into()),
            deletion_grace_period_seconds: Some(30),
            ..Default::default()
        };
        refresh_meta(&mut copy, &live);
        assert_eq!(copy, live);
    }
}
