//! Services: ClusterIP allocation and defaults (the API server's part), the endpoints
//! controller (a Service's Endpoints list the ready pods its selector matches), and the
//! Services every cluster starts with (`default/kubernetes`, `kube-system/kube-dns`).

use crate::store::{key, Key};
use crate::time::k8s_time;
use crate::World;
use kubeplay_api::k8s_openapi::api::core::v1::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ObjectReference, Pod, Service,
    ServicePort, ServiceSpec,
};
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_api::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay_sort::Collect as _;
use rand_core::RngCore;
use std::collections::BTreeMap;

/// The ClusterIP of `default/kubernetes`.
pub const KUBERNETES_IP: &str = "10.96.0.1";
/// The ClusterIP of `kube-system/kube-dns`.
pub const DNS_IP: &str = "10.96.0.10";

/// Fill in what the API server defaults on a Service and allocate its ClusterIP (and node
/// ports). Called on create.
pub fn prepare_service(w: &mut World, s: &mut Service) {
    let spec = s.spec.get_or_insert_with(ServiceSpec::default);
    let type_ = spec.type_.get_or_insert_with(|| "ClusterIP".into()).clone();
    spec.session_affinity.get_or_insert_with(|| "None".into());
    if type_ != "ExternalName" {
        spec.internal_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
    }
    for p in spec.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".into());
        if p.target_port.is_none() {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    if matches!(type_.as_str(), "NodePort" | "LoadBalancer") {
        spec.external_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
    }
    if type_ == "ExternalName" {
        return;
    }
    let want = spec.cluster_ip.clone();
    if want.as_deref() != Some("None") && want.as_deref().is_none_or(str::is_empty) {
        let used: std::collections::BTreeSet<String> = w
            .store
            .services
            .values()
            .filter_map(|s| s.spec.as_ref()?.cluster_ip.clone())
            .collect_set();
        // 10.96.0.0/12, skipping the network address and the first (kubernetes) address.
        let ip = loop {
            let n = 2 + w.rng().next_u32() % ((1 << 20) - 3);
            let ip = format!("10.{}.{}.{}", 96 + (n >> 16), (n >> 8) & 0xff, n & 0xff);
            if !used.contains(&ip) {
                break ip;
            }
        };
        let spec = s.spec.as_mut().expect("set above");
        spec.cluster_ip = Some(ip.clone());
        spec.cluster_ips = Some(vec![ip]);
    } else if spec.cluster_ips.is_none() {
        spec.cluster_ips = want.map(|ip| vec![ip]);
    }
    let spec = s.spec.as_mut().expect("set above");
    spec.ip_families.get_or_insert_with(|| vec!["IPv4".into()]);
    spec.ip_family_policy
        .get_or_insert_with(|| "SingleStack".into());
    if matches!(type_.as_str(), "NodePort" | "LoadBalancer") {
        let used: std::collections::BTreeSet<i32> = w
            .store
            .services
            .values()
            .flat_map(|s| s.spec.iter().flat_map(|sp| sp.ports.iter().flatten()))
            .filter_map(|p| p.node_port)
            .collect_set();
        let n_ports = s
            .spec
            .as_ref()
            .and_then(|sp| sp.ports.as_ref())
            .map_or(0, Vec::len);
        for i in 0..n_ports {
            let has = s
                .spec
                .as_ref()
                .and_then(|sp| sp.ports.as_ref())
                .is_some_and(|ps| ps[i].node_port.is_some());
            if has {
                continue;
            }
            let np = loop {
                let n = 30000 + (w.rng().next_u32() % 2768) as i32;
                if !used.contains(&n) {
                    break n;
                }
            };
            if let Some(ps) = s.spec.as_mut().and_then(|sp| sp.ports.as_mut()) {
                ps[i].node_port = Some(np);
            }
        }
    }
}

fn fixed_uid(name: &str) -> String {
    let h = crate::names::fnv32a(name.as_bytes());
    format!(
        "{h:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        h >> 16,
        h & 0xfff,
        (h >> 4) & 0xfff,
        (h as u64) * 0x1_0001
    )
}

/// The Services and Endpoints a fresh kubeadm cluster has. Made without drawing from the
/// world's RNG, so that adding them changes no other names.
pub fn bootstrap(w: &mut World) {
    let svc = |name: &str,
               ns: &str,
               ip: &str,
               labels: &[(&str, &str)],
               ports: Vec<ServicePort>,
               selector: Option<BTreeMap<String, String>>| Service {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some(ns.into()),
            uid: Some(fixed_uid(&format!("{ns}/{name}"))),
            creation_timestamp: Some(k8s_time(0)),
            labels: Some(
                labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect_map(),
            ),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            cluster_ip: Some(ip.into()),
            cluster_ips: Some(vec![ip.into()]),
            ip_families: Some(vec!["IPv4".into()]),
            ip_family_policy: Some("SingleStack".into()),
            internal_traffic_policy: Some("Cluster".into()),
            session_affinity: Some("None".into()),
            type_: Some("ClusterIP".into()),
            ports: Some(ports),
            selector,
            ..Default::default()
        }),
        status: Some(Default::default()),
    };
    let port = |name: &str, proto: &str, port: i32, target: i32| ServicePort {
        name: Some(name.into()),
        protocol: Some(proto.into()),
        port,
        target_port: Some(IntOrString::Int(target)),
        ..Default::default()
    };
    let kubernetes = svc(
        "kubernetes",
        "default",
        KUBERNETES_IP,
        &[("component", "apiserver"), ("provider", "kubernetes")],
        vec![port("https", "TCP", 443, 6443)],
        None,
    );
    let dns = svc(
        "kube-dns",
        "kube-system",
        DNS_IP,
        &[
            ("k8s-app", "kube-dns"),
            ("kubernetes.io/cluster-service", "true"),
            ("kubernetes.io/name", "CoreDNS"),
        ],
        vec![
            port("dns", "UDP", 53, 53),
            port("dns-tcp", "TCP", 53, 53),
            port("metrics", "TCP", 9153, 9153),
        ],
        Some(kubeplay_sort::map([(
            "k8s-app".to_string(),
            "kube-dns".to_string(),
        )])),
    );
    let ep = Endpoints {
        metadata: ObjectMeta {
            name: Some("kubernetes".into()),
            namespace: Some("default".into()),
            uid: Some(fixed_uid("default/kubernetes/ep")),
            creation_timestamp: Some(k8s_time(0)),
            labels: Some(kubeplay_sort::map([(
                "endpointslice.kubernetes.io/skip-mirror".to_string(),
                "true".to_string(),
            )])),
            ..Default::default()
        },
        subsets: Some(vec![EndpointSubset {
            addresses: Some(vec![EndpointAddress {
                ip: "192.168.121.10".into(),
                ..Default::default()
            }]),
            ports: Some(vec![EndpointPort {
                name: Some("https".into()),
                port: 6443,
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }]),
    };
    for mut s in [kubernetes, dns] {
        s.metadata.resource_version = Some(w.store.next_resource_version());
        w.store.put(s);
    }
    let mut ep = ep;
    ep.metadata.resource_version = Some(w.store.next_resource_version());
    w.store.put(ep);
}

fn matches(selector: &BTreeMap<String, String>, pod: &Pod) -> bool {
    let empty = BTreeMap::new();
    let labels = pod.metadata.labels.as_ref().unwrap_or(&empty);
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn resolve_target(tp: &IntOrString, pod: &Pod) -> Option<i32> {
    match tp {
        IntOrString::Int(n) => Some(*n),
        IntOrString::String(name) => pod
            .spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .flat_map(|c| c.ports.iter().flatten())
            .find(|p| p.name.as_deref() == Some(name))
            .map(|p| p.container_port),
    }
}

pub(crate) fn sync(w: &mut World, k: &Key) {
    let Some(svc) = w.get::<Service>(k).cloned() else {
        if w.get::<Endpoints>(k).is_some() && !(k.0 == "default" && k.1 == "kubernetes") {
            w.remove::<Endpoints>(k);
        }
        return;
    };
    let Some(selector) = svc
        .spec
        .as_ref()
        .and_then(|s| s.selector.clone())
        .filter(|s| !s.is_empty())
    else {
        return;
    };
    let ports = svc
        .spec
        .as_ref()
        .and_then(|s| s.ports.clone())
        .unwrap_or_default();
    // (ports) -> (ready, not ready) addresses.
    let mut subsets: BTreeMap<
        Vec<(Option<String>, i32, String)>,
        (Vec<EndpointAddress>, Vec<EndpointAddress>),
    > = BTreeMap::new();
    for pod in w.store.list::<Pod>(&k.0) {
        if !matches(&selector, pod)
            || crate::controllers::is_terminal(pod)
            || pod.metadata.deletion_timestamp.is_some()
        {
            continue;
        }
        let Some(ip) = pod.status.as_ref().and_then(|s| s.pod_ip.clone()) else {
            continue;
        };
        let ready = crate::controllers::ready_since(pod).is_some();
        let eps: Vec<(Option<String>, i32, String)> = ports
            .iter()
            .filter_map(|p| {
                let tp = p.target_port.clone().unwrap_or(IntOrString::Int(p.port));
                Some((
                    p.name.clone(),
                    resolve_target(&tp, pod)?,
                    p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                ))
            })
            .collect();
        let addr = EndpointAddress {
            ip,
            node_name: pod.spec.as_ref().and_then(|s| s.node_name.clone()),
            target_ref: Some(ObjectReference {
                kind: Some("Pod".into()),
                name: pod.metadata.name.clone(),
                namespace: pod.metadata.namespace.clone(),
                uid: pod.metadata.uid.clone(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let e = subsets.entry(eps).or_default();
        if ready {
            e.0.push(addr);
        } else {
            e.1.push(addr);
        }
    }
    let subsets: Vec<EndpointSubset> = subsets
        .into_iter()
        .map(|(ports, (mut ready, mut not_ready))| {
            kubeplay_sort::sort_by(&mut ready, |a, b| a.ip.cmp(&b.ip));
            kubeplay_sort::sort_by(&mut not_ready, |a, b| a.ip.cmp(&b.ip));
            EndpointSubset {
                addresses: (!ready.is_empty()).then_some(ready),
                not_ready_addresses: (!not_ready.is_empty()).then_some(not_ready),
                ports: Some(
                    ports
                        .into_iter()
                        .map(|(name, port, protocol)| EndpointPort {
                            name,
                            port,
                            protocol: Some(protocol),
                            ..Default::default()
                        })
                        .collect(),
                ),
            }
        })
        .collect();
    let subsets = (!subsets.is_empty()).then_some(subsets);
    if w.get::<Endpoints>(k).is_some() {
        w.mutate::<Endpoints>(k, |e| {
            if e.subsets == subsets {
                return false;
            }
            e.subsets = subsets;
            true
        });
    } else {
        let ep = Endpoints {
            metadata: ObjectMeta {
                name: Some(k.1.to_string()),
                namespace: Some(k.0.to_string()),
                labels: svc.metadata.labels.clone(),
                ..Default::default()
            },
            subsets,
        };
        w.create_internal(ep);
    }
}

/// A pod changed: the Services of its namespace may need new endpoints.
pub(crate) fn pod_changed(w: &mut World, pod: &Key) {
    let is_kubernetes = |s: &Key| s.0 == "default" && s.1 == "kubernetes";
    let in_ns = || {
        w.store
            .services
            .keys_from(key(&pod.0, "")..)
            .take_while(|s| s.0 == pod.0)
    };
    // Most changes are in namespaces with no Service of their own: nothing to copy then.
    // Whether a namespace has one is known again until a Service changes (every write of
    // one moves `services_gen`), and a rollout writes thousands of pods in one namespace.
    let gen = w.kubelet.services_gen;
    let known = match &w.own_services {
        Some((g, ns, has)) if *g == gen && *ns == pod.0 => Some(*has),
        _ => None,
    };
    let has = known.unwrap_or_else(|| in_ns().any(|s| !is_kubernetes(s)));
    if known.is_none() {
        w.own_services = Some((gen, pod.0.clone(), has));
    }
    if !has {
        return;
    }
    let services: Vec<Key> = in_ns().filter(|s| !is_kubernetes(s)).cloned().collect();
    for s in services {
        w.enqueue_now(crate::Task::Endpoints(s));
    }
}

/// The Service with this name in a namespace, for DNS.
pub fn service_key(ns: &str, name: &str) -> Key {
    key(ns, name)
}
