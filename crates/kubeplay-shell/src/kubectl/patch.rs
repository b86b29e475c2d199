//! `kubectl patch`: strategic merge (the default), JSON merge (`--type merge`) and JSON
//! patch (`--type json`), on live objects or, with `--local`, on files.

use super::flags::{Flag, DRY_RUN, FILENAME, OUTPUT};
use super::help::Doc;
use super::merge;
use super::output::{self, object_value, print_result};
use super::resource::{self, Scope};
use super::{
    dry_run_of, fail, namespace_of, parse_flags, print_errors, Cx, DryRun, Exec, VerbError,
};
use kubeplay_api::decode::{self, DecodeError};
use kubeplay_api::{ApiError, Kind, Object, Reason};
use serde_json::Value;

static DOC: Doc = Doc {
    path: "kubectl patch",
    long: "Change fields of a resource with a patch, given as JSON or YAML.

--type strategic (the default) merges the patch into the object the way the API server does for Kubernetes types: maps merge, lists of containers, env, ports, volumes... merge item by item by their key (name, containerPort, mountPath), null deletes a field.
--type merge is a JSON merge patch (RFC 7386): maps merge, lists are replaced whole.
--type json is a JSON patch (RFC 6902): a list of operations (add, remove, replace, move, copy, test) on paths.",
    examples: "# Scale with a strategic merge patch\nkubectl patch deployment web -p '{\"spec\":{\"replicas\":3}}'\n\n# Change one container's image; the other containers stay\nkubectl patch deployment web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.16.1\"}]}}}}'\n\n# The same with a JSON patch\nkubectl patch deployment web --type=json -p='[{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/0/image\", \"value\":\"nginx:1.16.1\"}]'\n\n# Add a label with a merge patch\nkubectl patch pod web --type merge -p '{\"metadata\":{\"labels\":{\"tier\":\"frontend\"}}}'",
    usage: "kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
    subcommands: &[],
};

