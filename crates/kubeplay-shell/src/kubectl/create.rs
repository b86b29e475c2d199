//! `kubectl create`: from manifests (`create -f`), and the generators `create namespace` and
//! `create service clusterip|nodeport|loadbalancer|externalname`. The other generators
//! (`create deployment`, `create configmap`, `create secret`) plug in at [`run`].

use super::flags::{Flag, DRY_RUN, FILENAME, OUTPUT, SELECTOR};
use super::help::Doc;
use super::output::{self, object_value, print_result, separate};
use super::resource::{self, place_in_namespace};
use super::{
    dry_run_of, fail, namespace_of, parse_flags, print_errors, usage_error, Cx, DryRun, Exec,
    VerbError,
};
use kubeplay_api::registry;
use kubeplay_api::{Kind, Object};
use serde_json::{json, Map, Value};

pub use super::output::yaml as to_yaml;

/// The annotation `apply` keeps the last applied configuration in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

static CREATE_DOC: Doc = Doc {
    path: "kubectl create",
    long: "Create resources from manifests (files, directories or standard input), or with one of the generators below. Unlike apply, create fails when the object already exists.",
    examples: "# Create what web.yaml describes\nkubectl create -f web.yaml\n\n# Create from standard input\ncat pod.json | kubectl create -f -\n\n# A namespace, and a service in it\nkubectl create namespace dev\nkubectl create service clusterip web --tcp=80:8080 -n dev",
    usage: "kubectl create -f FILENAME [options]",
    subcommands: &[
        ("configmap", "Create a config map from files, directories or literal values"),
        ("deployment", "Create a deployment running an image"),
        ("namespace", "Create a namespace"),
        ("secret", "Create a secret"),
        ("service", "Create a service"),
        ("serviceaccount", "Create a service account with the specified name"),
        ("token", "Request a service account token"),
    ],
};

static CREATE_FLAGS: &[Flag] = &[
    FILENAME,
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    OUTPUT,
    DRY_RUN,
    Flag::bool("save-config", None),
    Flag::str("validate", None).with_no_opt("strict"),
    Flag::bool("edit", None),
    Flag::str("raw", None),
    SELECTOR,
    Flag::str("field-manager", None),
    Flag::bool("windows-line-endings", None),
    Flag::bool("show-managed-fields", None),
    Flag::str("template", None),
    Flag::bool("allow-missing-template-keys", None),
    Flag::bool("record", None),
];

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    if let (Some(word), rest) = super::find_command(args, CREATE_FLAGS) {
        match word.as_str() {
            "namespace" | "ns" => return namespace(cx, &rest),
            "service" | "svc" => return service(cx, &rest),
            "deployment" | "deploy" => return super::create_deployment::run(cx, &rest),
            "configmap" | "cm" => return super::create_config::configmap(cx, &rest),
            "secret" => return super::create_config::secret(cx, &rest),
            "serviceaccount" | "sa" => return service_account(cx, &rest),
            "token" => return token(cx, &rest),
            "clusterrole"
            | "clusterrolebinding"
            | "cronjob"
            | "cj"
            | "ingress"
            | "ing"
            | "job"
            | "poddisruptionbudget"
            | "pdb"
            | "priorityclass"
            | "pc"
            | "quota"
            | "resourcequota"
            | "role"
            | "rolebinding" => return not_yet(cx, &format!("create {word}")),
            _ => {}
        }
    }
    from_files(cx, args)
}

fn not_yet(cx: &mut Cx<'_>, what: &str) -> Exec {
    fail(
        cx.out,
        format!("\"kubectl {what}\" is not available in kubeplay"),
    )
}

