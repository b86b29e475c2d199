//! `kubectl apply -f FILE|DIR|-`: client-side apply. A new object is created with the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation; an existing one gets the
//! three-way strategic merge patch computed from that annotation (what was applied before),
//! the new configuration and the live object, so that fields set by others (`scale`, defaults)
//! survive, fields dropped from the file go away, and an identical file is `unchanged`.

use super::create::LAST_APPLIED;
use super::flags::{Flag, DRY_RUN, FILENAME, OUTPUT, SELECTOR};
use super::help::Doc;
use super::merge;
use super::output::{self, object_value, print_result};
use super::resource::{self, place_in_namespace};
use super::{
    dry_run_of, fail, namespace_of, parse_flags, print_errors, usage_error, Cx, DryRun, Exec,
    VerbError,
};
use kubeplay_api::decode::Validation;
use kubeplay_api::{ApiError, Object, Reason};
use serde_json::Value;

static DOC: Doc = Doc {
    path: "kubectl apply",
    long: "Make resources match their manifests: objects that do not exist are created, objects that exist are changed to match.

apply remembers what it applied in the annotation kubectl.kubernetes.io/last-applied-configuration. The next apply compares three things: that annotation, the new manifest and the live object. Fields the manifest sets are set; fields the previous manifest had and this one has not are removed; fields nobody declared (a replica count set with kubectl scale, defaults filled in by the server) are left alone.

Manifests may be YAML or JSON; -f takes files, directories and - for standard input.",
    examples: "# Apply a manifest\nkubectl apply -f web.yaml\n\n# Every manifest in a directory\nkubectl apply -f manifests/\n\n# From standard input, e.g. a heredoc\ncat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\nEOF\n\n# See what would happen\nkubectl apply -f web.yaml --dry-run=server -o yaml",
    usage: "kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
    subcommands: &[
        ("edit-last-applied", "Edit the last-applied-configuration annotation (not simulated)"),
        ("set-last-applied", "Set the last-applied-configuration annotation (not simulated)"),
        ("view-last-applied", "Show the last-applied-configuration annotation"),
    ],
};

static FLAGS: &[Flag] = &[
    FILENAME,
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    OUTPUT,
    DRY_RUN,
    Flag::bool("force", None),
    Flag::int("grace-period", None),
    Flag::bool("overwrite", None).shows("true"),
    Flag::bool("prune", None),
    Flag::bool("all", None),
    SELECTOR,
    Flag::array("prune-allowlist", None),
    Flag::bool("server-side", None),
    Flag::bool("force-conflicts", None),
    Flag::str("field-manager", None),
    Flag::str("validate", None).with_no_opt("strict"),
    Flag::bool("wait", None),
    Flag::str("timeout", None),
    Flag::bool("openapi-patch", None).shows("true"),
    Flag::bool("record", None),
    Flag::str("cascade", None).with_no_opt("background"),
    Flag::str("template", None),
    Flag::bool("show-managed-fields", None),
    Flag::bool("allow-missing-template-keys", None),
];

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    if args.first().map(String::as_str) == Some("view-last-applied") {
        return view_last_applied(cx, &args[1..]);
    }
    let a = match parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    if !a.positional.is_empty() {
        return usage_error(
            cx.out,
            "kubectl apply",
            format!("Unexpected args: [{}]", a.positional.join(" ")),
        );
    }
    let files = a.all("filename");
    if a.str("kustomize").is_some() {
        return fail(
            cx.out,
            "kustomize directories are not available in kubeplay",
        );
    }
    if files.is_empty() {
        return fail(cx.out, "must specify one of -f and -k");
    }
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let format = output::format_of(&a);
    if let Err(e) = output::check_format(&format) {
        return fail(cx.out, e);
    }
    if a.bool("prune") {
        return fail(cx.out, "--prune is not available in kubeplay");
    }
    let server_side = a.bool("server-side");
    let should_print = !format.is_empty() && format != "name";
    let mut done: Vec<(&'static kubeplay_api::ResourceInfo, Value, String)> = Vec::new();
    let walked = for_each_object(cx, &a, "apply", |cx, t| {
        let (shown, op) = apply_one(cx, &t, dry, server_side, true)?;
        if should_print {
            done.push((t.info, shown, op));
        } else {
            print_result(cx, t.info, &shown, &op, &format);
        }
        Ok(())
    });
    let (count, mut errs) = match walked {
        Ok(w) => w,
        Err(e) => return e,
    };
    // With -o yaml|json|jsonpath... the objects are printed at the end, several as a List.
    if should_print && !done.is_empty() {
        let (info, v) = if done.len() == 1 {
            (done[0].0, done[0].1.clone())
        } else {
            let items: Vec<Value> = done.iter().map(|d| d.1.clone()).collect();
            (
                done[0].0,
                serde_json::json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {}}),
            )
        };
        print_result(cx, info, &v, "", &format);
    }
    if count == 0 && errs.is_empty() {
        errs.push(VerbError::Msg("no objects passed to apply".into()));
    }
    Exec::Done(print_errors(cx.out, &errs))
}

