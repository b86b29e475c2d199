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
    fallback::to_yaml(v)
}

pub fn json(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// A small go-yaml-like emitter, until the printers' own lands.
mod fallback {
    use serde_json::Value;

    pub fn to_yaml(v: &Value) -> String {
        let mut s = String::new();
        node(v, 0, &mut s, true);
        if !s.ends_with('\n') {
            s.push('\n');
        }
        s
    }

    fn scalar(v: &Value) -> String {
        match v {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => {
                let special = s.is_empty()
                    || s.parse::<f64>().is_ok()
                    || ["true", "false", "null", "yes", "no", "on", "off", "~", "y", "n"]
                        .contains(&s.to_lowercase().as_str())
                    || s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
                    || s.ends_with(' ')
                    || s.contains(": ")
                    || s.contains(" #");
                if special {
                    serde_json::to_string(s).unwrap_or_default()
                } else {
                    s.clone()
                }
            }
            Value::Array(_) => "[]".into(),
            Value::Object(_) => "{}".into(),
        }
    }

    fn is_block(v: &Value) -> bool {
        match v {
            Value::Array(a) => !a.is_empty(),
            Value::Object(m) => !m.is_empty(),
            _ => false,
        }
    }

    fn node(v: &Value, indent: usize, s: &mut String, _top: bool) {
        let pad = " ".repeat(indent);
        match v {
            Value::Object(m) if !m.is_empty() => {
                for (k, val) in m {
                    s.push_str(&pad);
                    s.push_str(&scalar(&Value::String(k.clone())));
                    s.push(':');
                    match val {
                        Value::Object(_) if is_block(val) => {
                            s.push('\n');
                            node(val, indent + 2, s, false);
                        }
                        Value::Array(_) if is_block(val) => {
                            s.push('\n');
                            node(val, indent, s, false);
                        }
                        Value::String(t) if t.contains('\n') => {
                            s.push_str(if t.ends_with('\n') { " |\n" } else { " |-\n" });
                            for line in t.trim_end_matches('\n').split('\n') {
                                if !line.is_empty() {
                                    s.push_str(&pad);
                                    s.push_str("  ");
                                    s.push_str(line);
                                }
                                s.push('\n');
                            }
                        }
                        _ => {
                            s.push(' ');
                            s.push_str(&scalar(val));
                            s.push('\n');
                        }
                    }
                }
            }
            Value::Array(a) if !a.is_empty() => {
                for item in a {
                    s.push_str(&pad);
                    s.push_str("- ");
                    if is_block(item) {
                        let mut inner = String::new();
                        node(item, indent + 2, &mut inner, false);
                        s.push_str(inner.trim_start());
                    } else {
                        s.push_str(&scalar(item));
                        s.push('\n');
                    }
                }
            }
            other => {
                s.push_str(&pad);
                s.push_str(&scalar(other));
                s.push('\n');
            }
        }
    }
}

/// The output formats a write verb accepts.
pub fn check_format(fmt: &str) -> Result<(), String> {
    match fmt {
        "" | "name" | "yaml" | "json" => Ok(()),
        f if f.starts_with("jsonpath") || f.starts_with("go-template") || f.starts_with("template") => Ok(()),
        other => Err(format!(
            "unable to match a printer suitable for the output format \"{other}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
        )),
    }
}

/// Print one result: `<type>/<name> <operation>`, or the object in the `-o` format.
pub fn print_result(cx: &mut Cx<'_>, info: &ResourceInfo, obj: &Value, operation: &str, format: &str) {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    match format {
        "" => cx
            .out
            .out(format!("{}/{} {}\n", info.singular_group(), name, operation)),
        "name" => cx.out.out(format!("{}/{}\n", info.singular_group(), name)),
        "yaml" => cx.out.out(yaml(obj)),
        "json" => cx.out.out(format!("{}\n", json(obj))),
        other => {
            cx.out.err(format!(
                "error: output format \"{other}\" is not available for this command in kubeplay\n"
            ));
        }
    }
}
