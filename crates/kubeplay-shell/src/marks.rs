//! Where in a manifest the errors of `kubectl apply -f FILE` point, so that an editor can mark
//! those lines with kubectl's own message. kubectl names a YAML syntax error's line, a field's
//! path (strict decoding, wrong types, validation causes), or only the object; this finds the
//! line of each in the file's text. Block-style YAML is read line by line (flow style and JSON
//! fall back to the object's first line).

use kubeplay_api::configdata::go_base64_decode;

/// One error at one line (1-based) of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub line: usize,
    pub message: String,
}

/// A key or list item of a document: its path (`spec.containers[0].image`), 1-based line in
/// the file, and its scalar value as written (quotes removed; empty for blocks).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Node {
    path: String,
    line: usize,
    value: String,
}

/// One document of the file: where it starts and its keys.
#[derive(Debug, Default)]
struct Doc {
    first: usize,
    nodes: Vec<Node>,
}

impl Doc {
    fn value(&self, path: &str) -> Option<&str> {
        self.nodes
            .iter()
            .find(|n| n.path == path)
            .map(|n| n.value.as_str())
    }

    /// The line of `path`, else of its nearest ancestor that is written, else the document's
    /// first line. A path without list indices (Go's `struct field` form) matches the first
    /// node with the same keys.
    fn line_of(&self, path: &str) -> usize {
        let mut p = path.to_string();
        loop {
            let hit = self
                .nodes
                .iter()
                .find(|n| n.path == p)
                .or_else(|| self.nodes.iter().find(|n| strip_indices(&n.path) == p));
            if let Some(n) = hit {
                return n.line;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => return self.first,
            }
        }
    }
}

fn strip_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut skip = false;
    for c in path.chars() {
        match c {
            '[' => skip = true,
            ']' => skip = false,
            c if !skip => out.push(c),
            _ => {}
        }
    }
    out
}

/// A plain or quoted scalar as written, without its quotes or a trailing comment.
fn scalar(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q) {
            if let Some(end) = inner.find(q) {
                return inner[..end].to_string();
            }
        }
    }
    match s.find(" #") {
        Some(i) => s[..i].trim_end().to_string(),
        None => s.to_string(),
    }
}

/// Split `key: value` at the colon that ends the key (not one inside quotes), if the line is a
/// mapping entry.
fn split_key(c: &str) -> Option<(String, &str)> {
    let b = c.as_bytes();
    let (key, after) = if matches!(b.first(), Some(b'"' | b'\'')) {
        let end = c[1..].find(c.as_bytes()[0] as char)? + 1;
        (c[1..end].to_string(), &c[end + 1..])
    } else {
        let i = (0..b.len()).find(|&i| b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' '))?;
        (c[..i].trim_end().to_string(), &c[i..])
    };
    let rest = after.trim_start().strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, rest.trim()))
}

struct Frame {
    indent: usize,
    path: String,
    seq: bool,
    count: usize,
}

