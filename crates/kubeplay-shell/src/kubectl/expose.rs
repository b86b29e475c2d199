//! `kubectl expose (deployment|rs|pod|service) NAME [--port] [--target-port] [--type]
//! [--name] [--protocol] [--selector] [--dry-run=client -o yaml]` (KUBECTL:pkg/cmd/expose and
//! the `service/v2` generator): a Service selecting what the object selects.

use super::flags::{Flag, DRY_RUN, OUTPUT};
use super::help::Doc;
use super::output::{check_format, object_value, print_result, separate};
use super::{dry_run_of, fail, namespace_of, resource, Cx, DryRun, Exec, VerbError};
use kubeplay_api::decode::Validation;
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kubeplay_api::{registry, Kind, Object};
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

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match super::parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let format = a.str("output").unwrap_or("").to_string();
    if let Err(e) = check_format(&format) {
        return fail(cx.out, e);
    }
    let ns = namespace_of(cx, &a);
    let objects = match objects(cx, &a, &ns) {
        Ok(o) => o,
        Err(e) => return e,
    };
    let flag = |name: &str| a.str(name).unwrap_or_default().to_string();
    let mut carried = Carried {
        selector: flag("selector"),
        labels: flag("labels"),
        port: flag("port"),
        ..Carried::default()
    };
    let sinfo = registry::info(Kind::Service);
    let mut errs = Vec::new();
    // One printer for every object: YAML separates them.
    let mut printed = 0;
    for obj in objects {
        let svc = obj.and_then(|o| service_for(&a, &mut carried, &o).map_err(VerbError::Msg));
        let mut svc = match svc {
            Ok(s) => s,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        if a.bool("record") {
            let cause = a.change_cause("expose");
            svc["metadata"]["annotations"] = json!({ super::CHANGE_CAUSE: cause });
        }
        if dry == DryRun::Client {
            if a.namespace().is_some() {
                svc["metadata"]["namespace"] = json!(ns);
            }
            separate(cx, &format, &mut printed);
            if format == "json" {
                // kubectl prints the Service it built: Go's struct order.
                cx.out.out(super::create::typed_json(&svc, Some("    ")));
            } else {
                print_result(cx, sinfo, &svc, "exposed (dry run)", &format);
            }
            continue;
        }
        let mut o = match kubeplay_api::decode::decode(&svc) {
            Ok(o) => o,
            Err(e) => {
                errs.push(VerbError::Msg(e.message()));
                continue;
            }
        };
        o.meta_mut().namespace = Some(ns.clone());
        match cx.world.create_checked(o, dry == DryRun::Server) {
            Ok(created) => {
                separate(cx, &format, &mut printed);
                print_result(
                    cx,
                    sinfo,
                    &object_value(&created),
                    &format!("exposed{}", dry.suffix()),
                    &format,
                );
            }
            Err(e) => errs.push(VerbError::Api(e, None)),
        }
    }
    Exec::Done(super::print_errors(cx.out, &errs))
}

/// The objects to expose: the documents of `-f` files (decoded as kubectl's typed builder
/// does, defaults filled in), or the one `TYPE NAME` names, from the cluster.
fn objects(
    cx: &mut Cx<'_>,
    a: &super::flags::Args,
    ns: &str,
) -> Result<Vec<Result<Object, VerbError>>, Exec> {
    let files = a.all("filename");
    if !files.is_empty() {
        if !a.positional.is_empty() {
            return Err(fail(cx.out, "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well"));
        }
        let sources = resource::read_sources(cx.fs, &mut cx.stdin, &files, a.bool("recursive"))
            .map_err(|e| fail(cx.out, e))?;
        let docs = resource::documents(&sources).map_err(|e| fail(cx.out, e))?;
        return Ok(docs
            .into_iter()
            .map(|(source, doc)| {
                let mut o = kubeplay_api::decode::decode_validated(&doc, Validation::Ignore)
                    .map(|(o, _)| o)
                    .or_else(|_| resource::decode_doc(&source, &doc))?;
                kubeplay_api::defaults::apply(&mut o);
                Ok(o)
            })
            .collect());
    }
    let (kind_name, name) = match a.positional.as_slice() {
        [tn] if tn.contains('/') => {
            let (t, n) = tn.split_once('/').expect("has /");
            (t.to_string(), n.to_string())
        }
        [t, n] => (t.clone(), n.clone()),
        _ => return Err(fail(cx.out, resource::MISSING_RESOURCE)),
    };
    let Some(info) = registry::lookup(&kind_name) else {
        return Err(fail(
            cx.out,
            format!("the server doesn't have a resource type \"{kind_name}\""),
        ));
    };
    Ok(vec![cx
        .world
        .get_object(info.kind, ns, &name)
        .map_err(|e| VerbError::Api(e, None))])
}

