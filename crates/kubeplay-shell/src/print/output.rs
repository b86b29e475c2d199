//! `-o FORMAT`: which printer kubectl picks, and the printers that work on any object (yaml,
//! json, name, jsonpath, custom-columns, go-template). Tables are the caller's business.

use super::gotemplate::GoTemplate;
use super::jsonpath::{self, JsonPath};
use super::table::tabwrite;
use super::{json, yaml};
use crate::fs::Vfs;
use kubeplay_api::Object;
use serde_json::{json, Value};

#[derive(Clone, Debug)]
pub enum Format {
    /// The server-side table (`wide`: `-o wide`).
    Table {
        wide: bool,
    },
    Yaml,
    Json,
    Name,
    JsonPath {
        path: JsonPath,
        as_json: bool,
    },
    CustomColumns(Vec<Column>),
    GoTemplate(GoTemplate),
}

#[derive(Clone, Debug)]
pub struct Column {
    pub header: String,
    pub path: Option<JsonPath>,
}

/// Formats `kubectl get` accepts, as its error message lists them.
const GET_FORMATS: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

impl Format {
    pub fn is_table(&self) -> bool {
        matches!(self, Format::Table { .. })
    }
}

/// Resolve `-o` (and `--template`) as `kubectl get` does. Errors are complete kubectl messages.
pub fn parse(output: Option<&str>, template: Option<&str>, fs: &Vfs) -> Result<Format, String> {
    let o = output.unwrap_or("");
    let (name, arg) = match o.split_once('=') {
        Some((n, a)) => (n, Some(a.to_string())),
        None => (o, None),
    };
    let read = |path: &str| -> Result<String, String> {
        fs.read(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .ok_or_else(|| {
                format!("error: error reading --template {path}, open {path}: no such file or directory\n")
            })
    };
    let template_arg = || -> Result<String, String> {
        match arg.clone().or_else(|| template.map(String::from)) {
            Some(t) if !t.is_empty() => Ok(t),
            _ => Err("error: template format specified but no template given\n".into()),
        }
    };
    Ok(match name {
        "" => Format::Table { wide: false },
        "wide" => Format::Table { wide: true },
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        "name" => Format::Name,
        "jsonpath" | "jsonpath-as-json" | "jsonpath-file" => {
            let t = template_arg()?;
            let t = if name == "jsonpath-file" { read(&t)? } else { t };
            let path = JsonPath::parse(&t)
                .map_err(|e| format!("error: error parsing jsonpath {t}, {e}\n"))?;
            Format::JsonPath {
                path,
                as_json: name == "jsonpath-as-json",
            }
        }
        "go-template" | "template" | "go-template-file" | "templatefile" => {
            let t = template_arg()?;
            let t = if name.ends_with("file") { read(&t)? } else { t };
            let tpl = GoTemplate::parse(&t)
                .map_err(|e| format!("error: error parsing template {t}, {e}\n"))?;
            Format::GoTemplate(tpl)
        }
        "custom-columns" | "custom-columns-file" => {
            let spec = match arg.clone() {
                Some(s) if !s.is_empty() => s,
                _ => {
                    return Err(
                        "error: custom-columns format specified but no custom columns given\n"
                            .into(),
                    )
                }
            };
            let cols = if name == "custom-columns-file" {
                columns_from_file(&read(&spec)?)?
            } else {
                columns_from_spec(&spec)?
            };
            Format::CustomColumns(cols)
        }
        _ => {
            return Err(format!(
                "error: unable to match a printer suitable for the output format \"{o}\", allowed formats are: {GET_FORMATS}\n"
            ))
        }
    })
}

fn column(header: &str, spec: &str) -> Result<Column, String> {
    let expr = jsonpath::relaxed(spec).map_err(|e| format!("error: {e}\n"))?;
    let path = if expr.is_empty() {
        None
    } else {
        Some(
            JsonPath::parse(&expr)
                .map_err(|e| format!("error: error parsing jsonpath {expr}, {e}\n"))?,
        )
    };
    Ok(Column {
        header: header.to_string(),
        path,
    })
}

/// `NAME:.metadata.name,IMAGE:.spec.containers[*].image`
pub fn columns_from_spec(spec: &str) -> Result<Vec<Column>, String> {
    let mut cols = Vec::new();
    for part in spec.split(',') {
        let Some((h, p)) = part.split_once(':') else {
            return Err(format!(
                "error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>\n"
            ));
        };
        cols.push(column(h, p)?);
    }
    Ok(cols)
}

/// A file whose first line holds the headers and second line the paths, whitespace-separated.
pub fn columns_from_file(text: &str) -> Result<Vec<Column>, String> {
    let mut lines = text.lines();
    let headers: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
    let specs: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
    if headers.len() != specs.len() {
        return Err(format!(
            "error: number of headers ({}) and field specifications ({}) don't match\n",
            headers.len(),
            specs.len()
        ));
    }
    headers
        .iter()
        .zip(specs.iter())
        .map(|(h, s)| column(h, s))
        .collect()
}

/// The `List` kubectl wraps several objects in for `-o yaml|json|jsonpath`.
pub fn list_value(items: Vec<Value>) -> Value {
    json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// The object as the generic printers see it: managed fields hidden, as kubectl does unless
/// `--show-managed-fields`.
pub fn value_of(o: &Object) -> Value {
    let mut v = o.to_value();
    if let Some(Value::Object(m)) = v.get_mut("metadata") {
        m.remove("managedFields");
    }
    v
}

/// `deployment.apps/web`.
pub fn object_name(o: &Object) -> String {
    format!("{}/{}", o.info().singular_group(), o.name())
}

/// Print `objs` with a non-table format. `single`: one object was asked for by name, so it is
/// printed bare rather than in a `List`. `no_headers` applies to custom columns.
pub fn print_objects(
    objs: &[Object],
    single: bool,
    format: &Format,
    no_headers: bool,
) -> Result<String, String> {
    let values = || -> Value {
        if single && objs.len() == 1 {
            value_of(&objs[0])
        } else {
            list_value(objs.iter().map(value_of).collect())
        }
    };
    match format {
        Format::Table { .. } => Ok(String::new()),
        Format::Yaml => Ok(yaml::to_yaml(&values())),
        Format::Json => Ok(json::to_json(&values())),
        Format::Name => {
            let mut out = String::new();
            for o in objs {
                out.push_str(&object_name(o));
                out.push('\n');
            }
            Ok(out)
        }
        Format::JsonPath { path, as_json } => {
            let v = values();
            path.execute(&v, *as_json)
                .map_err(|e| jsonpath::exec_error_message(path.source(), &e, &v))
        }
        Format::GoTemplate(t) => {
            let v = values();
            t.execute(&v).map_err(|e| format!("error: {e}\n"))
        }
        Format::CustomColumns(cols) => {
            let vals: Vec<Value> = objs.iter().map(value_of).collect();
            custom_columns(cols, &vals, no_headers)
        }
    }
}

/// The custom-columns printer: one row per object, `<none>` for paths that find nothing,
/// several values joined by `,`.
pub fn custom_columns(cols: &[Column], objs: &[Value], no_headers: bool) -> Result<String, String> {
    let mut lines: Vec<Vec<String>> = Vec::with_capacity(objs.len() + 1);
    if !no_headers {
        lines.push(cols.iter().map(|c| c.header.clone()).collect());
    }
    for o in objs {
        let mut row = Vec::with_capacity(cols.len());
        for c in cols {
            let groups = match &c.path {
                Some(p) => p.find_results(o).map_err(|e| format!("error: {}\n", e.0))?,
                None => vec![],
            };
            let mut vals: Vec<String> = Vec::new();
            if groups.is_empty() || groups[0].is_empty() {
                vals.push("<none>".into());
            }
            for g in &groups {
                for v in g {
                    vals.push(jsonpath::go_v(v));
                }
            }
            row.push(vals.join(","));
        }
        lines.push(row);
    }
    let refs: Vec<&Vec<String>> = lines.iter().collect();
    Ok(tabwrite(&refs, 6, 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(o: &str) -> Result<Format, String> {
        parse(Some(o), None, &Vfs::default())
    }

    #[test]
    fn format_errors_are_kubectls() {
        assert_eq!(
            fmt("foo").unwrap_err(),
            format!("error: unable to match a printer suitable for the output format \"foo\", allowed formats are: {GET_FORMATS}\n")
        );
        assert_eq!(
            fmt("jsonpath={.a").unwrap_err(),
            "error: error parsing jsonpath {.a, unclosed action\n"
        );
        assert_eq!(
            fmt("custom-columns=bad").unwrap_err(),
            "error: unexpected custom-columns spec: bad, expected <header>:<json-path-expr>\n"
        );
        assert!(matches!(fmt("wide"), Ok(Format::Table { wide: true })));
    }

    #[test]
    fn custom_columns_join_and_default() {
        let cols =
            columns_from_spec("NAME:.metadata.name,IMAGES:.spec.containers[*].image,X:.nope")
                .unwrap();
        let objs = vec![
            json!({"metadata": {"name": "web"}, "spec": {"containers": [{"image": "a"}, {"image": "b"}]}}),
        ];
        assert_eq!(
            custom_columns(&cols, &objs, false).unwrap(),
            "NAME   IMAGES   X\nweb    a,b      <none>\n"
        );
    }
}
