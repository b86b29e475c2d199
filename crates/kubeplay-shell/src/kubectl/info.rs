//! Commands about the cluster and the client rather than objects: `version`, `api-resources`,
//! `api-versions`, `cluster-info` and `config`.

use super::flags::{Flag, OUTPUT};
use super::help::Doc;
use super::{fail, parse_flags, usage_error, Cx, Exec};
use crate::print::table::tabwrite;
use kubeplay_api::registry::{self, ResourceInfo};
use kubeplay_core::scheduler::KUBELET_VERSION;

/// kubectl and the API server are the version the simulated kubelets report.
pub const CLIENT_VERSION: &str = KUBELET_VERSION;
pub const SERVER_VERSION: &str = KUBELET_VERSION;
/// The kustomize kubectl 1.34 is built with (kubectl's go.mod: sigs.k8s.io/kustomize/kustomize/v5).
pub const KUSTOMIZE_VERSION: &str = "v5.7.1";
/// The one cluster, user and context of kubeplay's kubeconfig.
pub const CONTEXT: &str = "kubeplay";
pub const SERVER_URL: &str = "https://127.0.0.1:6443";

static VERSION_DOC: Doc = Doc {
    path: "kubectl version",
    long: "Print the version of kubectl and of the cluster's API server.",
    examples: "# Client and server versions\nkubectl version\n\n# Only kubectl's own version\nkubectl version --client",
    usage: "kubectl version [flags] [options]",
    subcommands: &[],
};
static VERSION_FLAGS: &[Flag] = &[Flag::bool("client", None), OUTPUT];

pub fn version(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &VERSION_DOC, VERSION_FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    if !a.positional.is_empty() {
        return fail(
            cx.out,
            format!("extra arguments: [{}]", a.positional.join(" ")),
        );
    }
    let client_only = a.bool("client");
    match a.str("output").unwrap_or("") {
        "" => {
            let mut s = format!(
                "Client Version: {CLIENT_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
            );
            if !client_only {
                s.push_str(&format!("Server Version: {SERVER_VERSION}\n"));
            }
            cx.out.out(s);
            Exec::Done(0)
        }
        "yaml" | "json" => {
            let info = |v: &str| {
                let minor = v.split('.').nth(1).unwrap_or("0").to_string();
                serde_json::json!({
                    "major": "1",
                    "minor": minor,
                    "gitVersion": v,
                    "gitTreeState": "clean",
                    "compiler": "gc",
                    "platform": "linux/amd64",
                })
            };
            let mut v = serde_json::json!({
                "clientVersion": info(CLIENT_VERSION),
                "kustomizeVersion": KUSTOMIZE_VERSION,
            });
            if !client_only {
                v["serverVersion"] = info(SERVER_VERSION);
            }
            let text = if a.str("output") == Some("json") {
                serde_json::to_string_pretty(&v).unwrap_or_default()
            } else {
                crate::kubectl::create::to_yaml(&v)
            };
            cx.out.out(format!("{}\n", text));
            Exec::Done(0)
        }
        _ => fail(cx.out, "--output must be 'yaml' or 'json'"),
    }
}

static API_RESOURCES_DOC: Doc = Doc {
    path: "kubectl api-resources",
    long: "List the kinds of resources the API server serves: their plural name, short names, API version, whether they live in a namespace, and their kind.",
    examples: "# Every resource type\nkubectl api-resources\n\n# Only the ones that live in a namespace\nkubectl api-resources --namespaced=true\n\n# Only the apps group, names only\nkubectl api-resources --api-group=apps -o name",
    usage: "kubectl api-resources [flags] [options]",
    subcommands: &[],
};
static API_RESOURCES_FLAGS: &[Flag] = &[
    Flag::str("api-group", None),
    Flag::bool("namespaced", None).shows("true"),
    Flag::slice("verbs", None),
    Flag::str("sort-by", None),
    Flag::bool("cached", None),
    Flag::slice("categories", None),
    Flag::bool("no-headers", None),
    OUTPUT,
    Flag::str("template", None),
];

