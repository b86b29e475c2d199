//! Defaulting, as the API server applies it on create and update (`SetDefaults_*` in
//! pkg/apis/{apps,core}/v1/defaults.go). What `kubectl get -o yaml` shows after a create
//! depends on this being exact: a Deployment's pod template gets `imagePullPolicy`,
//! `terminationMessagePath`, `dnsPolicy`... but not the pod-only fields (`enableServiceLinks`,
//! tolerations), which only pods get.

use crate::Object;
use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentStrategy, ReplicaSet, RollingUpdateDeployment,
};
use k8s_openapi::api::core::v1::{
    ClientIPConfig, Container, ContainerPort, HTTPGetAction, Namespace, Pod, PodSecurityContext,
    PodSpec, PodTemplateSpec, Probe, ResourceRequirements, Secret, Service, ServicePort,
    SessionAffinityConfig, Toleration,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// Fill in the defaults the API server would.
pub fn apply(obj: &mut Object) {
    // Empty labels or annotations are as good as none: Go's `omitempty` drops them when the
    // object is written back (a patch or manifest may send `annotations: {}`).
    let m = obj.meta_mut();
    for map in [&mut m.labels, &mut m.annotations] {
        if map.as_ref().is_some_and(|m| m.is_empty()) {
            *map = None;
        }
    }
    match obj {
        Object::Deployment(d) => deployment(d),
        Object::ReplicaSet(r) => replicaset(r),
        Object::Pod(p) => pod(p),
        Object::Service(s) => service(s),
        Object::Secret(s) => secret(s),
        Object::Namespace(n) => namespace(n),
        _ => {}
    }
}

/// `SetDefaults_Deployment`.
pub fn deployment(d: &mut Deployment) {
    let spec = &mut d.spec;
    spec.replicas.get_or_insert(1);
    let strategy = spec
        .strategy
        .get_or_insert_with(DeploymentStrategy::default);
    let ty = strategy
        .type_
        .get_or_insert_with(|| "RollingUpdate".into())
        .clone();
    if ty == "RollingUpdate" {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        ru.max_unavailable
            .get_or_insert_with(|| IntOrString::String("25%".into()));
        ru.max_surge
            .get_or_insert_with(|| IntOrString::String("25%".into()));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    template(&mut spec.template);
}

/// `SetDefaults_ReplicaSet`.
pub fn replicaset(r: &mut ReplicaSet) {
    r.spec.replicas.get_or_insert(1);
    if let Some(t) = r.spec.template.as_mut() {
        template(t);
    }
}

/// A pod template: the pod spec defaults, nothing pod-only.
pub fn template(t: &mut PodTemplateSpec) {
    if let Some(s) = t.spec.as_mut() {
        pod_spec(s);
    }
}

/// `SetDefaults_PodSpec` and the container defaults.
pub fn pod_spec(s: &mut PodSpec) {
    // `serviceAccount` is the deprecated alias of `serviceAccountName`: the v1 conversion
    // reads it when the name is unset and always writes the name back into it.
    if s.service_account_name.as_deref().unwrap_or("").is_empty() {
        s.service_account_name = s.service_account.clone().filter(|a| !a.is_empty());
    }
    s.service_account = s.service_account_name.clone();
    s.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    s.restart_policy.get_or_insert_with(|| "Always".into());
    s.scheduler_name
        .get_or_insert_with(|| "default-scheduler".into());
    s.security_context
        .get_or_insert_with(PodSecurityContext::default);
    s.termination_grace_period_seconds.get_or_insert(30);
    for c in s.init_containers.iter_mut().flatten() {
        container(c);
    }
    for c in s.containers.iter_mut() {
        container(c);
    }
}

/// `SetDefaults_Container`: the pull policy follows the tag (`:latest` or none → Always).
pub fn container(c: &mut Container) {
    if c.image_pull_policy.is_none() {
        let image = c.image.as_deref().unwrap_or("");
        c.image_pull_policy = Some(default_pull_policy(image).into());
    }
    c.termination_message_path
        .get_or_insert_with(|| "/dev/termination-log".into());
    c.termination_message_policy
        .get_or_insert_with(|| "File".into());
    c.resources
        .get_or_insert_with(ResourceRequirements::default);
    for p in c.ports.iter_mut().flatten() {
        port(p);
    }
    for p in [
        &mut c.liveness_probe,
        &mut c.readiness_probe,
        &mut c.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        probe(p);
    }
    if let Some(l) = c.lifecycle.as_mut() {
        for h in [&mut l.post_start, &mut l.pre_stop].into_iter().flatten() {
            if let Some(g) = h.http_get.as_mut() {
                http_get(g);
            }
        }
    }
}

/// `SetDefaults_Probe` (a zero counts as unset), and its action's defaults.
fn probe(p: &mut Probe) {
    for (field, default) in [
        (&mut p.timeout_seconds, 1),
        (&mut p.period_seconds, 10),
        (&mut p.success_threshold, 1),
        (&mut p.failure_threshold, 3),
    ] {
        if field.unwrap_or(0) == 0 {
            *field = Some(default);
        }
    }
    if let Some(g) = p.http_get.as_mut() {
        http_get(g);
    }
    if let Some(g) = p.grpc.as_mut() {
        g.service.get_or_insert_with(String::new);
    }
}

/// `SetDefaults_HTTPGetAction`.
fn http_get(g: &mut HTTPGetAction) {
    if g.path.as_deref().unwrap_or_default().is_empty() {
        g.path = Some("/".into());
    }
    if g.scheme.as_deref().unwrap_or_default().is_empty() {
        g.scheme = Some("HTTP".into());
    }
}

fn port(p: &mut ContainerPort) {
    p.protocol.get_or_insert_with(|| "TCP".into());
}

/// `Always` for `:latest` or an untagged image, `IfNotPresent` otherwise (a digest counts as
/// a tag).
pub fn default_pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    // The tag is after the last ':' that follows the last '/' (a registry port is not a tag).
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        None => "Always",
        Some((_, "latest")) => "Always",
        Some(_) => "IfNotPresent",
    }
}