/// `kubectl create -f`.
fn from_files(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &CREATE_DOC, CREATE_FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    if !a.positional.is_empty() {
        return usage_error(
            cx.out,
            "kubectl create",
            format!("Unexpected args: [{}]", a.positional.join(" ")),
        );
    }
    let files = a.all("filename");
    if files.is_empty() && a.str("kustomize").is_none() {
        return fail(cx.out, "must specify one of -f and -k");
    }
    if a.str("kustomize").is_some() {
        return fail(
            cx.out,
            "kustomize directories are not available in kubeplay",
        );
    }
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let validation = match super::validation_of(&a) {
        Ok(v) => v,
        Err(e) => return fail(cx.out, e),
    };
    let format = output::format_of(&a);
    if let Err(e) = output::check_format(&format) {
        return fail(cx.out, e);
    }
    if a.bool("edit") {
        return fail(cx.out, "create --edit is not available in kubeplay: edit the file in the editor, then create it");
    }
    let ns = namespace_of(cx, &a);
    let enforce = a.namespace().is_some();
    let sources = match resource::read_sources(cx.fs, &mut cx.stdin, &files, a.bool("recursive")) {
        Ok(s) => s,
        Err(e) => return fail(cx.out, e),
    };
    // A file's documents before a syntax error are still created, then the error reported.
    let (docs, parse_errs) = resource::documents_until_error(&sources);
    let selector = match a
        .str("selector")
        .map(kubeplay_api::selector::Selector::parse)
    {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return fail(cx.out, e),
    };
    let mut errs = Vec::new();
    let mut count = 0;
    // One printer for every object: YAML separates them.
    let mut printed = 0;
    for (source, doc) in docs {
        let (mut obj, warnings) =
            match resource::decode_for_write(&source, &doc, validation, dry == DryRun::Client) {
                Ok(o) => o,
                Err(e) => {
                    errs.push(e);
                    continue;
                }
            };
        if let Some(sel) = &selector {
            if !sel.matches(obj.meta().labels.as_ref()) {
                continue;
            }
        }
        count += 1;
        if let Err(e) = place_in_namespace(&mut obj, &ns, enforce) {
            errs.push(e);
            continue;
        }
        if a.bool("save-config") {
            set_last_applied(&mut obj, &doc);
        }
        super::record(&a, "create", &mut obj);
        let info = obj.info();
        let shown = if dry == DryRun::Client {
            super::output::client_view(&doc, &obj)
        } else {
            resource::print_warnings(cx.out, &warnings);
            match cx.world.create_checked(obj, dry == DryRun::Server) {
                Ok(o) => object_value(&o),
                Err(e) => {
                    errs.push(VerbError::Api(e, Some(("creating", source.clone()))));
                    continue;
                }
            }
        };
        separate(cx, &format, &mut printed);
        print_result(
            cx,
            info,
            &shown,
            &format!("created{}", dry.suffix()),
            &format,
        );
    }
    errs.extend(parse_errs.into_iter().map(VerbError::Msg));
    if count == 0 && errs.is_empty() {
        errs.push(VerbError::Msg("no objects passed to create".into()));
    }
    Exec::Done(print_errors(cx.out, &errs))
}

/// Record `doc` (the configuration as given) in the last-applied annotation, as
/// `--save-config` does.
pub fn set_last_applied(obj: &mut Object, doc: &Value) {
    // The document as kubectl has it by then: in the namespace it goes to.
    let mut doc = doc.clone();
    if let (Some(ns), Some(Value::Object(meta))) = (&obj.meta().namespace, doc.get_mut("metadata"))
    {
        meta.insert("namespace".into(), Value::String(ns.clone()));
    }
    let modified = super::apply::modified_configuration(&doc);
    if let Some(text) = modified
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(Value::as_str)
    {
        obj.meta_mut()
            .annotations
            .get_or_insert_with(Default::default)
            .insert(LAST_APPLIED.into(), text.to_string());
    }
}

/// Field order of the Go structs the generators build (`Namespace`, `Service`, `ObjectMeta`,
/// `ServiceSpec`, `ServicePort`); maps are sorted, as Go marshals them.
fn struct_order(path: &str) -> Option<&'static [&'static str]> {
    Some(match path {
        "" => &["kind", "apiVersion", "metadata", "spec", "status"],
        "metadata" => &[
            "name",
            "generateName",
            "namespace",
            "selfLink",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "labels",
            "annotations",
            "ownerReferences",
            "finalizers",
            "managedFields",
        ],
        "spec" => &[
            "finalizers",
            "ports",
            "selector",
            "clusterIP",
            "clusterIPs",
            "type",
            "externalIPs",
            "sessionAffinity",
            "loadBalancerIP",
            "loadBalancerSourceRanges",
            "externalName",
            "externalTrafficPolicy",
            "healthCheckNodePort",
            "publishNotReadyAddresses",
            "sessionAffinityConfig",
            "ipFamilies",
            "ipFamilyPolicy",
            "allocateLoadBalancerNodePorts",
            "loadBalancerClass",
            "internalTrafficPolicy",
            "trafficDistribution",
        ],
        "spec.ports" => &[
            "name",
            "protocol",
            "appProtocol",
            "port",
            "targetPort",
            "nodePort",
        ],
        "status" => &["phase", "conditions", "loadBalancer"],
        _ => return None,
    })
}

