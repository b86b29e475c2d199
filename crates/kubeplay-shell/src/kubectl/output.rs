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

/// What a client dry run of a file's document prints: kubectl sends nothing and decodes
/// nothing, so it prints the document as it read it (unknown or misplaced fields, and the
/// `null` a mis-indented key leaves, included), with what kubectl itself set in its metadata
/// (`obj`'s namespace and annotations: `--save-config`, `--record`, apply's
/// last-applied-configuration).
pub fn client_view(doc: &Value, obj: &Object) -> Value {
    let mut v = doc.clone();
    let Some(Value::Object(meta)) = v.get_mut("metadata") else {
        return v;
    };
    if let Some(ns) = &obj.meta().namespace {
        meta.insert("namespace".into(), Value::String(ns.clone()));
    }
    if let Some(a) = obj.meta().annotations.as_ref().filter(|a| !a.is_empty()) {
        let mut all = match meta.remove("annotations") {
            Some(Value::Object(own)) => own,
            _ => Default::default(),
        };
        all.extend(a.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))));
        meta.insert("annotations".into(), Value::Object(all));
    }
    v
}

/// An object as kubectl's typed decoding of a file leaves it (`set image|env|serviceaccount
/// --local` print it so): Go struct fields that are not pointers are never left out, so where
/// the file has none they print empty. A pod's and a workload's `status: {}`, each
/// container's `resources: {}`, a Deployment's `strategy: {}`, a template's `metadata`, and
/// a ReplicaSet's `status.replicas: 0` (that field has no omitempty).
pub fn typed(obj: &mut Object) {
    use kubeplay_api::k8s_openapi::api::core::v1::{PodSpec, PodTemplateSpec};
    fn containers(spec: &mut PodSpec) {
        for c in spec
            .init_containers
            .iter_mut()
            .flatten()
            .chain(spec.containers.iter_mut())
        {
            c.resources.get_or_insert_with(Default::default);
        }
    }
    fn template(t: &mut PodTemplateSpec) {
        t.metadata.get_or_insert_with(Default::default);
        if let Some(spec) = &mut t.spec {
            containers(spec);
        }
    }
    match obj {
        Object::Pod(p) => {
            if let Some(spec) = &mut p.spec {
                containers(spec);
            }
            p.status.get_or_insert_with(Default::default);
        }
        Object::Deployment(d) => {
            d.spec.strategy.get_or_insert_with(Default::default);
            template(&mut d.spec.template);
            d.status.get_or_insert_with(Default::default);
        }
        Object::ReplicaSet(r) => {
            if let Some(t) = &mut r.spec.template {
                template(t);
            }
            r.status.get_or_insert_with(Default::default);
        }
        _ => {}
    }
}

/// Before each object a command prints after its first with one printer (set_env.go's,
/// set_image.go's): YAML's document separator.
pub fn separate(cx: &mut Cx<'_>, format: &str, printed: &mut usize) {
    if format == "yaml" && *printed > 0 {
        cx.out.out("---\n");
    }
    *printed += 1;
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
            print_template(cx, obj, other);
        }
    }
}

/// `-o jsonpath=…|go-template=…` (and their file forms) of one value; false when it failed
/// (the error printed).
pub fn print_template(cx: &mut Cx<'_>, obj: &Value, format: &str) -> bool {
    use crate::print::output::{parse, Format};
    let text = match parse(Some(format), None, cx.fs) {
        Ok(Format::JsonPath { path, as_json }) => path
            .execute(obj, as_json)
            .map_err(|e| crate::print::jsonpath::exec_error_message(path.source(), &e, obj)),
        Ok(Format::GoTemplate(t)) => t.execute(obj).map_err(|e| format!("error: {e}\n")),
        Ok(_) => Err(format!("error: unable to match a printer suitable for the output format \"{format}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n")),
        Err(e) => Err(e),
    };
    match text {
        Ok(t) => {
            cx.out.out(t);
            true
        }
        Err(e) => {
            cx.out.err(e);
            false
        }
    }
}
