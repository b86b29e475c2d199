//! JSON exactly as `kubectl -o json` prints it: Go's `json.MarshalIndent(obj, "", "    ")` of
//! an unstructured object (map keys sorted bytewise, `<`, `>`, `&`, U+2028 and U+2029 escaped
//! as `\u003c`...), followed by a newline.

use serde_json::Value;

/// Render `v` with 4-space indentation and a trailing newline.
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0, "    ", &Fields::Sorted);
    out.push('\n');
    out
}

/// Compact JSON as Go's `json.Marshal` writes it (HTML-escaped), as JSONPath prints maps and
/// lists.
pub fn to_compact(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0, "", &Fields::Sorted);
    out
}

/// The field names of a typed Go object's structs in declaration order, by the dotted key path
/// of the struct (`""`, `"metadata"`, `"spec.template"`); `None` for a map.
pub type StructOrder = fn(&str) -> Option<&'static [&'static str]>;

/// `json.MarshalIndent(obj, "", "    ")` of a typed object (as kubectl prints what it built
/// itself in a client dry run): struct fields in declaration order, map keys sorted.
pub fn to_json_typed(v: &Value, order: StructOrder) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0, "    ", &Fields::Typed(order, String::new()));
    out.push('\n');
    out
}

enum Fields {
    Sorted,
    Typed(StructOrder, String),
}

impl Fields {
    fn keys<'a>(&self, m: &'a serde_json::Map<String, Value>) -> Vec<&'a String> {
        let mut keys: Vec<&String> = m.keys().collect();
        kubeplay_sort::sort(&mut keys);
        if let Fields::Typed(order, path) = self {
            if let Some(o) = order(path) {
                kubeplay_sort::sort_by_key(&mut keys, |k| {
                    o.iter().position(|f| f == k).unwrap_or(o.len())
                });
            }
        }
        keys
    }
    fn child(&self, key: &str) -> Fields {
        match self {
            Fields::Sorted => Fields::Sorted,
            Fields::Typed(order, path) if path.is_empty() => Fields::Typed(*order, key.to_string()),
            Fields::Typed(order, path) => Fields::Typed(*order, format!("{path}.{key}")),
        }
    }
    fn item(&self) -> Fields {
        match self {
            Fields::Sorted => Fields::Sorted,
            Fields::Typed(order, path) => Fields::Typed(*order, path.clone()),
        }
    }
}

fn newline(out: &mut String, depth: usize, indent: &str) {
    if indent.is_empty() {
        return;
    }
    out.push('\n');
    for _ in 0..depth {
        out.push_str(indent);
    }
}

fn write_value(out: &mut String, v: &Value, depth: usize, indent: &str, fields: &Fields) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            let item = fields.item();
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1, indent);
                write_value(out, x, depth + 1, indent, &item);
            }
            newline(out, depth, indent);
            out.push(']');
        }
        Value::Object(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, k) in fields.keys(m).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1, indent);
                write_string(out, k);
                out.push(':');
                if !indent.is_empty() {
                    out.push(' ');
                }
                write_value(out, &m[k], depth + 1, indent, &fields.child(k));
            }
            newline(out, depth, indent);
            out.push('}');
        }
    }
}

/// Go's `encoding/json` string encoding with HTML escaping.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    let a = f.abs();
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        // Go: 'e' format, exponent without leading zeros beyond one digit.
        let e = format!("{f:e}");
        let (m, x) = e.split_once('e').unwrap_or((&e, "0"));
        let x: i32 = x.parse().unwrap_or(0);
        let sign = if x < 0 { '-' } else { '+' };
        let x = x.abs();
        if x < 10 {
            format!("{m}e{sign}0{x}")
        } else {
            format!("{m}e{sign}{x}")
        }
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indented_sorted_html_escaped() {
        let v = json!({"kind": "ConfigMap", "data": {"html": "<a>&", "emoji": "héllo 😀"}, "e": {}, "l": []});
        assert_eq!(
            to_json(&v),
            "{\n    \"data\": {\n        \"emoji\": \"héllo 😀\",\n        \"html\": \"\\u003ca\\u003e\\u0026\"\n    },\n    \"e\": {},\n    \"kind\": \"ConfigMap\",\n    \"l\": []\n}\n"
        );
        assert_eq!(
            to_compact(&json!({"b": [1, 2], "a": "x"})),
            "{\"a\":\"x\",\"b\":[1,2]}"
        );
    }
}