fn verbs_of(r: &ResourceInfo) -> &'static [&'static str] {
    if r.kind == kubeplay_api::Kind::Namespace {
        &[
            "create", "delete", "get", "list", "patch", "update", "watch",
        ]
    } else {
        &[
            "create",
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "update",
            "watch",
        ]
    }
}

pub fn api_resources(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &API_RESOURCES_DOC, API_RESOURCES_FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    if !a.positional.is_empty() {
        return usage_error(
            cx.out,
            "kubectl api-resources",
            format!("unexpected arguments: [{}]", a.positional.join(" ")),
        );
    }
    let sort_by = a.str("sort-by").unwrap_or("");
    if !["", "name", "kind"].contains(&sort_by) {
        return fail(cx.out, "--sort-by accepts only name or kind");
    }
    let output = a.str("output").unwrap_or("");
    if !["", "wide", "name"].contains(&output) {
        return fail(
            cx.out,
            format!("unable to match a printer suitable for the output format \"{output}\", allowed formats are: name,wide"),
        );
    }
    let verbs = a.all("verbs");
    let cats = a.all("categories");
    let mut rows: Vec<&ResourceInfo> = registry::RESOURCES
        .iter()
        .filter(|r| !a.has("api-group") || a.str("api-group") == Some(r.group))
        .filter(|r| !a.has("namespaced") || a.bool("namespaced") == r.namespaced)
        .filter(|r| verbs.iter().all(|v| verbs_of(r).contains(&v.as_str())))
        .filter(|r| cats.iter().all(|c| c == "all" && r.in_all))
        .collect();
    let key = |r: &ResourceInfo| -> String {
        match sort_by {
            "name" => r.plural.to_string(),
            "kind" => r.kind.as_str().to_string(),
            _ => r.group.to_string(),
        }
    };
    kubeplay_sort::sort_by(&mut rows, |x, y| {
        key(x).cmp(&key(y)).then(x.plural.cmp(y.plural))
    });
    if output == "name" {
        let mut s = String::new();
        for r in rows {
            s.push_str(&r.plural_group());
            s.push('\n');
        }
        cx.out.out(s);
        return Exec::Done(0);
    }
    let wide = output == "wide";
    let mut lines: Vec<Vec<String>> = Vec::new();
    if !a.bool("no-headers") {
        let mut h: Vec<String> = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if wide {
            h.push("VERBS".into());
            h.push("CATEGORIES".into());
        }
        lines.push(h);
    }
    for r in rows {
        let mut row = vec![
            r.plural.to_string(),
            r.short_names.join(","),
            r.api_version(),
            r.namespaced.to_string(),
            r.kind.as_str().to_string(),
        ];
        if wide {
            row.push(verbs_of(r).join(","));
            row.push(if r.in_all {
                "all".into()
            } else {
                String::new()
            });
        }
        lines.push(row);
    }
    let refs: Vec<&Vec<String>> = lines.iter().collect();
    cx.out.out(tabwrite(&refs, 6, 3));
    Exec::Done(0)
}

static API_VERSIONS_DOC: Doc = Doc {
    path: "kubectl api-versions",
    long: "List the API versions the server serves, one group/version per line.",
    examples: "# Every API version\nkubectl api-versions",
    usage: "kubectl api-versions [flags] [options]",
    subcommands: &[],
};

pub fn api_versions(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &API_VERSIONS_DOC, &[], args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    if !a.positional.is_empty() {
        return usage_error(
            cx.out,
            "kubectl api-versions",
            format!("unexpected arguments: [{}]", a.positional.join(" ")),
        );
    }
    let mut v: Vec<String> = registry::RESOURCES
        .iter()
        .map(|r| r.api_version())
        .collect();
    kubeplay_sort::sort(&mut v);
    v.dedup();
    let mut s = String::new();
    for x in v {
        s.push_str(&x);
        s.push('\n');
    }
    cx.out.out(s);
    Exec::Done(0)
}

