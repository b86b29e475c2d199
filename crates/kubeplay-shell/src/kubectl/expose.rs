//! `kubectl expose (deployment|rs|pod|service) NAME [--port] [--target-port] [--type]
//! [--name] [--protocol] [--selector] [--dry-run=client -o yaml]` (KUBECTL:pkg/cmd/expose and
//! the `service/v2` generator): a Service selecting what the object selects.

use super::flags::{Flag, DRY_RUN, OUTPUT};
use super::help::Doc;
use super::output::{check_format, object_value, print_result};
use super::{dry_run_of, fail, namespace_of, usage_error, Cx, DryRun, Exec};
use kubeplay_api::k8s_openapi::api::core::v1::PodTemplateSpec;
use kubeplay_api::{registry, Kind, Object};
use kubeplay_sort::Collect as _;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

static FLAGS: &[Flag] = &[
    Flag::str("port", None),
    Flag::str("target-port", None),
    Flag::str("type", None),
    Flag::str("name", None),
    Flag::str("protocol", None),
    Flag::str("selector", None),
    Flag::str("labels", Some('l')),
    Flag::str("external-ip", None),
    Flag::str("cluster-ip", None),
    Flag::str("session-affinity", None),
    Flag::str("load-balancer-ip", None),
    Flag::str("override-type", None).shows("'merge'"),
    Flag::str("overrides", None),
    Flag::bool("record", None),
    Flag::str("field-manager", None),
    Flag::bool("save-config", None),
    Flag::str("template", None),
    Flag::bool("show-managed-fields", None),
    Flag::bool("allow-missing-template-keys", None),
    Flag::slice("filename", Some('f')),
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    DRY_RUN,
    OUTPUT,
];

const CMD: &str = "kubectl expose";

static DOC: Doc = Doc {
    path: CMD,
    long: "Create a Service in front of the pods of a deployment, replica set or service (the same selector), or of a pod (its labels), on the port given, or on the port the pods declare.",
    examples: "# A ClusterIP service: port 80 to the pods' port 8080
kubectl expose deployment web --port=80 --target-port=8080

# A NodePort service for a pod, with a name of its own
kubectl expose pod webapp --port=8080 --type=NodePort --name=webapp-service",
    usage: "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
    subcommands: &[],
};