/// Go's `json.Marshal` (`indent: None`, with the trailing newline the encoder adds) or
/// `json.MarshalIndent` of a generator's typed object.
pub fn typed_json(v: &Value, indent: Option<&str>) -> String {
    let mut s = String::new();
    write_typed(v, "", 0, indent, &mut s);
    s.push('\n');
    s
}

fn write_typed(v: &Value, path: &str, depth: usize, indent: Option<&str>, out: &mut String) {
    let nl = |out: &mut String, d: usize| {
        if let Some(i) = indent {
            out.push('\n');
            out.push_str(&i.repeat(d));
        }
    };
    match v {
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            match struct_order(path) {
                Some(order) => kubeplay_sort::sort_by_key(&mut keys, |k| {
                    order.iter().position(|o| o == k).unwrap_or(order.len())
                }),
                None => kubeplay_sort::sort(&mut keys),
            }
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                crate::print::json::write_string(out, k);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                let p = if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                };
                write_typed(&m[k.as_str()], &p, depth + 1, indent, out);
            }
            nl(out, depth);
            out.push('}');
        }
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                write_typed(item, path, depth + 1, indent, out);
            }
            nl(out, depth);
            out.push(']');
        }
        Value::String(s) => crate::print::json::write_string(out, s),
        other => out.push_str(&other.to_string()),
    }
}

static NS_DOC: Doc = Doc {
    path: "kubectl create namespace",
    long: "Create a namespace with the given name.",
    examples: "# A namespace called dev\nkubectl create namespace dev",
    usage: "kubectl create namespace NAME [--dry-run=server|client|none] [options]",
    subcommands: &[],
};

pub(super) static GEN_FLAGS: &[Flag] = &[
    OUTPUT,
    DRY_RUN,
    Flag::bool("save-config", None),
    Flag::str("validate", None).with_no_opt("strict"),
    Flag::str("field-manager", None),
    Flag::bool("show-managed-fields", None),
    Flag::str("template", None),
    Flag::bool("allow-missing-template-keys", None),
];

/// `NameFromCommandArgs`: exactly one NAME before any `--`.
pub(super) fn one_name(
    cx: &mut Cx<'_>,
    a: &super::flags::Args,
    path: &str,
) -> Result<String, Exec> {
    let (before, _) = a.split_at_dash();
    if before.len() != 1 {
        return Err(usage_error(
            cx.out,
            path,
            format!("exactly one NAME is required, got {}", before.len()),
        ));
    }
    Ok(before[0].clone())
}

/// A generator's flags and its one NAME (`parse_flags`, then [`one_name`]).
fn parse_named(
    cx: &mut Cx<'_>,
    doc: &Doc,
    flags: &[Flag],
    args: &[String],
) -> Result<(super::flags::Args, String), Exec> {
    let a = parse_flags(cx, doc, flags, args)?;
    let name = one_name(cx, &a, doc.path)?;
    Ok((a, name))
}