/// Read the documents of `text`.
fn documents(text: &str) -> Vec<Doc> {
    let mut docs = vec![Doc {
        first: 1,
        nodes: Vec::new(),
    }];
    let mut stack: Vec<Frame> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    let mut block_scalar: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw == "---" || raw.starts_with("--- ") || raw == "..." {
            docs.push(Doc {
                first: line + 1,
                nodes: Vec::new(),
            });
            stack.clear();
            pending = None;
            block_scalar = None;
            continue;
        }
        let content = raw.trim_start_matches(' ');
        let indent = raw.len() - content.len();
        if let Some(b) = block_scalar {
            if content.is_empty() || indent > b {
                continue;
            }
            block_scalar = None;
        }
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let doc = docs.last_mut().expect("one document at least");
        if doc.nodes.is_empty() && stack.is_empty() {
            doc.first = line;
        }
        let is_item = content == "-" || content.starts_with("- ");
        if let Some((ki, path)) = pending.take() {
            if indent > ki || (indent == ki && is_item) {
                stack.push(Frame {
                    indent,
                    path,
                    seq: is_item,
                    count: 0,
                });
            }
        }
        while let Some(top) = stack.last() {
            if indent < top.indent || (indent == top.indent && top.seq != is_item) {
                stack.pop();
            } else {
                break;
            }
        }
        if stack.is_empty() {
            stack.push(Frame {
                indent,
                path: String::new(),
                seq: is_item,
                count: 0,
            });
        }
        let (mut indent, mut content) = (indent, content);
        let top = stack.last_mut().expect("pushed above");
        if top.seq && is_item {
            let path = format!("{}[{}]", top.path, top.count);
            top.count += 1;
            let rest = content[1..].trim_start_matches(' ');
            let value = if split_key(rest).is_some() {
                String::new()
            } else {
                scalar(rest)
            };
            doc.nodes.push(Node {
                path: path.clone(),
                line,
                value,
            });
            if rest.is_empty() {
                pending = Some((indent, path));
                continue;
            }
            if split_key(rest).is_none() {
                continue;
            }
            // `- key: value` starts a mapping at the key's column.
            indent += content.len() - rest.len();
            content = rest;
            stack.push(Frame {
                indent,
                path,
                seq: false,
                count: 0,
            });
        }
        let Some((key, value)) = split_key(content) else {
            continue;
        };
        let top = stack.last().expect("pushed above");
        let path = if top.path.is_empty() {
            key
        } else {
            format!("{}.{key}", top.path)
        };
        let v = value.trim_start();
        if v.is_empty() || v.starts_with('#') {
            pending = Some((indent, path.clone()));
        } else if v.starts_with('|') || v.starts_with('>') {
            block_scalar = Some(indent);
        }
        doc.nodes.push(Node {
            path,
            line,
            value: if v.starts_with('|') || v.starts_with('>') {
                String::new()
            } else {
                scalar(v)
            },
        });
    }
    docs.retain(|d| !d.nodes.is_empty());
    docs
}

/// The object an error names: its kind (`Pod`, or a plural such as `deployments.apps`) and
/// name, as far as the message says.
fn object_of(msg: &str) -> (Option<String>, Option<String>) {
    if let Some(rest) = msg.strip_prefix("The ") {
        let mut it = rest.splitn(2, ' ');
        let kind = it.next().map(str::to_string);
        let name = it
            .next()
            .and_then(|r| r.strip_prefix('"'))
            .and_then(|r| r.split('"').next())
            .map(str::to_string);
        return (kind, name);
    }
    if let Some(i) = msg.find(" cannot be handled as a") {
        let before = &msg[..i];
        let kind = before
            .rsplit(": ")
            .next()
            .and_then(|s| s.split(" in version").next())
            .map(str::to_string);
        return (kind, None);
    }
    // error when creating "f.yaml": pods "p" is forbidden: ...
    if let Some(i) = msg.find("\": ") {
        let mut it = msg[i + 3..].splitn(2, ' ');
        let plural = it.next().unwrap_or("");
        let name = it
            .next()
            .and_then(|r| r.strip_prefix('"'))
            .and_then(|r| r.split('"').next());
        if let Some(n) = name {
            return (Some(plural.to_string()), Some(n.to_string()));
        }
    }
    (None, None)
}