/// `SetDefaults_Pod` plus what admission adds to every pod (service account, priority,
/// the not-ready/unreachable tolerations of DefaultTolerationSeconds).
pub fn pod(p: &mut Pod) {
    let Some(s) = p.spec.as_mut() else { return };
    pod_spec(s);
    // A container that limits a resource but does not request it requests its limit.
    for c in s
        .containers
        .iter_mut()
        .chain(s.init_containers.iter_mut().flatten())
    {
        let Some(r) = c.resources.as_mut() else {
            continue;
        };
        let Some(limits) = r.limits.as_ref() else {
            continue;
        };
        let requests = r.requests.get_or_insert_with(Default::default);
        for (k, v) in limits {
            requests.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    s.enable_service_links.get_or_insert(true);
    s.preemption_policy
        .get_or_insert_with(|| "PreemptLowerPriority".into());
    s.priority.get_or_insert(0);
    // A pod without a service account runs as its namespace's `default` (admission).
    let account = s
        .service_account_name
        .get_or_insert_with(|| "default".into());
    s.service_account = Some(account.clone());
    let tolerations = s.tolerations.get_or_insert_with(Vec::new);
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let has = tolerations.iter().any(|t| {
            t.key.as_deref() == Some(key) && t.effect.as_deref().is_none_or(|e| e == "NoExecute")
        });
        if !has {
            tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
}

/// `SetDefaults_Service` and the port defaults.
pub fn service(s: &mut Service) {
    let Some(spec) = s.spec.as_mut() else { return };
    spec.type_.get_or_insert_with(|| "ClusterIP".into());
    spec.session_affinity.get_or_insert_with(|| "None".into());
    if spec.type_.as_deref() != Some("ExternalName") {
        spec.internal_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
    }
    if matches!(spec.type_.as_deref(), Some("NodePort" | "LoadBalancer")) {
        spec.external_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
    }
    if spec.type_.as_deref() == Some("LoadBalancer") {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
    // ClientIP affinity lasts three hours unless the Service says otherwise.
    let timeout = spec
        .session_affinity_config
        .as_ref()
        .and_then(|c| c.client_ip.as_ref())
        .and_then(|c| c.timeout_seconds);
    if spec.session_affinity.as_deref() == Some("ClientIP") && timeout.is_none() {
        spec.session_affinity_config = Some(SessionAffinityConfig {
            client_ip: Some(ClientIPConfig {
                timeout_seconds: Some(10800),
            }),
        });
    }
    for p in spec.ports.iter_mut().flatten() {
        service_port(p);
    }
}

fn service_port(p: &mut ServicePort) {
    p.protocol.get_or_insert_with(|| "TCP".into());
    if p.target_port.is_none() {
        p.target_port = Some(IntOrString::Int(p.port));
    }
}

/// The config helper's Secret defaults (type Opaque, stringData merged into data).
pub fn secret(s: &mut Secret) {
    crate::configdata::default_secret(s);
}

/// The namespace's own name label, as the API server sets it.
pub fn namespace(n: &mut Namespace) {
    let name = n.metadata.name.clone().unwrap_or_default();
    n.metadata
        .labels
        .get_or_insert_with(BTreeMap::new)
        .insert("kubernetes.io/metadata.name".into(), name);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_the_tag() {
        for (image, want) in [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.14.2", "IfNotPresent"),
            ("localhost:5000/app", "Always"),
            ("localhost:5000/app:v2", "IfNotPresent"),
            ("kodecloud/webapp-color:v2", "IfNotPresent"),
            ("nginx@sha256:abc", "IfNotPresent"),
        ] {
            assert_eq!(default_pull_policy(image), want, "{image}");
        }
    }

    #[test]
    fn deployment_defaults_match_get_o_yaml() {
        let doc = crate::decode::parse_documents(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.14.2\n        ports: [{containerPort: 80}]\n",
        )
        .unwrap();
        let mut o = crate::decode::decode(&doc[0]).unwrap();
        apply(&mut o);
        let v = o.to_value();
        let spec = &v["spec"];
        assert_eq!(spec["replicas"], 1);
        assert_eq!(spec["revisionHistoryLimit"], 10);
        assert_eq!(spec["progressDeadlineSeconds"], 600);
        assert_eq!(
            spec["strategy"],
            serde_json::json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
        );
        let ps = &spec["template"]["spec"];
        assert_eq!(ps["dnsPolicy"], "ClusterFirst");
        assert_eq!(ps["restartPolicy"], "Always");
        assert_eq!(ps["schedulerName"], "default-scheduler");
        assert_eq!(ps["securityContext"], serde_json::json!({}));
        assert_eq!(ps["terminationGracePeriodSeconds"], 30);
        assert!(ps.get("enableServiceLinks").is_none());
        let c = &ps["containers"][0];
        assert_eq!(c["imagePullPolicy"], "IfNotPresent");
        assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(c["terminationMessagePolicy"], "File");
        assert_eq!(c["resources"], serde_json::json!({}));
        assert_eq!(c["ports"][0]["protocol"], "TCP");
    }

    #[test]
    fn recreate_gets_no_rolling_update() {
        let mut d = Deployment::default();
        d.spec.strategy = Some(DeploymentStrategy {
            type_: Some("Recreate".into()),
            rolling_update: None,
        });
        deployment(&mut d);
        assert!(d.spec.strategy.unwrap().rolling_update.is_none());
    }
}