/// Shared tail of the generators: dry-run handling, the call to the server, printing.
pub(super) fn finish_generated(
    cx: &mut Cx<'_>,
    a: &super::flags::Args,
    kind: Kind,
    generated: Value,
    wrap: Option<String>,
) -> Exec {
    let dry = match dry_run_of(a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let format = output::format_of(&a);
    if let Err(e) = output::check_format(&format) {
        return fail(cx.out, e);
    }
    let info = registry::info(kind);
    let mut generated = generated;
    // `create service` never sets its CreateAnnotation option, so --save-config does
    // nothing there (kubectl's own quirk).
    if a.bool("save-config") && kind != Kind::Service {
        let text = typed_json(&generated, None);
        if let Some(Value::Object(meta)) = generated.get_mut("metadata") {
            let ann = meta
                .entry("annotations")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = ann {
                m.insert(LAST_APPLIED.into(), Value::String(text));
            }
        }
    }
    if dry == DryRun::Client {
        if format == "json" {
            // The generator's typed object, marshalled in Go struct field order.
            cx.out.out(typed_json(&generated, Some("    ")));
        } else {
            print_result(
                cx,
                info,
                &generated,
                &format!("created{}", dry.suffix()),
                &format,
            );
        }
        return Exec::Done(0);
    }
    if generated.pointer("/metadata/name").and_then(Value::as_str) == Some("") {
        // The API server's answer to an object without a name.
        let e = kubeplay_api::ApiError::invalid(
            kind.as_str(),
            "",
            vec![kubeplay_api::Cause::new(
                "metadata.name",
                "Required value: name or generateName is required",
            )],
        );
        return match wrap {
            Some(w) => fail(cx.out, format!("{w}: {}", e.message)),
            None => {
                super::print_api_error(cx.out, &e, None);
                Exec::Done(1)
            }
        };
    }
    let mut obj = match kubeplay_api::decode::decode(&generated) {
        Ok(o) => o,
        Err(e) => return fail(cx.out, e.message()),
    };
    if info.namespaced && obj.meta().namespace.is_none() {
        obj.meta_mut().namespace = Some(namespace_of(cx, a));
    }
    match cx.world.create_checked(obj, dry == DryRun::Server) {
        Ok(o) => {
            print_result(
                cx,
                info,
                &object_value(&o),
                &format!("created{}", dry.suffix()),
                &format,
            );
            Exec::Done(0)
        }
        Err(e) => match wrap {
            Some(w) => fail(cx.out, format!("{w}: {}", e.message)),
            None => {
                super::print_api_error(cx.out, &e, None);
                Exec::Done(1)
            }
        },
    }
}

fn namespace(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (a, name) = match parse_named(cx, &NS_DOC, GEN_FLAGS, args) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let v = json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name},
        "spec": {},
        "status": {},
    });
    finish_generated(cx, &a, Kind::Namespace, v, None)
}

static SA_DOC: Doc = Doc {
    path: "kubectl create serviceaccount",
    long: "Create a service account with the specified name.",
    examples: "# Create a new service account named my-service-account\nkubectl create serviceaccount my-service-account",
    usage: "kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]",
    subcommands: &[],
};

fn service_account(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (a, name) = match parse_named(cx, &SA_DOC, GEN_FLAGS, args) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let v = json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": name},
    });
    finish_generated(cx, &a, Kind::ServiceAccount, v, None)
}

static TOKEN_DOC: Doc = Doc {
    path: "kubectl create token",
    long: "Request a service account token.",
    examples: "  # Request a token to authenticate to the kube-apiserver as the service account \"myapp\" in the current namespace\n  kubectl create token myapp\n\n  # Request a token for a service account in a custom namespace\n  kubectl create token myapp --namespace myns\n\n  # Request a token with a custom expiration\n  kubectl create token myapp --duration 10m\n\n  # Request a token with a custom audience\n  kubectl create token myapp --audience https://example.com\n\n  # Request a token bound to an instance of a Secret object\n  kubectl create token myapp --bound-object-kind Secret --bound-object-name mysecret",
    usage: "kubectl create token SERVICE_ACCOUNT_NAME [options]",
    subcommands: &[],
};

static TOKEN_FLAGS: &[Flag] = &[
    OUTPUT,
    Flag::array("audience", None),
    Flag::str("duration", None).shows("0s"),
    Flag::str("bound-object-kind", None),
    Flag::str("bound-object-name", None),
    Flag::str("bound-object-uid", None),
    Flag::str("template", None),
    Flag::bool("allow-missing-template-keys", None),
    Flag::bool("show-managed-fields", None),
];

/// `kubectl create token SA`: a token from the TokenRequest API, printed on its own line.
fn token(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (a, name) = match parse_named(cx, &TOKEN_DOC, TOKEN_FLAGS, args) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let duration = match a.str("duration") {
        None | Some("") => 0,
        Some(d) => match super::rollout::parse_duration(d) {
            Some(ms) => (ms / 1000) as i64,
            None if d.starts_with('-') => {
                return fail(cx.out, "--duration must be greater than or equal to 0")
            }
            None => {
                let msg = format!("invalid argument \"{d}\" for \"--duration\" flag: time: invalid duration \"{d}\"\nSee 'kubectl create token --help' for usage.");
                return fail(cx.out, msg);
            }
        },
    };
    let kind = a.str("bound-object-kind").filter(|k| !k.is_empty());
    let bound_name = a.str("bound-object-name").filter(|n| !n.is_empty());
    let bound = match (kind, bound_name) {
        (Some(k), _) if !matches!(k, "Node" | "Pod" | "Secret") => {
            return fail(
                cx.out,
                "supported --bound-object-kind values are Node, Pod, Secret",
            )
        }
        (Some(_), None) => {
            return fail(
                cx.out,
                "--bound-object-name is required if --bound-object-kind is provided",
            )
        }
        (None, Some(_)) => {
            return fail(
                cx.out,
                "--bound-object-name can only be set if --bound-object-kind is provided",
            )
        }
        (None, None) if a.str("bound-object-uid").is_some_and(|u| !u.is_empty()) => {
            return fail(
                cx.out,
                "--bound-object-uid can only be set if --bound-object-kind is provided",
            )
        }
        (Some(k), Some(n)) => Some((k, n)),
        (None, None) => None,
    };
    let ns = namespace_of(cx, &a);
    let audiences = a.all("audience");
    match kubeplay_core::serviceaccount::request_token(
        cx.world, &ns, &name, &audiences, duration, bound,
    ) {
        Ok(t) => {
            cx.out.out(format!("{t}\n"));
            Exec::Done(0)
        }
        Err(e) => fail(cx.out, format!("failed to create token: {}", e.message)),
    }
}

