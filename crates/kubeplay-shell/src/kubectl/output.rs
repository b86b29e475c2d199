//! How the write verbs print what they did: kubectl's name printer (`deployment.apps/web
//! created`), `-o name`, and `-o yaml|json` of the resulting object.

use super::Cx;
use kubeplay_api::registry::ResourceInfo;
use kubeplay_api::Object;
use serde_json::Value;

/// The object as `-o yaml|json` shows it: `apiVersion` and `kind` set, managed fields left out.
pub fn object_value(obj: &Object) -> Value {
    let mut v = obj.to_value();
    let info = obj.info();
    if let Value::Object(m) = &mut v {
        m.insert("apiVersion".into(), Value::String(info.api_version()));
        m.insert("kind".into(), Value::String(info.kind.as_str().into()));
        if let Some(Value::Object(meta)) = m.get_mut("metadata") {
            meta.remove("managedFields");
        }
    }
    v
}

pub fn yaml(v: &Value) -> String {
    crate::print::yaml::to_yaml(v)
}

pub fn json(v: &Value) -> String {
    crate::print::json::to_json(v)
}

/// `-o`, with `--template` folded in (`-o go-template --template=X` is `-o go-template=X`).
pub fn format_of(a: &super::flags::Args) -> String {
    let o = a.str("output").unwrap_or("");
    match a.str("template").filter(|t| !t.is_empty()) {
        Some(t)
            if matches!(
                o,
                "template"
                    | "go-template"
                    | "jsonpath"
                    | "jsonpath-as-json"
                    | "templatefile"
                    | "go-template-file"
                    | "jsonpath-file"
            ) =>
        {
            format!("{o}={t}")
        }
        _ => o.to_string(),
    }
}

/// The output formats a write verb accepts.
pub fn check_format(fmt: &str) -> Result<(), String> {
    match fmt {
        "" | "name" | "yaml" | "json" => Ok(()),
        f if f.starts_with("jsonpath")
            || f.starts_with("go-template")
            || f.starts_with("template") =>
        {
            Ok(())
        }
        other => Err(format!(
            "unable to match a printer suitable for the output format \"{other}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
        )),
    }
}

/// Print one result: `<type>/<name> <operation>`, or the object in the `-o` format.
pub fn print_result(
    cx: &mut Cx<'_>,
    info: &ResourceInfo,
    obj: &Value,
    operation: &str,
    format: &str,
) {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    match format {
        "" => cx.out.out(format!(
            "{}/{} {}\n",
            info.singular_group(),
            name,
            operation
        )),
        "name" => cx.out.out(format!("{}/{}\n", info.singular_group(), name)),
        "yaml" => cx.out.out(yaml(obj)),
        "json" => cx.out.out(json(obj)),
        other => {
            use crate::print::output::{parse, Format};
            let text = match parse(Some(other), None, cx.fs) {
                Ok(Format::JsonPath { path, as_json }) => path
                    .execute(obj, as_json)
                    .map_err(|e| crate::print::jsonpath::exec_error_message(path.source(), &e, obj)),
                Ok(Format::GoTemplate(t)) => t.execute(obj).map_err(|e| format!("error: {e}\n")),
                Ok(_) => Err(format!("error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n")),
                Err(e) => Err(e),
            };
            match text {
                Ok(t) => cx.out.out(t),
                Err(e) => cx.out.err(e),
            }
        }
    }
}
