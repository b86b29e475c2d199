//! `kubectl set env` (KUBECTL:pkg/cmd/set/set_env.go, pkg/cmd/set/env): add, change or remove
//! environment variables in a pod or a pod template, import them from a ConfigMap or Secret
//! (`--from`, `--keys`, `--prefix`), or list them (`--list`, `--resolve`).

use super::flags::{Flag, DRY_RUN, OUTPUT};
use super::help::Doc;
use super::output::{self, object_value, print_result, separate};
use super::resource::{self, Scope};
use super::{dry_run_of, fail, namespace_of, parse_flags, Cx, DryRun, Exec, VerbError};
use kubeplay_api::k8s_openapi::api::core::v1::{
    ConfigMapKeySelector, Container, EnvVar, EnvVarSource, SecretKeySelector,
};
use kubeplay_api::{Kind, Object};

pub static ENV_DOC: Doc = Doc {
    path: "kubectl set env",
    long: "Update environment variables on a pod template.\n\n List environment variable definitions in one or more pods, pod templates. Add, update, or remove container environment variable definitions in one or more pod templates (within replication controllers or deployment configurations). View or modify the environment variable definitions on all containers in the specified pods or pod templates, or just those that match a wildcard.\n\n If \"--env -\" is passed, environment variables can be read from STDIN using the standard env syntax.\n\n Possible resources include (case insensitive):\n\n        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)",
    examples: "  # Update deployment 'registry' with a new environment variable\n  kubectl set env deployment/registry STORAGE_DIR=/local\n\n  # List the environment variables defined on a deployments 'sample-build'\n  kubectl set env deployment/sample-build --list\n\n  # List the environment variables defined on all pods\n  kubectl set env pods --all --list\n\n  # Output modified deployment in YAML, and does not alter the object on the server\n  kubectl set env deployment/sample-build STORAGE_DIR=/data -o yaml\n\n  # Import environment from a secret\n  kubectl set env --from=secret/mysecret deployment/myapp\n\n  # Import environment from a config map with a prefix\n  kubectl set env --from=configmap/myconfigmap --prefix=MYSQL_ deployment/myapp\n\n  # Import specific keys from a config map\n  kubectl set env --keys=my-example-key --from=configmap/myconfigmap deployment/myapp\n\n  # Remove the environment variable ENV from container 'c1' in all deployment configs\n  kubectl set env deployments --all --containers=\"c1\" ENV-\n\n  # Remove the environment variable ENV from a deployment definition on disk and\n  # update the deployment config on the server\n  kubectl set env -f deploy.json ENV-\n\n  # Set some of the local shell environment into a deployment config on the server\n  env | grep RAILS_ | kubectl set env -e - deployment/registry",
    usage: "kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
    subcommands: &[],
};

pub static ENV_FLAGS: &[Flag] = &[
    OUTPUT,
    DRY_RUN,
    Flag::slice("filename", Some('f')),
    Flag::bool("recursive", Some('R')),
    Flag::str("containers", Some('c')).shows("'*'"),
    Flag::str("from", None),
    Flag::str("prefix", None),
    Flag::array("env", Some('e')),
    Flag::slice("keys", None),
    Flag::bool("list", None),
    Flag::bool("resolve", None),
    Flag::bool("local", None),
    Flag::bool("all", None),
    Flag::bool("overwrite", None).shows("true"),
    Flag::str("field-manager", None),
    Flag::str("selector", Some('l')),
    Flag::bool("show-managed-fields", None),
    Flag::str("template", None),
    Flag::bool("allow-missing-template-keys", None),
];

/// `IsEnvironmentArgument` (`^(.+)=(.*)$`, multi-line) or the `KEY-` removal syntax.
fn is_env_arg(s: &str) -> bool {
    s.find('=').is_some_and(|i| i > 0) || s.ends_with('-')
}

/// `SplitEnvironmentFromResources`: resources first, then environment arguments.
fn split_env(args: &[String]) -> Option<(Vec<String>, Vec<String>)> {
    let at = args
        .iter()
        .position(|a| is_env_arg(a))
        .unwrap_or(args.len());
    let (res, env) = args.split_at(at);
    env.iter()
        .all(|a| is_env_arg(a))
        .then(|| (res.to_vec(), env.to_vec()))
}