/// One object of the manifests, as [`for_each_object`] hands it on.
#[derive(Clone, Copy)]
pub(super) struct Target<'a> {
    pub info: &'static kubeplay_api::ResourceInfo,
    /// The file it came from (`-` for standard input).
    pub source: &'a str,
    /// The document, with its namespace (and, with `--record`, the change-cause) written in.
    pub doc: &'a Value,
    pub ns: &'a str,
    pub name: &'a str,
    /// `--validate`: what the server does with fields it does not know.
    pub validation: Validation,
}

/// The objects of the `-f` manifests (`-R`, `-l` and `-n` as apply reads them), in order,
/// each given to `visit`. A file's documents before a syntax error are still visited; that
/// error comes first among the returned ones (kubectl gathers every object before it acts).
/// Returns how many objects were selected and the errors, or the command's end when the
/// flags are wrong.
pub(super) fn for_each_object(
    cx: &mut Cx<'_>,
    a: &super::flags::Args,
    verb: &str,
    mut visit: impl FnMut(&mut Cx<'_>, Target<'_>) -> Result<(), VerbError>,
) -> Result<(usize, Vec<VerbError>), Exec> {
    let validation = super::validation_of(a).map_err(|e| fail(cx.out, e))?;
    // A client dry run sends nothing: no field is refused (see `decode_for_write`).
    let client_dry_run = matches!(dry_run_of(a), Ok(DryRun::Client));
    let ns = namespace_of(cx, a);
    let enforce = a.namespace().is_some();
    let files = a.all("filename");
    let sources = resource::read_sources(cx.fs, &mut cx.stdin, &files, a.bool("recursive"))
        .map_err(|e| fail(cx.out, e))?;
    let (docs, parse_errs) = resource::documents_until_error(&sources);
    let selector = match a
        .str("selector")
        .map(kubeplay_api::selector::Selector::parse)
    {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return Err(fail(cx.out, e)),
    };
    let record = a.bool("record").then(|| a.change_cause(verb));
    let mut errs: Vec<VerbError> = parse_errs.into_iter().map(VerbError::Msg).collect();
    let mut count = 0;
    for (source, mut doc) in docs {
        let obj = match resource::decode_for_write(&source, &doc, validation, client_dry_run) {
            Ok((o, _)) => o,
            Err(e) => {
                let e = match e {
                    // A manifest with unknown fields for an object that exists fails on the
                    // patch, with the patch request's wording.
                    VerbError::Api(err, _) if exists_for(cx, &doc, &ns) => {
                        VerbError::Api(patch_invalid(&doc, &err), None)
                    }
                    e => e,
                };
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
        let info = obj.info();
        let mut obj = obj;
        if let Err(e) = place_in_namespace(&mut obj, &ns, enforce) {
            errs.push(e);
            continue;
        }
        if info.namespaced {
            if let Value::Object(m) = &mut doc {
                let meta = m
                    .entry("metadata")
                    .or_insert_with(|| Value::Object(Default::default()));
                if let Value::Object(meta) = meta {
                    meta.entry("namespace")
                        .or_insert_with(|| Value::String(ns.clone()));
                }
            }
        }
        if let Some(cmd) = &record {
            if let Some(Value::Object(meta)) = doc.get_mut("metadata") {
                let ann = meta
                    .entry("annotations")
                    .or_insert_with(|| Value::Object(Default::default()));
                if let Value::Object(ann) = ann {
                    ann.insert(
                        "kubernetes.io/change-cause".into(),
                        Value::String(cmd.clone()),
                    );
                }
            }
        }
        let target = Target {
            info,
            source: &source,
            doc: &doc,
            ns: obj.namespace().unwrap_or(""),
            name: obj.name(),
            validation: if client_dry_run {
                Validation::Ignore
            } else {
                validation
            },
        };
        if let Err(e) = visit(cx, target) {
            errs.push(e);
        }
    }
    Ok((count, errs))
}

/// Apply one object of the manifests as `kubectl apply` does: create it, or patch the live
/// object three-way; with a dry run, only what would be. Returns the object as the server
/// gave it back and the word kubectl prints for it. `kubectl diff` asks for it without the
/// last-applied annotation (`annotate`), and without apply's warning when the live object
/// lacks it.
pub(super) fn apply_one(
    cx: &mut Cx<'_>,
    t: &Target<'_>,
    dry: DryRun,
    server_side: bool,
    annotate: bool,
) -> Result<(Value, String), VerbError> {
    let Target {
        info,
        source,
        doc,
        ns,
        name,
        validation,
    } = *t;
    let op = |op: &str| {
        let op = if server_side {
            "serverside-applied"
        } else {
            op
        };
        format!("{op}{}", dry.suffix())
    };
    let modified = modified(doc, annotate);
    let live = match cx.world.get_object(info.kind, ns, name) {
        Ok(live) => live,
        Err(e) if e.reason == Reason::NotFound => {
            let (new_obj, warnings) =
                resource::decode_for_write(source, &modified, validation, false)?;
            let shown = if dry == DryRun::Client {
                super::output::client_view(&modified, &new_obj)
            } else {
                resource::print_warnings(cx.out, &warnings);
                let o = cx
                    .world
                    .create_checked(new_obj, dry == DryRun::Server)
                    .map_err(|e| VerbError::Api(e, Some(("creating", source.to_string()))))?;
                object_value(&o)
            };
            return Ok((shown, op("created")));
        }
        Err(e) => return Err(VerbError::Api(e, None)),
    };
    let current = object_value(&live);
    if dry == DryRun::Client {
        // kubectl 1.34 computes no patch for a client dry run of an existing object: it says
        // `configured` and prints the object as the server has it (1.35 merges first).
        return Ok((current, op("configured")));
    }
    let annotation = live
        .meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(LAST_APPLIED));
    if annotation.is_none() && annotate {
        cx.out.err(format!("Warning: resource {}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n", info.plural, name));
    }
    let original = annotation
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
        .unwrap_or(Value::Object(Default::default()));
    let patch = merge::three_way(info.kind, &original, &modified, &current);
    if patch.as_object().is_some_and(|m| m.is_empty()) {
        return Ok((current, op("unchanged")));
    }
    if let Some(e) = stale_patch(&patch, &live, source) {
        return Err(VerbError::Api(e, None));
    }
    let patched = merge::strategic_merge(info.kind, &current, &patch).map_err(VerbError::Msg)?;
    let patching = || Some(("applying patch", source.to_string()));
    let (new_obj, warnings) = kubeplay_api::decode::decode_validated(&patched, validation)
        .map_err(|e| VerbError::Api(ApiError::bad_request(e.message()), patching()))?;
    if dry != DryRun::Client {
        resource::print_warnings(cx.out, &warnings);
    }
    let (o, _) = cx
        .world
        .update(new_obj, dry == DryRun::Server)
        .map_err(|e| VerbError::Api(e, patching()))?;
    Ok((object_value(&o), op("configured")))
}

/// `GetModifiedConfiguration(obj, annotate=true)`: the configuration with the annotation
/// holding itself (without the annotation, and with an empty annotations map kept).
pub fn modified_configuration(doc: &Value) -> Value {
    modified(doc, true)
}

/// `GetModifiedConfiguration(obj, annotate)`: without `annotate` (as `kubectl diff` asks),
/// the configuration with any last-applied annotation taken out.
fn modified(doc: &Value, annotate: bool) -> Value {
    let mut doc = doc.clone();
    if let Some(Value::Object(meta)) = doc.get_mut("metadata") {
        let ann = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Default::default()));
        if !ann.is_object() {
            *ann = Value::Object(Default::default());
        }
        if let Value::Object(a) = ann {
            a.remove(LAST_APPLIED);
        }
    }
    if !annotate {
        return doc;
    }
    // Go's encoder: keys sorted, `<`, `>` and `&` escaped.
    let text = format!("{}\n", crate::print::json::to_compact(&doc));
    if let Some(Value::Object(a)) = doc.pointer_mut("/metadata/annotations") {
        a.insert(LAST_APPLIED.into(), Value::String(text));
    }
    doc
}