/// What kubectl's options keep from one exposed object to the next: a selector, labels and
/// ports worked out for the first object (when no flag gave them) serve every later one too,
/// as in kubectl; the protocols are worked out again for each object that declares some.
#[derive(Default)]
struct Carried {
    selector: String,
    labels: String,
    port: String,
    ports: String,
    protocols: Vec<(String, String)>,
}

/// expose.go's visit of one object and `createService`: the Service, as kubectl builds it.
fn service_for(a: &super::flags::Args, c: &mut Carried, obj: &Object) -> Result<Value, String> {
    if !matches!(
        obj,
        Object::Deployment(_) | Object::ReplicaSet(_) | Object::Pod(_) | Object::Service(_)
    ) {
        let info = obj.info();
        let kind = match info.group {
            "" => info.kind.as_str().to_string(),
            g => format!("{}.{g}", info.kind.as_str()),
        };
        return Err(format!("cannot expose a {kind}"));
    }
    let default_name: String = obj.name().chars().take(63).collect();
    if c.selector.is_empty() {
        c.selector = selector_of(obj).map_err(|e| {
            format!("couldn't retrieve selectors via --selector flag or introspection: {e}")
        })?;
    }
    let headless = a.str("cluster-ip") == Some("None");
    let (ports, protocols) = ports_of(obj);
    if c.port.is_empty() {
        match ports.as_slice() {
            [] if !headless => {
                return Err("couldn't find port via --port flag or introspection".into())
            }
            [] => {}
            [one] => c.port = one.clone(),
            many => c.ports = many.join(","),
        }
    }
    if !protocols.is_empty() {
        c.protocols = protocols;
    }
    if c.labels.is_empty() {
        c.labels = obj
            .meta()
            .labels
            .iter()
            .flatten()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
    }
    if c.selector.is_empty() {
        return Err("selector must be specified".into());
    }
    let selector = super::run::parse_labels(&c.selector)?;
    let mut meta = Map::new();
    if !c.labels.is_empty() {
        meta.insert(
            "labels".into(),
            Value::Object(super::run::parse_labels(&c.labels)?),
        );
    }
    let name = a
        .str("name")
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or(default_name);
    if name.is_empty() {
        return Err("name must be specified".into());
    }
    meta.insert("name".into(), json!(name));
    let port_string = if c.ports.is_empty() {
        &c.port
    } else {
        &c.ports
    };
    let mut svc_ports = Vec::new();
    if !port_string.is_empty() {
        let parts: Vec<&str> = port_string.split(',').collect();
        let flag_protocol = a.str("protocol").unwrap_or_default();
        for (i, part) in parts.iter().enumerate() {
            let port: i64 = part
                .parse()
                .map_err(|_| format!("strconv.Atoi: parsing \"{part}\": invalid syntax"))?;
            let mut protocol = flag_protocol.to_string();
            if protocol.is_empty() {
                protocol = "TCP".into();
                let declared: Vec<&str> = c
                    .protocols
                    .iter()
                    .filter(|(p, _)| p == part)
                    .map(|(_, proto)| proto.as_str())
                    .collect();
                match declared.as_slice() {
                    [] => {}
                    [one] => protocol = one.to_string(),
                    many => {
                        for proto in many {
                            svc_ports.push(json!({
                                "name": format!("port-{}-{}", i + 1, proto.to_lowercase()),
                                "port": port,
                                "protocol": proto,
                            }));
                        }
                        continue;
                    }
                }
            }
            let mut m = Map::new();
            if parts.len() > 1 {
                m.insert("name".into(), json!(format!("port-{}", i + 1)));
            }
            m.insert("port".into(), json!(port));
            m.insert("protocol".into(), json!(protocol));
            svc_ports.push(Value::Object(m));
        }
    }
    for p in &mut svc_ports {
        let port = p["port"].as_i64().unwrap_or_default();
        p["targetPort"] = target_value(a.str("target-port").filter(|t| !t.is_empty()), port);
    }
    let mut spec = Map::new();
    spec.insert("ports".into(), Value::Array(svc_ports));
    spec.insert("selector".into(), Value::Object(selector));
    if let Some(ip) = a.str("external-ip").filter(|s| !s.is_empty()) {
        spec.insert("externalIPs".into(), json!([ip]));
    }
    let kind = a.str("type").unwrap_or_default();
    if !kind.is_empty() {
        spec.insert("type".into(), json!(kind));
    }
    if kind == "LoadBalancer" {
        if let Some(ip) = a.str("load-balancer-ip").filter(|s| !s.is_empty()) {
            spec.insert("loadBalancerIP".into(), json!(ip));
        }
    }
    match a.str("session-affinity").unwrap_or_default() {
        "" => {}
        s @ ("None" | "ClientIP") => {
            spec.insert("sessionAffinity".into(), json!(s));
        }
        other => return Err(format!("unknown session affinity: {other}")),
    }
    if let Some(ip) = a.str("cluster-ip").filter(|s| !s.is_empty()) {
        spec.insert("clusterIP".into(), json!(ip));
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": Value::Object(meta),
        "spec": Value::Object(spec),
        "status": {"loadBalancer": {}},
    }))
}

