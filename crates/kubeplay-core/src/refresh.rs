//! Bringing a kept copy of an object up to date with the stored one by copying only what
//! differs. A write usually changes a resourceVersion and a few status fields; cloning the
//! whole object again (every label, annotation, condition and container status a fresh heap
//! string) costs far more than comparing. Each function names every field it handles, so a
//! field added to a type is a compile error here, not a stale copy.

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

#[cfg(test)]
mod tests {
    use super::*;

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