fn exists_for(cx: &Cx<'_>, doc: &Value, ns: &str) -> bool {
    let Ok(info) = kubeplay_api::decode::kind_of(doc) else {
        return false;
    };
    let name = doc
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let ns = doc
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or(ns);
    cx.world.get_object(info.kind, ns, name).is_ok()
}

/// The API server's answer to a patch whose result has unknown fields.
fn patch_invalid(doc: &Value, err: &ApiError) -> ApiError {
    let detail = err
        .message
        .split_once(": strict decoding error: ")
        .map(|(_, d)| format!("strict decoding error: {d}"))
        .unwrap_or_else(|| err.message.clone());
    let mut e = ApiError::new(
        Reason::Invalid,
        format!(
            "The request is invalid: patch: Invalid value: \"{}\": {detail}",
            go_value(doc).replace('"', "\\\"")
        ),
    );
    e.kind = String::new();
    e
}

/// Go's `%v` of a decoded JSON value.
fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => format!(
            "map[{}]",
            m.iter()
                .map(|(k, v)| format!("{k}:{}", go_value(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

static VIEW_DOC: Doc = Doc {
    path: "kubectl apply view-last-applied",
    long: "Show the configuration `kubectl apply` last applied to an object, from its last-applied-configuration annotation.",
    examples: "# As YAML\nkubectl apply view-last-applied deployment/web\n\n# As JSON\nkubectl apply view-last-applied deployment/web -o json",
    usage: "kubectl apply view-last-applied (TYPE [NAME | -l label] | TYPE/NAME | -f FILENAME) [options]",
    subcommands: &[],
};

fn view_last_applied(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let flags = [
        FILENAME,
        SELECTOR,
        OUTPUT.shows("'yaml'"),
        Flag::bool("all", None),
        Flag::bool("recursive", Some('R')),
    ];
    let a = match parse_flags(cx, &VIEW_DOC, &flags, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let format = a.str("output").unwrap_or("yaml").to_string();
    if format != "yaml" && format != "json" {
        return fail(
            cx.out,
            format!(
                "Unexpected -o output mode: {format}, the flag 'output' must be one of yaml|json"
            ),
        );
    }
    let ns = namespace_of(cx, &a);
    let files = a.all("filename");
    let scope = resource::Scope::of(&a, &files, &ns);
    let opts = resource::Options {
        selector: a.str("selector").map(String::from),
        all: a.bool("all"),
        allow_empty_selector: false,
    };
    let found = match resource::find(cx.world, cx.fs, &mut cx.stdin, &scope, &a.positional, &opts) {
        Ok(f) => f,
        Err(e) => return fail(cx.out, e),
    };
    let mut errs = Vec::new();
    for f in found {
        match f.obj {
            Ok(o) => {
                let Some(text) = o
                    .meta()
                    .annotations
                    .as_ref()
                    .and_then(|m| m.get(LAST_APPLIED))
                    .cloned()
                else {
                    errs.push(VerbError::Msg(format!(
                        "no last-applied-configuration annotation found on resource: {}",
                        f.name
                    )));
                    continue;
                };
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                if format == "json" {
                    cx.out.out(output::json(&v));
                } else {
                    cx.out.out(output::yaml(&v));
                }
            }
            Err(e) => errs.push(e),
        }
    }
    Exec::Done(print_errors(cx.out, &errs))
}

/// A manifest saved with `kubectl get -o yaml` carries the resourceVersion it was read at; the
/// patch then sets it, and the API server refuses a patch whose resourceVersion is not the
/// live one. kubectl's patcher retries a conflict against the fresh object, but the file's
/// resourceVersion is in every retry, so the error stands, worded by `AddSourceToErr` twice.
fn stale_patch(patch: &Value, live: &Object, source: &str) -> Option<ApiError> {
    let want = patch.pointer("/metadata/resourceVersion")?.as_str()?;
    if live.meta().resource_version.as_deref() == Some(want) {
        return None;
    }
    let info = live.info();
    let group = info.group;
    let version = info.version;
    Some(ApiError::new(
        Reason::Conflict,
        format!(
            "error when applying patch:\n{}\nto:\nResource: \"{group}/{version}, Resource={}\", GroupVersionKind: \"{group}/{version}, Kind={}\"\nName: \"{}\", Namespace: \"{}\"\nfor: \"{source}\": error when patching \"{source}\": Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again",
            crate::print::json::to_compact(patch),
            info.plural,
            info.kind,
            live.name(),
            live.namespace().unwrap_or(""),
            info.plural_group(),
            live.name(),
        ),
    ))
}