static SVC_DOC: Doc = Doc {
    path: "kubectl create service",
    long: "Create a service of one of the types below. The service selects pods labelled app=NAME.",
    examples: "",
    usage: "kubectl create service [flags] [options]",
    subcommands: &[
        ("clusterip", "Create a service reachable inside the cluster"),
        ("externalname", "Create a service that is a DNS alias"),
        ("loadbalancer", "Create a service behind a load balancer"),
        ("nodeport", "Create a service open on a port of every node"),
    ],
};

static CLUSTERIP_DOC: Doc = Doc {
    path: "kubectl create service clusterip",
    long: "Create a ClusterIP service: one virtual IP inside the cluster that spreads traffic over the pods labelled app=NAME.",
    examples: "# Port 80 of the service goes to port 8080 of the pods\nkubectl create service clusterip web --tcp=80:8080\n\n# A headless service (no virtual IP)\nkubectl create service clusterip web --clusterip=\"None\"",
    usage: "kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
    subcommands: &[],
};
static NODEPORT_DOC: Doc = Doc {
    path: "kubectl create service nodeport",
    long: "Create a NodePort service: like ClusterIP, and also open on one port of every node.",
    examples: "# Port 80 of the service, 30080 on every node, 8080 in the pods\nkubectl create service nodeport web --tcp=80:8080 --node-port=30080",
    usage: "kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
    subcommands: &[],
};
static LB_DOC: Doc = Doc {
    path: "kubectl create service loadbalancer",
    long: "Create a LoadBalancer service: like NodePort, with an external load balancer in front where the cluster has one.",
    examples: "# A load-balanced service on port 80\nkubectl create service loadbalancer web --tcp=80:8080",
    usage: "kubectl create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
    subcommands: &[],
};
static EXTNAME_DOC: Doc = Doc {
    path: "kubectl create service externalname",
    long: "Create an ExternalName service: a DNS name in the cluster that points to a name outside it.",
    examples: "# db.default.svc resolves to db.example.com\nkubectl create service externalname db --external-name db.example.com",
    usage: "kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]",
    subcommands: &[],
};

fn svc_flags(extra: &[Flag]) -> Vec<Flag> {
    let mut v: Vec<Flag> = GEN_FLAGS.to_vec();
    v.push(Flag::slice("tcp", None));
    v.extend_from_slice(extra);
    v
}