const ENV_NAME: &str = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/// apimachinery's `IsEnvVarName`, which kubectl checks before the server's relaxed rules:
/// `[-._a-zA-Z][-._a-zA-Z0-9]*`.
fn is_env_var_name(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    s.chars()
        .next()
        .is_some_and(|c| ok(c) && !c.is_ascii_digit())
        && s.chars().all(ok)
}

/// `ParseEnv`: `KEY=VALUE`, `KEY-`, and `-` for `KEY=VALUE` lines on stdin.
fn parse_env(specs: &[String], stdin: Option<&[u8]>) -> Result<(Vec<EnvVar>, Vec<String>), String> {
    let mut env = Vec::new();
    let mut set = Vec::new();
    let mut remove = Vec::new();
    for spec in specs {
        if spec == "-" {
            let Some(input) = stdin else {
                return Err("when '-' is used, STDIN must be open".into());
            };
            for line in String::from_utf8_lossy(input).lines() {
                let line = line.split('#').next().unwrap_or("");
                if let Some((k, v)) = line.split_once('=') {
                    env.push(var(k, v));
                }
            }
        } else if let Some((k, v)) = spec.split_once('=') {
            if !is_env_var_name(k) {
                return Err(format!("{k:?} is not a valid key name: {ENV_NAME}"));
            }
            set.push(k.to_string());
            env.push(var(k, v));
        } else if let Some(k) = spec.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(format!("unknown environment variable: {spec}"));
        }
    }
    if remove.iter().any(|r| set.contains(r)) {
        return Err(
            "can not both modify and remove the same environment variable in the same command"
                .into(),
        );
    }
    Ok((env, remove))
}

fn var(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        value: Some(value.to_string()),
        value_from: None,
    }
}

/// `updateEnv`: an added variable replaces every one of that name, in place; a removed one
/// goes; the rest keep their order.
fn update_env(existing: &[EnvVar], env: &[EnvVar], remove: &[String]) -> Vec<EnvVar> {
    let mut covered: Vec<&str> = remove.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for e in existing {
        if covered.contains(&e.name.as_str()) {
            continue;
        }
        match env.iter().find(|n| n.name == e.name) {
            Some(newer) => {
                covered.push(&e.name);
                out.push(newer.clone());
            }
            None => out.push(e.clone()),
        }
    }
    for e in env {
        if !covered.contains(&e.name.as_str()) {
            covered.push(&e.name);
            out.push(e.clone());
        }
    }
    out
}

/// `selectString`: `*` wildcards, each part found after the previous one, the first at the
/// start and the last at the end.
pub(super) fn select(name: &str, spec: &str) -> bool {
    if spec == "*" {
        return true;
    }
    if !spec.contains('*') {
        return name == spec;
    }
    let parts: Vec<&str> = spec.split('*').collect();
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        let Some(next) = name[pos..].find(part).map(|n| n + pos) else {
            return false;
        };
        if (i == 0 && next != 0) || (i == parts.len() - 1 && name.len() != part.len() + next) {
            return false;
        }
        pos = next;
    }
    true
}

/// `GetEnvVarRefString`.
fn ref_string(from: &EnvVarSource) -> String {
    if let Some(r) = &from.config_map_key_ref {
        return format!("configmap {}, key {}", r.name, r.key);
    }
    if let Some(r) = &from.secret_key_ref {
        return format!("secret {}, key {}", r.name, r.key);
    }
    if let Some(r) = &from.field_ref {
        return format!("field path {}", r.field_path);
    }
    if let Some(r) = &from.resource_field_ref {
        let c = r
            .container_name
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(|c| format!("{c}/"))
            .unwrap_or_default();
        return format!("resource field {c}{}", r.resource);
    }
    "invalid valueFrom".into()
}