/// The field paths an error names.
fn paths_of(msg: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in msg.match_indices("unknown field \"") {
        let rest = &msg[i + "unknown field \"".len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].to_string());
        }
    }
    // json: cannot unmarshal string into Go struct field ContainerPort.spec.template...port of type int32
    if let Some(i) = msg.find("Go struct field ") {
        let rest = &msg[i + "Go struct field ".len()..];
        let field = rest.split(' ').next().unwrap_or("");
        // The first segment is the Go type.
        if let Some((_, path)) = field.split_once('.') {
            out.push(path.to_string());
        }
    }
    // Validation causes: `* spec.replicas: Invalid value: ...`, or the single cause after
    // `is invalid: `.
    for l in msg.lines() {
        let l = l.trim_start();
        let cause = if let Some(c) = l.strip_prefix("* ") {
            Some(c)
        } else {
            l.find(" is invalid: ")
                .map(|i| &l[i + " is invalid: ".len()..])
        };
        if let Some(c) = cause {
            if let Some((p, _)) = c.split_once(": ") {
                if !p.contains(' ') && !p.is_empty() {
                    out.push(p.to_string());
                }
            }
        }
    }
    out
}

/// kubectl's error output split into its messages: a message starts at a line that does not
/// continue the one before (cause lines `* ...` and indented lines continue it).
fn messages(errors: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in errors.lines() {
        if l.trim().is_empty() {
            continue;
        }
        let continues = l.starts_with("* ") || l.starts_with(' ');
        match out.last_mut() {
            Some(m) if continues => {
                m.push('\n');
                m.push_str(l);
            }
            _ => out.push(l.to_string()),
        }
    }
    out.retain(|m| !m.starts_with("Warning:"));
    out
}

