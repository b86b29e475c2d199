//! What `logs` and `exec` share: finding the pod (`POD`, `pod/x`, `deploy/x`...) and the
//! container (`-c`, or the default one with kubectl's notice).

use super::Cx;
use kubeplay_api::k8s_openapi::api::core::v1::Pod;
use kubeplay_api::{registry, Kind, Object};

/// `podcmd.AllContainerNames`: app containers, then init containers marked `(init)`.
pub fn all_container_names(p: &Pod) -> String {
    let spec = p.spec.clone().unwrap_or_default();
    let mut v: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    v.extend(
        spec.init_containers
            .iter()
            .flatten()
            .map(|c| format!("{} (init)", c.name)),
    );
    v.join(", ")
}

/// `FindOrDefaultContainerByName`: the named container, or the first one (with a notice on
/// stderr when there was a choice). `Err` is the error line.
pub fn container_of(
    cx: &mut Cx<'_>,
    p: &Pod,
    name: Option<&str>,
    quiet: bool,
) -> Result<String, String> {
    let spec = p.spec.clone().unwrap_or_default();
    let pod = p.metadata.name.clone().unwrap_or_default();
    if let Some(n) = name.filter(|n| !n.is_empty()) {
        let found = spec.containers.iter().any(|c| c.name == n)
            || spec.init_containers.iter().flatten().any(|c| c.name == n);
        if !found {
            return Err(format!(
                "error: container {n} is not valid for pod {pod} out of: {}\n",
                all_container_names(p)
            ));
        }
        return Ok(n.to_string());
    }
    let Some(first) = spec.containers.first() else {
        return Err(format!(
            "error: pod {}/{pod} does not have any containers\n",
            p.metadata.namespace.as_deref().unwrap_or("default")
        ));
    };
    if !quiet
        && (spec.containers.len() > 1
            || spec.init_containers.as_ref().is_some_and(|v| !v.is_empty()))
    {
        cx.out.err(format!(
            "Defaulted container \"{}\" out of: {}\n",
            first.name,
            all_container_names(p)
        ));
    }
    Ok(first.name.clone())
}

/// The pod a `POD` or `TYPE/NAME` argument stands for. For a controller, the first of its
/// pods (`Found N pods, using pod/x` when there are several).
pub fn resolve_pod(cx: &mut Cx<'_>, ns: &str, arg: &str) -> Result<Pod, String> {
    let (kind, name) = match arg.split_once('/') {
        Some((t, n)) => match registry::lookup(t) {
            Some(info) => (info.kind, n),
            None => {
                return Err(format!(
                    "error: the server doesn't have a resource type \"{t}\"\n"
                ))
            }
        },
        None => (Kind::Pod, arg),
    };
    let obj = cx
        .world
        .get_object(kind, ns, name)
        .map_err(|e| format!("Error from server ({}): {}\n", e.reason.as_str(), e.message))?;
    let selector = match &obj {
        Object::Pod(p) => return Ok((**p).clone()),
        Object::Deployment(d) => d.spec.selector.match_labels.clone().unwrap_or_default(),
        Object::ReplicaSet(r) => r.spec.selector.match_labels.clone().unwrap_or_default(),
        Object::Service(s) => s
            .spec
            .as_ref()
            .and_then(|s| s.selector.clone())
            .unwrap_or_default(),
        _ => {
            return Err(format!(
                "error: cannot get the logs from {}\n",
                obj.to_value()
                    .get("kind")
                    .and_then(|k| k.as_str())
                    .map(|k| format!("{k}"))
                    .unwrap_or_default()
            ))
        }
    };
    let mut pods: Vec<Pod> = cx
        .world
        .list_objects(Kind::Pod, Some(ns))
        .into_iter()
        .filter_map(|o| match o {
            Object::Pod(p) => Some(*p),
            _ => None,
        })
        .filter(|p| {
            let l = p.metadata.labels.clone().unwrap_or_default();
            !selector.is_empty() && selector.iter().all(|(k, v)| l.get(k) == Some(v))
        })
        .collect();
    if pods.is_empty() {
        return Err(format!("error: timed out waiting for the condition\n"));
    }
    // Prefer pods that are running and ready, then the older ones (kubectl's ActivePods order
    // reversed: the "best" pod first).
    kubeplay_sort::sort_by_key(&mut pods, |p| {
        let st = p.status.clone().unwrap_or_default();
        let running = st.phase.as_deref() == Some("Running");
        let ready = kubeplay_core::controllers::ready_since(p).is_some();
        (
            !running,
            !ready,
            p.metadata.creation_timestamp.clone().map(|t| t.0),
            p.metadata.name.clone(),
        )
    });
    if pods.len() > 1 {
        cx.out.err(format!(
            "Found {} pods, using pod/{}\n",
            pods.len(),
            pods[0].metadata.name.as_deref().unwrap_or("")
        ));
    }
    Ok(pods.swap_remove(0))
}