/// `GetEnvVarRefValue` for `--resolve`, for ConfigMap and Secret keys and the object's own
/// name and namespace.
fn resolve_ref(cx: &Cx<'_>, ns: &str, obj: &Object, from: &EnvVarSource) -> Result<String, String> {
    if let Some(r) = &from.config_map_key_ref {
        let cm = cx
            .world
            .get_object(Kind::ConfigMap, ns, &r.name)
            .map_err(|e| e.message)?;
        let Object::ConfigMap(cm) = cm else {
            unreachable!("a ConfigMap lookup gives a ConfigMap")
        };
        return cm
            .data
            .as_ref()
            .and_then(|d| d.get(&r.key))
            .cloned()
            .ok_or_else(|| format!("key {} not found in config map {}", r.key, r.name));
    }
    if let Some(r) = &from.secret_key_ref {
        let s = cx
            .world
            .get_object(Kind::Secret, ns, &r.name)
            .map_err(|e| e.message)?;
        let Object::Secret(s) = s else {
            unreachable!("a Secret lookup gives a Secret")
        };
        return s
            .data
            .as_ref()
            .and_then(|d| d.get(&r.key))
            .map(|b| String::from_utf8_lossy(&b.0).into_owned())
            .ok_or_else(|| format!("key {} not found in secret {}", r.key, r.name));
    }
    if let Some(f) = &from.field_ref {
        return match f.field_path.as_str() {
            "metadata.name" => Ok(obj.name().to_string()),
            "metadata.namespace" => Ok(obj.namespace().unwrap_or("").to_string()),
            p => Err(format!("unsupported fieldPath: {p}")),
        };
    }
    Err("invalid valueFrom".into())
}