/// The marks for `errors` (what `kubectl apply -f FILE` printed on stderr) in FILE's `text`,
/// in line order. Messages about other files, and warnings, mark nothing.
pub fn locate(file: &str, text: &str, errors: &str) -> Vec<Mark> {
    let docs = documents(text);
    let mut marks = Vec::new();
    for msg in messages(errors) {
        let other_file = msg.contains(" \"") && msg.contains("error when ") && {
            !msg.contains(&format!("\"{file}\""))
        };
        if other_file {
            continue;
        }
        // YAML syntax: marked at the problem's line in the file. The message's `yaml: line
        // N` counts from the first line of the failing document, and is go-yaml's number,
        // which may be the line above the problem or missing.
        let json = msg.contains("error parsing ")
            && (msg.contains(": json: offset ") || msg.trim_end().ends_with(": unexpected EOF"));
        if let Some(i) = msg
            .find("error converting YAML to JSON: yaml: ")
            .or(json.then_some(msg.len()))
        {
            let n: String = msg[i..]
                .trim_start_matches("error converting YAML to JSON: yaml: line ")
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let in_file = kubeplay_api::decode::parse_documents_until_error(text)
                .1
                .and_then(|(_, line)| line);
            if let Some(line) = in_file.or(n.parse().ok()) {
                marks.push(Mark {
                    line,
                    message: msg.clone(),
                });
            }
            continue;
        }
        if msg.contains("invalid Yaml document separator") {
            if let Some(i) = text.lines().position(|l| {
                l.strip_prefix("---")
                    .is_some_and(|r| !r.trim().is_empty() && !r.trim().starts_with('#'))
            }) {
                marks.push(Mark {
                    line: i + 1,
                    message: msg.clone(),
                });
            }
            continue;
        }
        let (kind, name) = object_of(&msg);
        let named = |d: &&Doc| {
            let k = d.value("kind").unwrap_or("");
            let kind_ok = kind.as_deref().is_none_or(|want| {
                k == want || want.split('.').next() == Some(&format!("{}s", k.to_lowercase()))
            });
            kind_ok
                && name
                    .as_deref()
                    .is_none_or(|n| d.value("metadata.name") == Some(n))
        };
        let Some(doc) = docs.iter().find(named).or(docs.first()) else {
            continue;
        };
        let mut paths = paths_of(&msg);
        if paths.is_empty() && msg.contains("illegal base64 data") {
            // The first data value Go's decoder refuses.
            paths.extend(
                doc.nodes
                    .iter()
                    .filter(|n| n.path.starts_with("data."))
                    .find(|n| go_base64_decode(&n.value).is_err())
                    .map(|n| n.path.clone()),
            );
        }
        if paths.is_empty() {
            marks.push(Mark {
                line: doc.first,
                message: msg.clone(),
            });
            continue;
        }
        // Each cause of a validation error at its own line, after the message's first line.
        let head = msg.lines().next().unwrap_or("").to_string();
        let causes: Vec<&str> = msg.lines().filter(|l| l.starts_with("* ")).collect();
        for p in &paths {
            let message = match causes
                .iter()
                .find(|c| c[2..].starts_with(&format!("{p}: ")))
            {
                Some(c) => format!("{}\n{c}", head.trim_end()),
                None => msg.clone(),
            };
            marks.push(Mark {
                line: doc.line_of(p),
                message,
            });
        }
    }
    kubeplay_sort::sort_by_key(&mut marks, |m| m.line);
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    const PODS: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  a: b
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {app: p}
spec:
  containers:
  - name: a
    image: nginx
    command:
    - sh
    - -c
    - |
      echo hi
      sleep 1
    envFrom:
    - configMapRef:
      name: c
  - name: b
    ports:
      - containerPort: \"80\"
";

    fn paths(text: &str) -> Vec<(String, usize)> {
        documents(text)
            .into_iter()
            .flat_map(|d| d.nodes)
            .map(|n| (n.path, n.line))
            .collect()
    }

    #[test]
    fn reads_block_yaml_with_indentless_lists_and_block_scalars() {
        let p = paths(PODS);
        let at = |path: &str| p.iter().find(|(q, _)| q == path).map(|x| x.1);
        assert_eq!(at("kind"), Some(2));
        assert_eq!(at("metadata.labels"), Some(12));
        assert_eq!(at("spec.containers[0]"), Some(15));
        assert_eq!(at("spec.containers[0].name"), Some(15));
        assert_eq!(at("spec.containers[0].command[2]"), Some(20));
        assert_eq!(at("spec.containers[0].envFrom[0].configMapRef"), Some(24));
        // The mis-indented `name` is a sibling of configMapRef, as the API server reads it.
        assert_eq!(at("spec.containers[0].envFrom[0].name"), Some(25));
        assert_eq!(at("spec.containers[1].ports[0].containerPort"), Some(28));
        // Nothing from inside the block scalar.
        assert!(p.iter().all(|(q, _)| !q.contains("echo")));
        let docs = documents(PODS);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].first, 8);
        assert_eq!(docs[1].value("metadata.name"), Some("p"));
    }

    #[test]
    fn strict_decoding_errors_point_at_the_unknown_field_of_the_right_document() {
        let err = "Error from server (BadRequest): error when creating \"pods.yaml\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].envFrom[0].name\"\n";
        let m = locate("pods.yaml", PODS, err);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].line, 25);
        assert_eq!(m[0].message, err.trim_end());
    }

    #[test]
    fn wrong_types_use_go_struct_paths_without_indices() {
        let err = "Error from server (BadRequest): error when creating \"pods.yaml\": Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32";
        assert_eq!(locate("pods.yaml", PODS, err)[0].line, 28);
    }

    #[test]
    fn validation_causes_each_at_their_line_and_missing_fields_at_their_parent() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: Web_1\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n";
        let err = "The Deployment \"Web_1\" is invalid: \n* metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters\n* spec.template.spec.containers[0].image: Required value\n";
        let m = locate("d.yaml", text, err);
        assert_eq!(m.iter().map(|m| m.line).collect::<Vec<_>>(), [4, 15]);
        assert_eq!(
            m[1].message,
            "The Deployment \"Web_1\" is invalid:\n* spec.template.spec.containers[0].image: Required value"
        );
        let one = "The Deployment \"Web_1\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"webx\"}: `selector` does not match template `labels`";
        assert_eq!(locate("d.yaml", text, one)[0].line, 11);
    }

    #[test]
    fn yaml_syntax_errors_at_the_parsers_line_and_bad_base64_at_the_value() {
        const PARSE: &str = "error: error parsing x.yaml: error converting YAML to JSON: yaml:";
        // (file, text, kubectl's error, the line marked)
        let cases = [
            ("x.yaml", "a: b\n".to_string(), format!("{PARSE} line 14: mapping values are not allowed in this context"), 14),
            // In a later document, kubectl counts from that document's first line.
            ("x.yaml", "a: b\n---\nc: d\n e: f\n".into(), format!("{PARSE} line 2: mapping values are not allowed in this context"), 4),
            // A parser error: go-yaml names the line above the problem; the mark is at the
            // problem. An unknown alias: no line in the message.
            ("x.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n spec:\n".into(), format!("{PARSE} line 4: did not find expected key"), 5),
            ("x.yaml", "a: b\nc: *nope\n".into(), format!("{PARSE} unknown anchor 'nope' referenced"), 2),
            // JSON that is not YAML either: Go's error, marked at its line.
            ("x.json", "{\n  \"a\": \"x\",\n  \"b\": \"\\u12g4\"\n}\n".into(), "error: error parsing x.json: json: offset 27: invalid character 'g' in \\u hexadecimal character escape".into(), 3),
            ("x.yaml", "a: b\n--- !x\nc: d\n".into(), "error: error parsing x.yaml: invalid Yaml document separator: !x".into(), 2),
            ("s.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  DB_HOST: \"bXlzcWw=\"\n  DB_USER: \"cm9v!\"\n".into(), "Error from server (BadRequest): error when creating \"s.yaml\": Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 4".into(), 7),
        ];
        for (file, text, err, line) in cases {
            assert_eq!(locate(file, &text, &err)[0].line, line, "{err}");
        }
    }

    #[test]
    fn any_text_and_any_message_give_marks_without_panicking() {
        // Fragments that stress the line reader: quotes, colons, dashes, block scalars, flow
        // style, tabs, multi-byte characters, document markers.
        const BITS: &[&str] = &[
            "a",
            ":",
            ": ",
            "- ",
            "-",
            "\"",
            "'",
            "#",
            " ",
            "  ",
            "\t",
            "\n",
            "|",
            ">",
            "{",
            "[",
            "---",
            "é",
            "😀",
            "data",
            "name",
            "kind: Pod",
            "metadata:",
            "  name: x",
            "key: \"v",
        ];
        const MSGS: &[&str] = &[
            "yaml: line 3: x",
            "yaml: line 99999999999999999999: x",
            "The Pod \"x\" is invalid: \n* spec.a[0].b: Required value\n* : x",
            "error when creating \"f.yaml\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"a.b[\", unknown field \"",
            "Go struct field .",
            "Go struct field X.a.b of type",
            "illegal base64 data at input byte 1",
            "error when creating \"f.yaml\": pods \"",
            "* ",
        ];
        use rand_core::{RngCore, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let mut next = |n: usize| (rng.next_u64() % n as u64) as usize;
        for _ in 0..3000 {
            let text: String = (0..next(40)).map(|_| BITS[next(BITS.len())]).collect();
            let msg = MSGS[next(MSGS.len())];
            for m in locate("f.yaml", &text, msg) {
                assert!(m.line >= 1, "{text:?} {msg:?}");
            }
        }
    }

    #[test]
    fn errors_naming_only_the_object_mark_its_first_line_and_warnings_nothing() {
        let err = "Warning: resource pods/p is missing the kubectl.kubernetes.io/last-applied-configuration annotation\nError from server (Forbidden): error when creating \"pods.yaml\": pods \"p\" is forbidden: error looking up service account default/x: serviceaccount \"x\" not found";
        let m = locate("pods.yaml", PODS, err);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].line, 8);
        assert!(locate("pods.yaml", PODS, "Error from server (BadRequest): error when creating \"other.yaml\": Pod in version \"v1\" cannot be handled as a Pod: x").is_empty());
    }
}