fn service(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (Some(word), rest) = super::find_command(args, CREATE_FLAGS) else {
        // `kubectl create service` alone prints its help to stderr and fails.
        return match parse_flags(cx, &SVC_DOC, &[], args) {
            Ok(_) => {
                cx.out.err(super::help::render(&SVC_DOC, &[]));
                Exec::Done(1)
            }
            Err(e) => e,
        };
    };
    let (doc, ty, flags) = match word.as_str() {
        "clusterip" => (
            &CLUSTERIP_DOC,
            "ClusterIP",
            svc_flags(&[Flag::str("clusterip", None)]),
        ),
        "nodeport" => (
            &NODEPORT_DOC,
            "NodePort",
            svc_flags(&[Flag::int("node-port", None)]),
        ),
        "loadbalancer" => (&LB_DOC, "LoadBalancer", svc_flags(&[])),
        "externalname" => (
            &EXTNAME_DOC,
            "ExternalName",
            svc_flags(&[Flag::str("external-name", None)]),
        ),
        _ => {
            // cobra falls back to the parent's run: a usage error naming every argument.
            let words: Vec<&str> = args
                .iter()
                .filter(|w| !w.starts_with('-'))
                .map(String::as_str)
                .collect();
            return usage_error(
                cx.out,
                "kubectl create service",
                format!("unknown command \"{}\"", words.join(" ")),
            );
        }
    };
    let (a, name) = match parse_named(cx, doc, &flags, &rest) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let cluster_ip = a.str("clusterip").unwrap_or("");
    let tcp = a.all("tcp");
    if cluster_ip == "None" && ty != "ClusterIP" {
        return fail(
            cx.out,
            "ClusterIP=None can only be used with ClusterIP service type",
        );
    }
    if cluster_ip != "None" && tcp.is_empty() && ty != "ExternalName" {
        return fail(cx.out, "at least one tcp port specifier must be provided");
    }
    let external = a.str("external-name").unwrap_or("");
    if ty == "ExternalName" && !is_dns1123_subdomain(external) {
        return fail(cx.out, format!("invalid service external name {external}"));
    }
    let node_port = a.int("node-port").unwrap_or(0);
    let mut ports = Vec::new();
    for spec in &tcp {
        let (port, target) = match parse_ports(spec) {
            Ok(p) => p,
            Err(e) => return fail(cx.out, e),
        };
        let mut p = Map::new();
        p.insert("name".into(), Value::String(spec.replace(':', "-")));
        if node_port != 0 {
            p.insert("nodePort".into(), json!(node_port));
        }
        p.insert("port".into(), json!(port));
        p.insert("protocol".into(), json!("TCP"));
        p.insert("targetPort".into(), target);
        ports.push(Value::Object(p));
    }
    let mut meta = Map::new();
    meta.insert("labels".into(), json!({"app": name}));
    meta.insert("name".into(), json!(name));
    if let Some(ns) = a.namespace().filter(|n| !n.is_empty()) {
        meta.insert("namespace".into(), json!(ns));
    }
    let mut spec = Map::new();
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), json!({"app": name}));
    spec.insert("type".into(), json!(ty));
    if !external.is_empty() {
        spec.insert("externalName".into(), json!(external));
    }
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), json!(cluster_ip));
    }
    let v = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta,
        "spec": spec,
        "status": {"loadBalancer": {}},
    });
    finish_generated(
        cx,
        &a,
        Kind::Service,
        v,
        Some(format!("failed to create {ty} service")),
    )
}

/// `parsePorts`: `PORT` or `PORT:TARGET` (a number or a port name).
fn parse_ports(s: &str) -> Result<(i64, Value), String> {
    let parts: Vec<&str> = s.split(':').collect();
    let port = parse_uint16(parts[0])?;
    if parts.len() == 1 {
        return Ok((port, json!(port)));
    }
    let t = parts[1];
    match t.parse::<i64>() {
        Ok(n) => {
            if !(1..=65535).contains(&n) {
                return Err("must be between 1 and 65535, inclusive".into());
            }
            Ok((port, json!(n)))
        }
        Err(_) => {
            let errs = port_name_errors(t);
            if !errs.is_empty() {
                return Err(errs.join(","));
            }
            Ok((port, json!(t)))
        }
    }
}

/// `strconv.ParseUint(s, 10, 16)` with Go's error text.
fn parse_uint16(s: &str) -> Result<i64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.ParseUint: parsing \"{s}\": invalid syntax"
        ));
    }
    match s.parse::<u64>() {
        Ok(n) if n <= 65535 => Ok(n as i64),
        _ => Err(format!(
            "strconv.ParseUint: parsing \"{s}\": value out of range"
        )),
    }
}

/// `validation.IsValidPortName`.
fn port_name_errors(port: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if port.is_empty() || port.len() > 15 {
        errs.push("must be no more than 15 characters".to_string());
    }
    if !port
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if !port.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_parse_like_kubectl() {
        assert_eq!(parse_ports("80:8080").unwrap(), (80, json!(8080)));
        assert_eq!(parse_ports("443").unwrap(), (443, json!(443)));
        assert_eq!(parse_ports("80:http").unwrap(), (80, json!("http")));
        assert_eq!(
            parse_ports("abc").unwrap_err(),
            "strconv.ParseUint: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            parse_ports("70000").unwrap_err(),
            "strconv.ParseUint: parsing \"70000\": value out of range"
        );
    }
}