/// `MapBasedSelectorForObject`.
fn selector_of(obj: &Object) -> Result<String, String> {
    let join = |m: &BTreeMap<String, String>| {
        m.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let workload = |sel: &LabelSelector, what: &str| {
        let labels = sel.match_labels.clone().unwrap_or_default();
        if labels.is_empty() {
            return Err(format!(
                "invalid {what}: no selectors, therefore cannot be exposed"
            ));
        }
        if let Some(exprs) = sel.match_expressions.as_ref().filter(|e| !e.is_empty()) {
            let shown: Vec<String> = exprs
                .iter()
                .map(|e| {
                    format!(
                        "{{Key:{} Operator:{} Values:[{}]}}",
                        e.key,
                        e.operator,
                        e.values.clone().unwrap_or_default().join(" ")
                    )
                })
                .collect();
            return Err(format!(
                "couldn't convert expressions - \"[{}]\" to map-based selector format",
                shown.join(" ")
            ));
        }
        Ok(join(&labels))
    };
    match obj {
        Object::Deployment(d) => workload(&d.spec.selector, "deployment"),
        Object::ReplicaSet(r) => workload(&r.spec.selector, "replicaset"),
        Object::Pod(p) => match p.metadata.labels.as_ref().filter(|l| !l.is_empty()) {
            Some(l) => Ok(join(l)),
            None => Err("the pod has no labels and cannot be exposed".into()),
        },
        Object::Service(s) => match s.spec.as_ref().and_then(|s| s.selector.as_ref()) {
            Some(sel) => Ok(join(sel)),
            None => Err("the service has no pod selector set".into()),
        },
        _ => Err(format!(
            "cannot extract pod selector from {}",
            obj.info().kind.as_str()
        )),
    }
}

/// `PortsForObject` and `MultiProtocolsForObject`: the ports the object's containers (or a
/// Service's ports) declare, in order and each once, and each declaration with its protocol
/// (TCP when none is given).
fn ports_of(obj: &Object) -> (Vec<String>, Vec<(String, String)>) {
    let pairs: Vec<(i32, Option<String>)> = match obj {
        Object::Service(s) => s
            .spec
            .iter()
            .flat_map(|s| s.ports.iter().flatten())
            .map(|p| (p.port, p.protocol.clone()))
            .collect(),
        _ => {
            let spec = match obj {
                Object::Deployment(d) => d.spec.template.spec.as_ref(),
                Object::ReplicaSet(r) => r.spec.template.as_ref().and_then(|t| t.spec.as_ref()),
                Object::Pod(p) => p.spec.as_ref(),
                _ => None,
            };
            spec.iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .map(|p| (p.container_port, p.protocol.clone()))
                .collect()
        }
    };
    let mut ports: Vec<String> = Vec::new();
    for (p, _) in &pairs {
        let p = p.to_string();
        if !ports.contains(&p) {
            ports.push(p);
        }
    }
    let protocols = pairs
        .into_iter()
        .map(|(p, proto)| {
            let proto = proto
                .filter(|x| !x.is_empty())
                .unwrap_or_else(|| "TCP".into());
            (p.to_string(), proto)
        })
        .collect();
    (ports, protocols)
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