static FLAGS: &[Flag] = &[
    Flag::str("patch", Some('p')),
    Flag::str("patch-file", None),
    Flag::str("type", None).shows("'strategic'"),
    Flag::bool("local", None),
    FILENAME,
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    DRY_RUN,
    OUTPUT,
    Flag::str("field-manager", None),
    Flag::str("subresource", None),
    Flag::bool("record", None),
    Flag::str("template", None),
    Flag::bool("allow-missing-template-keys", None),
    Flag::bool("show-managed-fields", None),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum PatchType {
    Strategic,
    Merge,
    Json,
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let patch_text = a.str("patch").unwrap_or("").to_string();
    let patch_file = a.str("patch-file").unwrap_or("").to_string();
    let local = a.bool("local");
    if !patch_text.is_empty() && !patch_file.is_empty() {
        return fail(cx.out, "cannot specify --patch and --patch-file together");
    }
    if patch_text.is_empty() && patch_file.is_empty() {
        return fail(
            cx.out,
            "must specify --patch or --patch-file containing the contents of the patch",
        );
    }
    if local && !a.positional.is_empty() {
        return fail(cx.out, "cannot specify --local and server resources");
    }
    if local && dry == DryRun::Server {
        return fail(cx.out, super::LOCAL_SERVER_DRY_RUN);
    }
    let ty = match a.str("type").map(str::to_lowercase).as_deref() {
        None | Some("") | Some("strategic") => PatchType::Strategic,
        Some("merge") => PatchType::Merge,
        Some("json") => PatchType::Json,
        Some(_) => {
            return fail(
                cx.out,
                format!(
                    "--type must be one of [json merge strategic], not {:?}",
                    a.str("type").unwrap_or("")
                ),
            )
        }
    };
    let format = output::format_of(&a);
    if let Err(e) = output::check_format(&format) {
        return fail(cx.out, e);
    }
    let text = if !patch_file.is_empty() {
        match cx.fs.read(&patch_file) {
            Some(b) => String::from_utf8_lossy(&b).into_owned(),
            None => {
                return fail(
                    cx.out,
                    format!(
                        "unable to read patch file: open {patch_file}: no such file or directory"
                    ),
                )
            }
        }
    } else {
        patch_text.clone()
    };
    let patch = match parse_patch(&text) {
        Ok(p) => p,
        Err(e) => return fail(cx.out, format!("unable to parse {patch_text:?}: {e}")),
    };
    let ns = namespace_of(cx, &a);
    let files = a.all("filename");
    let found = if local {
        let sources =
            match resource::read_sources(cx.fs, &mut cx.stdin, &files, a.bool("recursive")) {
                Ok(s) => s,
                Err(e) => return fail(cx.out, e),
            };
        let docs = match resource::documents(&sources) {
            Ok(d) => d,
            Err(e) => return fail(cx.out, e),
        };
        docs.into_iter()
            .map(|(source, doc)| {
                let obj = resource::decode_doc(&source, &doc);
                let (info, name) = match &obj {
                    Ok(o) => (o.info(), o.name().to_string()),
                    Err(_) => (kubeplay_api::registry::info(Kind::Pod), String::new()),
                };
                resource::Found {
                    info,
                    ns: ns.clone(),
                    name,
                    source: Some(source),
                    obj,
                }
            })
            .collect()
    } else {
        let scope = Scope::of(&a, &files, &ns);
        match resource::find(
            cx.world,
            cx.fs,
            &mut cx.stdin,
            &scope,
            &a.positional,
            &resource::Options::default(),
        ) {
            Ok(f) => f,
            Err(e) => return fail(cx.out, e),
        }
    };
    let mut errs = Vec::new();
    let mut count = 0;
    for f in found {
        let live = match f.obj {
            Ok(o) => o,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        count += 1;
        if local && ty == PatchType::Strategic {
            // kubectl can merge strategically without a server only for built-in types,
            // which are all kubeplay has.
        }
        let current = object_value(&live);
        let patched = match apply_patch(live.kind(), &current, &patch, ty) {
            Ok(v) => v,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        let mut new_obj = match decode_patched(&patched) {
            Ok(o) => o,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        let changed = new_obj != live && object_value(&new_obj) != current;
        super::record(&a, "patch", &mut new_obj);
        let result = match super::send_update(cx, new_obj, local || dry == DryRun::Client, dry) {
            Ok(o) => o,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        let op = if changed {
            "patched"
        } else {
            "patched (no change)"
        };
        let suffix = if local { "" } else { dry.suffix() };
        print_result(
            cx,
            f.info,
            &object_value(&result),
            &format!("{op}{suffix}"),
            &format,
        );
    }
    if count == 0 && errs.is_empty() {
        errs.push(VerbError::Msg("no objects passed to patch".into()));
    }
    Exec::Done(print_errors(cx.out, &errs))
}

/// `yaml.ToJSON` of the patch text: JSON or YAML, one document.
fn parse_patch(text: &str) -> Result<Value, String> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Ok(v);
    }
    match decode::parse_documents(text) {
        Ok(mut docs) if docs.len() == 1 => Ok(docs.remove(0)),
        Ok(docs) if docs.is_empty() => Ok(Value::Null),
        Ok(mut docs) => Ok(docs.remove(0)),
        Err(DecodeError::Syntax { message, .. }) => Err(message),
        Err(e) => Err(e.message()),
    }
}

fn apply_patch(
    kind: Kind,
    current: &Value,
    patch: &Value,
    ty: PatchType,
) -> Result<Value, VerbError> {
    let invalid = |msg: String| {
        VerbError::Api(
            ApiError::new(Reason::Invalid, format!("The request is invalid: {msg}")),
            None,
        )
    };
    match ty {
        PatchType::Strategic => {
            if !patch.is_object() {
                return Err(VerbError::Api(
                    ApiError::bad_request(format!(
                        "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                        json_type(patch)
                    )),
                    None,
                ));
            }
            merge::strategic_merge(kind, current, patch).map_err(invalid)
        }
        PatchType::Merge => Ok(merge::json_merge(current, patch)),
        PatchType::Json => {
            if !patch.is_array() {
                return Err(VerbError::Api(
                    ApiError::bad_request(format!(
                        "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                        json_type(patch)
                    )),
                    None,
                ));
            }
            merge::json_patch(current, patch).map_err(invalid)
        }
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
        Value::Object(_) => "object",
    }
}

/// The patched object, decoded strictly as the server would.
fn decode_patched(v: &Value) -> Result<Object, VerbError> {
    decode::decode(v).map_err(|e| VerbError::Api(ApiError::bad_request(e.message()), None))
}