static CLUSTER_INFO_DOC: Doc = Doc {
    path: "kubectl cluster-info",
    long: "Show the address of the control plane (and of cluster services labelled kubernetes.io/cluster-service=true).",
    examples: "# Where the control plane runs\nkubectl cluster-info",
    usage: "kubectl cluster-info [flags] [options]",
    subcommands: &[("dump", "Dump the cluster state (not simulated by kubeplay)")],
};

pub fn cluster_info(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &CLUSTER_INFO_DOC, &[], args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    if a.positional.first().map(String::as_str) == Some("dump") {
        return fail(
            cx.out,
            "\"kubectl cluster-info dump\" is not available in kubeplay",
        );
    }
    if !a.positional.is_empty() {
        return usage_error(
            cx.out,
            "kubectl cluster-info",
            format!("unexpected arguments: [{}]", a.positional.join(" ")),
        );
    }
    cx.out.out(format!(
        "Kubernetes control plane is running at {SERVER_URL}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    ));
    Exec::Done(0)
}

static CONFIG_DOC: Doc = Doc {
    path: "kubectl config",
    long: "Show and change the kubeconfig. kubeplay's kubeconfig has one cluster, one user and one context, all named \"kubeplay\"; the context's namespace is the one commands use when no -n is given.",
    examples: "# Work in the dev namespace from now on\nkubectl config set-context --current --namespace=dev\n\n# Which context and namespace are in use\nkubectl config get-contexts",
    usage: "kubectl config SUBCOMMAND [options]",
    subcommands: &[
        ("current-context", "Print the current context"),
        ("get-contexts", "List the contexts"),
        ("get-clusters", "List the clusters"),
        ("get-users", "List the users"),
        ("set-context", "Change a context (e.g. its namespace)"),
        ("use-context", "Switch to a context"),
        ("view", "Print the kubeconfig"),
    ],
};
static USE_CONTEXT_DOC: Doc = Doc {
    path: "kubectl config use-context",
    // kubectl prints the command's aliases right after its description.
    long: "Set the current-context in a kubeconfig file.\n\nAliases:\nuse-context, use",
    examples: "# Use the context for the minikube cluster\nkubectl config use-context minikube",
    usage: "kubectl config use-context CONTEXT_NAME [options]",
    subcommands: &[],
};
static VIEW_DOC: Doc = Doc {
    path: "kubectl config view",
    long: "Print the kubeconfig: its cluster, its user, its context (with the namespace commands use when no -n is given) and which context is current. Certificates and keys show as DATA+OMITTED unless --raw.",
    examples: "# The whole kubeconfig\nkubectl config view\n\n# The namespace in use (empty means default)\nkubectl config view --minify -o jsonpath='{..namespace}'",
    usage: "kubectl config view [flags] [options]",
    subcommands: &[],
};
static VIEW_FLAGS: &[Flag] = &[
    Flag::bool("allow-missing-template-keys", None),
    Flag::bool("flatten", None),
    Flag::bool("merge", None).shows("true"),
    Flag::bool("minify", None),
    OUTPUT.shows("'yaml'"),
    Flag::bool("raw", None),
    Flag::bool("show-managed-fields", None),
    Flag::str("template", None),
];
static GET_CONTEXTS_DOC: Doc = Doc {
    path: "kubectl config get-contexts",
    long: "List the contexts of the kubeconfig: the current one marked with *, each with its cluster, user and namespace.",
    examples: "# Which context, and which namespace, are in use\nkubectl config get-contexts",
    usage: "kubectl config get-contexts [(-o|--output=)name)] [options]",
    subcommands: &[],
};
static GET_CONTEXTS_FLAGS: &[Flag] = &[Flag::bool("no-headers", None), OUTPUT];
static SET_CONTEXT_DOC: Doc = Doc {
    path: "kubectl config set-context",
    long: "Change a context of the kubeconfig. With --current, the context in use; with --namespace, the namespace commands use when no -n is given.",
    examples: "# Work in the dev namespace from now on\nkubectl config set-context --current --namespace=dev\n\n# Back to the default namespace\nkubectl config set-context --current --namespace=default",
    usage: "kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]",
    subcommands: &[],
};
static SET_CONTEXT_FLAGS: &[Flag] = &[
    Flag::str("cluster", None),
    Flag::bool("current", None),
    Flag::str("namespace", None),
    Flag::str("user", None),
];
static CURRENT_CONTEXT_DOC: Doc = Doc {
    path: "kubectl config current-context",
    long: "Print the name of the context in use.",
    examples: "# The context in use\nkubectl config current-context",
    usage: "kubectl config current-context [flags] [options]",
    subcommands: &[],
};
static GET_CLUSTERS_DOC: Doc = Doc {
    path: "kubectl config get-clusters",
    long: "List the clusters of the kubeconfig.",
    examples: "# The clusters kubectl knows\nkubectl config get-clusters",
    usage: "kubectl config get-clusters [flags] [options]",
    subcommands: &[],
};
static GET_USERS_DOC: Doc = Doc {
    path: "kubectl config get-users",
    long: "List the users of the kubeconfig.",
    examples: "# The users kubectl knows\nkubectl config get-users",
    usage: "kubectl config get-users [flags] [options]",
    subcommands: &[],
};

/// A config subcommand's help page and options (the group's for anything else).
fn config_subcommand(word: Option<&str>) -> (&'static Doc, &'static [Flag]) {
    match word {
        Some("view") => (&VIEW_DOC, VIEW_FLAGS),
        Some("get-contexts") => (&GET_CONTEXTS_DOC, GET_CONTEXTS_FLAGS),
        Some("set-context") => (&SET_CONTEXT_DOC, SET_CONTEXT_FLAGS),
        Some("current-context") => (&CURRENT_CONTEXT_DOC, &[]),
        Some("get-clusters") => (&GET_CLUSTERS_DOC, &[]),
        Some("get-users") => (&GET_USERS_DOC, &[]),
        Some("use-context" | "use") => (&USE_CONTEXT_DOC, &[]),
        _ => (&CONFIG_DOC, CONFIG_FLAGS),
    }
}

static CONFIG_FLAGS: &[Flag] = &[
    Flag::bool("current", None),
    Flag::bool("minify", None),
    Flag::bool("raw", None),
    Flag::bool("flatten", None),
    Flag::bool("no-headers", None),
    OUTPUT,
    Flag::str("template", None),
];

/// kubeplay's kubeconfig (`config view`): its certificates and key shown as `DATA+OMITTED`
/// unless `--raw`; the context's namespace when it is not `default`.
fn kubeconfig(namespace: &str, raw: bool) -> serde_json::Value {
    let data = if raw { "a3ViZXBsYXk=" } else { "DATA+OMITTED" };
    let mut context = serde_json::json!({"cluster": CONTEXT, "user": CONTEXT});
    if namespace != "default" {
        context["namespace"] = namespace.into();
    }
    serde_json::json!({
        "apiVersion": "v1",
        "clusters": [{
            "cluster": {"certificate-authority-data": data, "server": SERVER_URL},
            "name": CONTEXT,
        }],
        "contexts": [{"context": context, "name": CONTEXT}],
        "current-context": CONTEXT,
        "kind": "Config",
        "preferences": {},
        "users": [{
            "name": CONTEXT,
            "user": {"client-certificate-data": data, "client-key-data": data},
        }],
    })
}

/// Field order of clientcmd's v1 `Config` structs, for `config view -o json`.
fn kubeconfig_order(path: &str) -> Option<&'static [&'static str]> {
    Some(match path {
        "" => &[
            "kind",
            "apiVersion",
            "preferences",
            "clusters",
            "users",
            "contexts",
            "current-context",
        ],
        "clusters" => &["name", "cluster"],
        "clusters.cluster" => &["server", "certificate-authority-data"],
        "users" => &["name", "user"],
        "users.user" => &["client-certificate-data", "client-key-data"],
        "contexts" => &["name", "context"],
        "contexts.context" => &["cluster", "user", "namespace"],
        _ => return None,
    })
}

pub fn config(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (doc, flags) = config_subcommand(super::find_command(args, CONFIG_FLAGS).0.as_deref());
    let a = match parse_flags(cx, doc, flags, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let Some(sub) = a.positional.first().cloned() else {
        // `DefaultSubCommandRun`: the help, on stderr, and a failure.
        cx.out.err(super::help::render(&CONFIG_DOC, &[]));
        return Exec::Done(1);
    };
    let rest = &a.positional[1..];
    match sub.as_str() {
        "current-context" => {
            cx.out.out(format!("{CONTEXT}\n"));
            Exec::Done(0)
        }
        "view" => {
            let format = super::output::format_of(&a);
            if let Err(e) = super::output::check_format(&format) {
                return fail(cx.out, e);
            }
            let v = kubeconfig(cx.namespace, a.bool("raw") || a.bool("flatten"));
            match format.as_str() {
                "" | "yaml" => cx.out.out(super::output::yaml(&v)),
                "json" => cx
                    .out
                    .out(crate::print::json::to_json_typed(&v, kubeconfig_order)),
                // The name printer finds no name in a kubeconfig.
                "name" => cx.out.out("config/<unknown>\n"),
                template => {
                    if !super::output::print_template(cx, &v, template) {
                        return Exec::Done(1);
                    }
                }
            }
            Exec::Done(0)
        }
        "get-contexts" => {
            if let Some(n) = rest.first().filter(|n| n.as_str() != CONTEXT) {
                if !a.bool("no-headers") && a.str("output") != Some("name") {
                    cx.out
                        .out("CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n");
                }
                return fail(cx.out, format!("context {n} not found"));
            }
            if a.str("output") == Some("name") {
                cx.out.out(format!("{CONTEXT}\n"));
                return Exec::Done(0);
            }
            let mut lines = Vec::new();
            if !a.bool("no-headers") {
                lines.push(
                    ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>(),
                );
            }
            let ns = if cx.namespace.as_str() == "default" {
                String::new()
            } else {
                cx.namespace.clone()
            };
            lines.push(vec![
                "*".into(),
                CONTEXT.into(),
                CONTEXT.into(),
                CONTEXT.into(),
                ns,
            ]);
            let refs: Vec<&Vec<String>> = lines.iter().collect();
            cx.out.out(tabwrite(&refs, 6, 3));
            Exec::Done(0)
        }
        "get-clusters" => {
            cx.out.out(format!("NAME\n{CONTEXT}\n"));
            Exec::Done(0)
        }
        "get-users" => {
            cx.out.out(format!("NAME\n{CONTEXT}\n"));
            Exec::Done(0)
        }
        "use-context" | "use" => match rest.first() {
            None => {
                cx.out.out(super::help::render(&USE_CONTEXT_DOC, &[]));
                fail(cx.out, "Unexpected args: []")
            }
            Some(n) if n == CONTEXT => {
                cx.out.out(format!("Switched to context \"{CONTEXT}\".\n"));
                Exec::Done(0)
            }
            Some(n) => fail(cx.out, format!("no context exists with the name: \"{n}\"")),
        },
        "set-context" => {
            let name = if a.bool("current") {
                if !rest.is_empty() {
                    return fail(
                        cx.out,
                        "you cannot specify both a context name and --current",
                    );
                }
                CONTEXT.to_string()
            } else {
                match rest.first() {
                    Some(n) => n.clone(),
                    None => {
                        return fail(
                            cx.out,
                            "you must specify a non-empty context name or --current",
                        )
                    }
                }
            };
            if name != CONTEXT {
                return fail(
                    cx.out,
                    format!(
                        "kubeplay has one context, \"{CONTEXT}\"; \"{name}\" cannot be created"
                    ),
                );
            }
            if let Some(ns) = a.namespace() {
                *cx.namespace = if ns.is_empty() {
                    "default".into()
                } else {
                    ns.to_string()
                };
            }
            cx.out.out(format!("Context \"{CONTEXT}\" modified.\n"));
            Exec::Done(0)
        }
        _ => super::unknown_subcommand(cx.out, "kubectl config", &a.positional),
    }
}