/// `--from=configmap/NAME` or `secret/NAME`: one `valueFrom` variable per key (in key order;
/// kubectl walks a Go map, so its order varies from run to run), names made valid and
/// upper-cased with a warning when that changes them.
fn env_from(
    cx: &mut Cx<'_>,
    ns: &str,
    from: &str,
    keys: &[String],
) -> Result<Vec<EnvVar>, VerbError> {
    let (typed, name) = from.split_once('/').unwrap_or((from, ""));
    let info = resource::lookup(typed).map_err(VerbError::Msg)?;
    let obj = cx
        .world
        .get_object(info.kind, ns, name)
        .map_err(|e| VerbError::Api(e, None))?;
    let (data_keys, is_secret): (Vec<String>, bool) = match &obj {
        Object::ConfigMap(cm) => (
            cm.data.iter().flatten().map(|(k, _)| k.clone()).collect(),
            false,
        ),
        Object::Secret(s) => (
            s.data.iter().flatten().map(|(k, _)| k.clone()).collect(),
            true,
        ),
        _ => {
            return Err(VerbError::Msg(
                "unsupported resource specified in --from".into(),
            ))
        }
    };
    let mut out = Vec::new();
    for key in data_keys {
        if !keys.is_empty() && !keys.contains(&key) {
            continue;
        }
        let env_name: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        if env_name != key {
            cx.out
                .err(format!("Warning: key {key} transferred to {env_name}\n"));
        }
        let source = if is_secret {
            EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: name.to_string(),
                    key,
                    optional: None,
                }),
                ..Default::default()
            }
        } else {
            EnvVarSource {
                config_map_key_ref: Some(ConfigMapKeySelector {
                    name: name.to_string(),
                    key,
                    optional: None,
                }),
                ..Default::default()
            }
        };
        out.push(EnvVar {
            name: env_name,
            value: None,
            value_from: Some(source),
        });
    }
    Ok(out)
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &ENV_DOC, ENV_FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let selector = a.str("selector").unwrap_or("").to_string();
    if a.bool("all") && !selector.is_empty() {
        return fail(cx.out, "cannot set --all and --selector at the same time");
    }
    let Some((resources, env_args)) = split_env(&a.positional) else {
        return fail(
            cx.out,
            format!(
                "all resources must be specified before environment changes: {}",
                a.positional.join(" ")
            ),
        );
    };
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let format = a.str("output").unwrap_or("").to_string();
    if let Err(e) = output::check_format(&format) {
        return fail(cx.out, e);
    }
    let files = a.all("filename");
    let (list, local) = (a.bool("list"), a.bool("local"));
    let from = a.str("from").unwrap_or("").to_string();
    let keys = a.all("keys");
    if local && dry == DryRun::Server {
        return fail(cx.out, super::LOCAL_SERVER_DRY_RUN);
    }
    if files.is_empty() && resources.is_empty() {
        return fail(
            cx.out,
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if list && !format.is_empty() {
        return fail(cx.out, "--list and --output may not be specified together");
    }
    if !keys.is_empty() && from.is_empty() {
        return fail(
            cx.out,
            "when specifying --keys, a configmap or secret must be provided with --from",
        );
    }
    let specs: Vec<String> = a
        .all("env")
        .into_iter()
        .chain(env_args.iter().cloned())
        .collect();
    let (mut env, remove) = match parse_env(&specs, cx.stdin.as_deref()) {
        Ok(r) => r,
        Err(e) => return fail(cx.out, e),
    };
    let ns = namespace_of(cx, &a);
    if !from.is_empty() {
        match env_from(cx, &ns, &from, &keys) {
            Ok(more) => env.extend(more),
            Err(e) => return Exec::Done(super::print_errors(cx.out, &[e])),
        }
    }
    if let Some(prefix) = a.str("prefix").filter(|p| !p.is_empty()) {
        for e in &mut env {
            e.name = format!("{prefix}{}", e.name);
        }
    }
    let found = if local {
        if files.is_empty() {
            return fail(cx.out, resource::MISSING_RESOURCE);
        }
        match super::label::local_objects(cx, &files, a.bool("recursive"), &ns) {
            Ok(f) => f,
            Err(e) => return fail(cx.out, e),
        }
    } else {
        let scope = Scope::of(&a, &files, &ns);
        let opts = resource::Options {
            selector: (!selector.is_empty()).then_some(selector),
            all: a.bool("all"),
            allow_empty_selector: false,
        };
        match resource::find(cx.world, cx.fs, &mut cx.stdin, &scope, &resources, &opts) {
            Ok(f) => f,
            Err(e) => return fail(cx.out, e),
        }
    };
    let containers = a.str("containers").unwrap_or("*").to_string();
    let overwrite = !a.has("overwrite") || a.bool("overwrite");
    let mut errs = Vec::new();
    // One printer for the command: YAML documents after the first begin with `---`.
    let mut printed = 0;
    for f in found {
        let live = match f.obj {
            Ok(mut o) if local => {
                output::typed(&mut o);
                o
            }
            Ok(o) => o,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        let mut obj = live.clone();
        let kind = obj.kind();
        let obj_name = obj.name().to_string();
        let Some(spec) = super::scale::pod_spec_mut(&mut obj) else {
            errs.push(VerbError::Msg(format!(
                "error: {}/{} the object is not a pod or does not have a pod template: *v1.{kind}\n",
                f.info.singular_group(),
                f.name
            )));
            continue;
        };
        // Containers first, then init containers, as kubectl visits them.
        let mut selected: Vec<&mut Container> = spec
            .containers
            .iter_mut()
            .filter(|c| select(&c.name, &containers))
            .collect();
        selected.extend(
            spec.init_containers
                .iter_mut()
                .flatten()
                .filter(|c| select(&c.name, &containers)),
        );
        if selected.is_empty() {
            cx.out.err(format!(
                "Warning: {kind}/{obj_name} does not have any containers matching {containers:?}\n"
            ));
            continue;
        }
        let mut failed = None;
        let mut listing = String::new();
        let mut unresolved: Vec<(String, String)> = Vec::new();
        for c in &mut selected {
            let existing = c.env.clone().unwrap_or_default();
            if !overwrite {
                let clash = env.iter().find_map(|e| {
                    existing
                        .iter()
                        .find(|x| x.name == e.name && x.value != e.value)
                });
                if let Some(x) = clash {
                    failed = Some(format!(
                        "'{}' already has a value ({}), and --overwrite is false",
                        x.name,
                        x.value.as_deref().unwrap_or("")
                    ));
                    break;
                }
            }
            let updated = update_env(&existing, &env, &remove);
            c.env = (!updated.is_empty() || c.env.is_some()).then_some(updated);
            if list {
                listing.push_str(&format!("# {kind} {obj_name}, container {}\n", c.name));
                for e in c.env.iter().flatten() {
                    let Some(from) = &e.value_from else {
                        listing.push_str(&format!(
                            "{}={}\n",
                            e.name,
                            e.value.as_deref().unwrap_or("")
                        ));
                        continue;
                    };
                    if a.bool("resolve") {
                        match resolve_ref(cx, &ns, &live, from) {
                            Ok(v) => {
                                listing.push_str(&format!("{}={v}\n", e.name));
                                continue;
                            }
                            Err(why) => unresolved.push((why, e.name.clone())),
                        }
                    }
                    listing.push_str(&format!("# {} from {}\n", e.name, ref_string(from)));
                }
            }
        }
        if let Some(why) = failed {
            // kubectl wraps the patch error in `error: <object> %v\n`, the %v beginning with a
            // newline and a space.
            errs.push(VerbError::Msg(format!(
                "error: {}/{}\n {why}\n",
                f.info.singular_group(),
                f.name
            )));
            continue;
        }
        if list {
            cx.out.out(listing);
            // Resolution errors, grouped by message, names sorted.
            let mut by_err: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            for (why, name) in unresolved {
                by_err.entry(why).or_default().push(name);
            }
            for (why, mut names) in by_err {
                kubeplay_sort::sort(&mut names);
                cx.out.err(format!(
                    "error retrieving reference for {}: {why}\n",
                    names.join(", ")
                ));
            }
            continue;
        }
        if obj == live {
            continue;
        }
        if local || dry == DryRun::Client {
            separate(cx, &format, &mut printed);
            print_result(
                cx,
                f.info,
                &object_value(&obj),
                &format!("env updated{}", dry.suffix()),
                &format,
            );
            continue;
        }
        match cx.world.update(obj, dry == DryRun::Server) {
            Ok((o, _)) => {
                if env.is_empty() && env_args.is_empty() {
                    return super::fail(
                        cx.out,
                        "at least one environment variable must be provided",
                    );
                }
                separate(cx, &format, &mut printed);
                print_result(
                    cx,
                    f.info,
                    &object_value(&o),
                    &format!("env updated{}", dry.suffix()),
                    &format,
                );
            }
            Err(e) => errs.push(VerbError::Msg(format!(
                "failed to patch env update to pod template: {}",
                e.message
            ))),
        }
    }
    Exec::Done(super::print_errors(cx.out, &errs))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::kubectl::strs as s;

    #[test]
    fn resources_come_before_environment() {
        assert_eq!(
            split_env(&s(&["deploy/web", "A=1", "B-"])),
            Some((s(&["deploy/web"]), s(&["A=1", "B-"])))
        );
        assert_eq!(split_env(&s(&["A=1", "deploy/web"])), None);
        assert_eq!(
            split_env(&s(&["deploy", "web"])),
            Some((s(&["deploy", "web"]), vec![]))
        );
    }

    #[test]
    fn updates_keep_order_and_replace_in_place() {
        let old = vec![var("A", "1"), var("B", "2"), var("C", "3")];
        let new = update_env(&old, &[var("B", "9"), var("D", "4")], &s(&["C"]));
        let names: Vec<(&str, &str)> = new
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_deref().unwrap()))
            .collect();
        assert_eq!(names, vec![("A", "1"), ("B", "9"), ("D", "4")]);
    }

    #[test]
    fn wildcards_match_like_kubectl() {
        assert!(select("web", "*"));
        assert!(select("web-sidecar", "web*"));
        assert!(select("my-web", "*web"));
        assert!(!select("webby", "*web"));
        assert!(select("a-b-c", "a*c"));
        assert!(!select("web", "api"));
    }

    #[test]
    fn bad_names_and_both_set_and_removed_are_errors() {
        assert!(parse_env(&s(&["1A=x"]), None)
            .unwrap_err()
            .starts_with("\"1A\" is not a valid key name: a valid environment variable name"));
        assert_eq!(
            parse_env(&s(&["A=1", "A-"]), None).unwrap_err(),
            "can not both modify and remove the same environment variable in the same command"
        );
        assert_eq!(
            parse_env(&s(&["-"]), None).unwrap_err(),
            "when '-' is used, STDIN must be open"
        );
        let (env, _) = parse_env(
            &s(&["-"]),
            Some(b"X=1 # a comment\n# only a comment\nY=2\n"),
        )
        .unwrap();
        assert_eq!(env, vec![var("X", "1 "), var("Y", "2")]);
    }
}