fn template_ports(t: &PodTemplateSpec) -> Vec<(i32, String)> {
    t.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .flat_map(|c| c.ports.iter().flatten())
        .map(|p| {
            (
                p.container_port,
                p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            )
        })
        .collect()
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match super::parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let ns = namespace_of(cx, &a);
    let (kind_name, name) = match a.positional.as_slice() {
        [tn] if tn.contains('/') => {
            let (t, n) = tn.split_once('/').expect("has /");
            (t.to_string(), n.to_string())
        }
        [t, n] => (t.clone(), n.clone()),
        _ => {
            return fail(cx.out, super::resource::MISSING_RESOURCE);
        }
    };
    let Some(info) = registry::lookup(&kind_name) else {
        return fail(
            cx.out,
            format!("the server doesn't have a resource type \"{kind_name}\""),
        );
    };
    let obj = match cx.world.get_object(info.kind, &ns, &name) {
        Ok(o) => o,
        Err(e) => {
            super::print_api_error(cx.out, &e, None);
            return Exec::Done(1);
        }
    };
    // What the object selects, its labels, and the ports it declares.
    let (selector, labels, ports): (
        BTreeMap<String, String>,
        BTreeMap<String, String>,
        Vec<(i32, String)>,
    ) = match &obj {
        Object::Deployment(d) => (
            d.spec.selector.match_labels.clone().unwrap_or_default(),
            d.metadata.labels.clone().unwrap_or_default(),
            template_ports(&d.spec.template),
        ),
        Object::ReplicaSet(r) => (
            r.spec.selector.match_labels.clone().unwrap_or_default(),
            r.metadata.labels.clone().unwrap_or_default(),
            r.spec
                .template
                .as_ref()
                .map(template_ports)
                .unwrap_or_default(),
        ),
        Object::Pod(p) => {
            let l = p.metadata.labels.clone().unwrap_or_default();
            let ports = p
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .map(|cp| {
                    (
                        cp.container_port,
                        cp.protocol.clone().unwrap_or_else(|| "TCP".into()),
                    )
                })
                .collect();
            (l.clone(), l, ports)
        }
        Object::Service(s) => (
            s.spec
                .as_ref()
                .and_then(|s| s.selector.clone())
                .unwrap_or_default(),
            s.metadata.labels.clone().unwrap_or_default(),
            s.spec
                .iter()
                .flat_map(|s| s.ports.iter().flatten())
                .map(|p| (p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
                .collect(),
        ),
        _ => return fail(cx.out, format!("cannot expose a {}", info.kind.as_str())),
    };
    let selector = match a.str("selector") {
        Some(s) => s
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect_map(),
        None => selector,
    };
    if selector.is_empty() {
        return usage_error(cx.out, CMD, format!("couldn't retrieve selectors via --selector flag or introspection: the {} has no selector", info.singular));
    }
    let protocol = a.str("protocol").unwrap_or("TCP").to_string();
    let target = a.str("target-port").map(str::to_string);
    let mut svc_ports = Vec::new();
    match a.str("port") {
        Some(p) => {
            for (i, part) in p.split(',').enumerate() {
                let Ok(n) = part.parse::<i64>() else {
                    return fail(
                        cx.out,
                        format!("strconv.Atoi: parsing \"{part}\": invalid syntax"),
                    );
                };
                let mut m = Map::new();
                if p.contains(',') {
                    m.insert("name".into(), json!(format!("port-{}", i + 1)));
                }
                m.insert("port".into(), json!(n));
                m.insert("protocol".into(), json!(protocol));
                m.insert("targetPort".into(), target_value(target.as_deref(), n));
                svc_ports.push(Value::Object(m));
            }
        }
        None if !ports.is_empty() => {
            let many = ports.len() > 1;
            for (i, (n, proto)) in ports.iter().enumerate() {
                let mut m = Map::new();
                if many {
                    m.insert("name".into(), json!(format!("port-{}", i + 1)));
                }
                m.insert("port".into(), json!(n));
                m.insert(
                    "protocol".into(),
                    json!(if a.has("protocol") {
                        protocol.clone()
                    } else {
                        proto.clone()
                    }),
                );
                m.insert(
                    "targetPort".into(),
                    target_value(target.as_deref(), *n as i64),
                );
                svc_ports.push(Value::Object(m));
            }
        }
        None => {
            return usage_error(
                cx.out,
                CMD,
                "couldn't find port via --port flag or introspection",
            )
        }
    }
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let format = a.str("output").unwrap_or("").to_string();
    if let Err(e) = check_format(&format) {
        return fail(cx.out, e);
    }
    let svc_name = a.str("name").map(str::to_string).unwrap_or(name.clone());
    // Extended, not collected: collecting a map sorts it (a copy of the sort).
    let mut labels_map = Map::new();
    match a.str("labels") {
        Some(l) => labels_map.extend(
            l.split(',')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), json!(v))),
        ),
        None => labels_map.extend(labels.into_iter().map(|(k, v)| (k, json!(v)))),
    };
    let labels = labels_map;
    let mut meta = Map::new();
    if !labels.is_empty() {
        meta.insert("labels".into(), Value::Object(labels));
    }
    meta.insert("name".into(), json!(svc_name));
    if a.namespace().is_some() {
        meta.insert("namespace".into(), json!(ns));
    }
    let mut spec = Map::new();
    spec.insert("ports".into(), Value::Array(svc_ports));
    spec.insert("selector".into(), json!(selector));
    if let Some(t) = a.str("type") {
        let t = match t.to_ascii_lowercase().as_str() {
            "clusterip" => "ClusterIP",
            "nodeport" => "NodePort",
            "loadbalancer" => "LoadBalancer",
            "externalname" => "ExternalName",
            _ => return fail(cx.out, format!("invalid service type: {t}")),
        };
        spec.insert("type".into(), json!(t));
    }
    if let Some(ip) = a.str("cluster-ip") {
        spec.insert("clusterIP".into(), json!(ip));
    }
    let svc = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": Value::Object(meta),
        "spec": Value::Object(spec),
        "status": {"loadBalancer": {}},
    });
    let sinfo = registry::info(Kind::Service);
    if dry == DryRun::Client {
        print_result(cx, sinfo, &svc, "exposed (dry run)", &format);
        return Exec::Done(0);
    }
    let mut o = match kubeplay_api::decode::decode(&svc) {
        Ok(o) => o,
        Err(e) => return fail(cx.out, e.message()),
    };
    o.meta_mut().namespace = Some(ns);
    super::record(&a, "expose", &mut o);
    match cx.world.create_checked(o, dry == DryRun::Server) {
        Ok(created) => {
            print_result(
                cx,
                sinfo,
                &object_value(&created),
                &format!("exposed{}", dry.suffix()),
                &format,
            );
            Exec::Done(0)
        }
        Err(e) => {
            super::print_api_error(cx.out, &e, None);
            Exec::Done(1)
        }
    }
}

fn target_value(target: Option<&str>, port: i64) -> Value {
    match target {
        Some(t) => match t.parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => json!(t),
        },
        None => json!(port),
    }
}
