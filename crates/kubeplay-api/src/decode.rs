//! From manifest text to typed objects, as `kubectl apply -f` and the API server do it:
//! YAML or JSON, several documents, `kind`/`apiVersion` checks, and strict fields.

use crate::registry::{self, ResourceInfo};
use crate::{Kind, Object};
use serde_json::Value;

/// Why a manifest could not be turned into objects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The text is not YAML. `message` is go-yaml's (`yaml: line 4: did not find expected
    /// key`), whose line number is not always the problem's; `line` is (counted from 1 in
    /// the document), when known.
    Syntax {
        message: String,
        line: Option<usize>,
    },
    /// A manifest that starts with `{` and is neither YAML nor JSON: Go's JSON decoder's
    /// error, which kubectl reports for it (`unexpected EOF`, `json: offset 21: invalid
    /// character ...`); `line` is where it is (from 1), for the editor.
    Json {
        message: String,
        line: usize,
    },
    /// The document has no `kind`; `json` is the document as compact JSON.
    MissingKind {
        json: String,
    },
    MissingApiVersion {
        json: String,
    },
    /// The document is not a mapping; `json_type` is Go's name for what it is (`array`,
    /// `string`, `number`, `bool`).
    NotAnObject {
        json_type: &'static str,
    },
    /// `kind`/`apiVersion` name nothing kubeplay serves.
    UnknownKind {
        api_version: String,
        kind: String,
    },
    /// A `---` line followed by more than a comment (kubectl's YAML reader refuses it).
    Separator {
        rest: String,
    },
    /// The API server's decode error (`strict decoding error: unknown field "spec.foo"`, a wrong
    /// type, bad base64): `<Kind> in version "v1" cannot be handled as a <Kind>: <detail>`.
    Undecodable {
        kind: Kind,
        detail: String,
    },
}

impl DecodeError {
    /// The text after `error when creating "file": ` (server errors) or after `error: ` (client).
    pub fn message(&self) -> String {
        match self {
            DecodeError::Syntax { message, .. } => {
                format!("error converting YAML to JSON: {message}")
            }
            DecodeError::Json { message, .. } => message.clone(),
            DecodeError::MissingKind { json } => format!("Object 'Kind' is missing in '{json}'"),
            DecodeError::MissingApiVersion { json } => {
                format!("Object 'apiVersion' is missing in '{json}'")
            }
            DecodeError::NotAnObject { json_type } => format!(
                "json: cannot unmarshal {json_type} into Go value of type unstructured.detector"
            ),
            DecodeError::Separator { rest } => format!("invalid Yaml document separator: {rest}"),
            DecodeError::UnknownKind { api_version, kind } => {
                format!("no matches for kind \"{kind}\" in version \"{api_version}\"")
            }
            DecodeError::Undecodable { kind, detail } => {
                let v = registry::info(*kind).version;
                format!("{kind} in version \"{v}\" cannot be handled as a {kind}: {detail}")
            }
        }
    }
}

/// Split a manifest into its non-empty documents, as JSON values. JSON input is YAML too.
/// Any error fails the whole text; see [`parse_documents_until_error`] for kubectl's way.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, DecodeError> {
    match parse_documents_until_error(text) {
        (docs, None) => Ok(docs),
        (_, Some((e, _))) => Err(e),
    }
}

/// A manifest's documents as kubectl reads a file: document by document (a line starting
/// with `---` ends one, and only a comment may follow it on that line), each parsed on its
/// own, so a syntax error's line counts from its document's first line. The documents before
/// the first error are returned with it (kubectl applies them, then reports the error), and
/// the error's line in the whole text, when it has one.
pub fn parse_documents_until_error(
    text: &str,
) -> (Vec<Value>, Option<(DecodeError, Option<usize>)>) {
    let mut out = Vec::new();
    let mut chunk = String::new();
    // Lines before the current chunk.
    let mut start = 0;
    let mut lines = text.split_inclusive('\n').enumerate().peekable();
    loop {
        let next = lines.next();
        let end_of_chunk = match next {
            None => true,
            Some((_, line)) => match line.strip_prefix("---") {
                Some(rest) => {
                    let rest = rest.trim();
                    if !rest.is_empty() && !rest.starts_with('#') {
                        let e = DecodeError::Separator {
                            rest: rest.to_string(),
                        };
                        return (out, Some((e, None)));
                    }
                    true
                }
                None => false,
            },
        };
        if !end_of_chunk {
            if let Some((_, line)) = next {
                chunk.push_str(line);
            }
            continue;
        }
        if !chunk.trim().is_empty() {
            if let Err(e) = parse_chunk(&chunk, &mut out) {
                let line = match &e {
                    DecodeError::Syntax { line, .. } => line.map(|n| start + n),
                    DecodeError::Json { line, .. } => Some(start + line),
                    _ => None,
                };
                return (out, Some((e, line)));
            }
        }
        match next {
            None => return (out, None),
            Some((i, _)) => {
                chunk.clear();
                start = i + 1;
            }
        }
    }
}

/// One document's text, onto `out`.
fn parse_chunk(text: &str, out: &mut Vec<Value>) -> Result<(), DecodeError> {
    let mut docs = Vec::new();
    let r = match parse_documents_with(text, false, &mut docs) {
        // go-yaml v2, under sigs.k8s.io/yaml, takes the last of duplicate keys; serde_yaml
        // refuses them. Read again, keeping the last.
        Err(DecodeError::Syntax { message, .. }) if message.contains("duplicate entry") => {
            docs.clear();
            parse_documents_with(text, true, &mut docs)
        }
        r => r,
    };
    // kubectl reads a manifest that starts with `{` as JSON first, and as YAML when that
    // fails; when both fail, it reports the JSON error.
    let r = match r {
        Err(DecodeError::Syntax { .. }) if text.trim_start().starts_with('{') => {
            match go_json_error(text) {
                Some((message, at)) => Err(DecodeError::Json {
                    message,
                    line: text[..at.min(text.len())].matches('\n').count() + 1,
                }),
                None => r,
            }
        }
        r => r,
    };
    out.append(&mut docs);
    r
}

/// The first error Go's `json.Decoder` finds in a stream of JSON values, as kubectl prints
/// it (`unexpected EOF`, or `json: offset N: invalid character 'x' <where>`, N counting the
/// bytes up to and with the bad one), and the byte it is at. `None` when the text is JSON.
fn go_json_error(text: &str) -> Option<(String, usize)> {
    struct Scan<'a> {
        b: &'a [u8],
        text: &'a str,
        i: usize,
    }
    type R = Result<(), (String, usize)>;
    impl Scan<'_> {
        fn eof(&self) -> (String, usize) {
            ("unexpected EOF".into(), self.b.len())
        }
        fn invalid(&self, context: &str) -> (String, usize) {
            let c = self.text[self.i..].chars().next().unwrap_or('\0');
            // Go's quoteChar.
            let quoted = match c {
                '\'' => "'\\''".to_string(),
                '"' => "'\"'".to_string(),
                c if c.is_control() => {
                    let e = c.escape_default().to_string();
                    let e = if e.starts_with("\\u") {
                        format!("\\x{:02x}", c as u32)
                    } else {
                        e
                    };
                    format!("'{e}'")
                }
                c => format!("'{c}'"),
            };
            (
                format!(
                    "json: offset {}: invalid character {quoted} {context}",
                    self.i + 1
                ),
                self.i,
            )
        }
        fn peek(&mut self) -> Option<u8> {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
                self.i += 1;
            }
            self.b.get(self.i).copied()
        }
        fn value(&mut self, context: &str) -> R {
            match self.peek() {
                None => Err(self.eof()),
                Some(b'{') => self.object(),
                Some(b'[') => self.array(),
                Some(b'"') => self.string(),
                Some(b'-' | b'0'..=b'9') => self.number(),
                Some(b't') => self.literal("true"),
                Some(b'f') => self.literal("false"),
                Some(b'n') => self.literal("null"),
                Some(_) => Err(self.invalid(context)),
            }
        }
        fn object(&mut self) -> R {
            self.i += 1;
            if self.peek() == Some(b'}') {
                self.i += 1;
                return Ok(());
            }
            loop {
                match self.peek() {
                    None => return Err(self.eof()),
                    Some(b'"') => self.string()?,
                    Some(_) => {
                        return Err(self.invalid("looking for beginning of object key string"))
                    }
                }
                match self.peek() {
                    None => return Err(self.eof()),
                    Some(b':') => self.i += 1,
                    Some(_) => return Err(self.invalid("after object key")),
                }
                self.value("looking for beginning of value")?;
                if !self.more(b'}', "after object key:value pair")? {
                    return Ok(());
                }
            }
        }
        /// After an element: `,` (another follows: true) or `close` (the end: false).
        fn more(&mut self, close: u8, context: &str) -> Result<bool, (String, usize)> {
            match self.peek() {
                None => Err(self.eof()),
                Some(b',') => {
                    self.i += 1;
                    Ok(true)
                }
                Some(c) if c == close => {
                    self.i += 1;
                    Ok(false)
                }
                Some(_) => Err(self.invalid(context)),
            }
        }
        fn array(&mut self) -> R {
            self.i += 1;
            if self.peek() == Some(b']') {
                self.i += 1;
                return Ok(());
            }
            loop {
                self.value("looking for beginning of value")?;
                if !self.more(b']', "after array element")? {
                    return Ok(());
                }
            }
        }
        fn string(&mut self) -> R {
            self.i += 1;
            loop {
                let Some(&c) = self.b.get(self.i) else {
                    return Err(self.eof());
                };
                match c {
                    b'"' => {
                        self.i += 1;
                        return Ok(());
                    }
                    b'\\' => {
                        self.i += 1;
                        match self.b.get(self.i) {
                            None => return Err(self.eof()),
                            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                                self.i += 1
                            }
                            Some(b'u') => {
                                self.i += 1;
                                for _ in 0..4 {
                                    match self.b.get(self.i) {
                                        None => return Err(self.eof()),
                                        Some(h) if h.is_ascii_hexdigit() => self.i += 1,
                                        Some(_) => {
                                            return Err(
                                                self.invalid("in \\u hexadecimal character escape")
                                            )
                                        }
                                    }
                                }
                            }
                            Some(_) => return Err(self.invalid("in string escape code")),
                        }
                    }
                    c if c < 0x20 => return Err(self.invalid("in string literal")),
                    _ => self.i += 1,
                }
            }
        }
        fn digits(&mut self) {
            while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                self.i += 1;
            }
        }
        fn number(&mut self) -> R {
            if self.b[self.i] == b'-' {
                self.i += 1;
                match self.b.get(self.i) {
                    None => return Err(self.eof()),
                    Some(b'0'..=b'9') => {}
                    Some(_) => return Err(self.invalid("in numeric literal")),
                }
            }
            if self.b[self.i] == b'0' {
                self.i += 1;
            } else {
                self.digits();
            }
            if self.b.get(self.i) == Some(&b'.') {
                self.i += 1;
                match self.b.get(self.i) {
                    None => return Err(self.eof()),
                    Some(b'0'..=b'9') => self.digits(),
                    Some(_) => return Err(self.invalid("after decimal point in numeric literal")),
                }
            }
            if let Some(b'e' | b'E') = self.b.get(self.i) {
                self.i += 1;
                if let Some(b'+' | b'-') = self.b.get(self.i) {
                    self.i += 1;
                }
                match self.b.get(self.i) {
                    None => return Err(self.eof()),
                    Some(b'0'..=b'9') => self.digits(),
                    Some(_) => return Err(self.invalid("in exponent of numeric literal")),
                }
            }
            Ok(())
        }
        fn literal(&mut self, word: &str) -> R {
            for expected in word.bytes().skip(1) {
                self.i += 1;
                match self.b.get(self.i) {
                    None => return Err(self.eof()),
                    Some(&c) if c == expected => {}
                    Some(_) => {
                        return Err(self.invalid(&format!(
                            "in literal {word} (expecting '{}')",
                            expected as char
                        )))
                    }
                }
            }
            self.i += 1;
            Ok(())
        }
    }
    let mut s = Scan {
        b: text.as_bytes(),
        text,
        i: 0,
    };
    while s.peek().is_some() {
        if let Err(e) = s.value("looking for beginning of value") {
            return Some(e);
        }
    }
    None
}

/// A YAML value whose mappings keep the last of duplicate keys.
struct LastWins(serde_yaml::Value);

impl<'de> serde::Deserialize<'de> for LastWins {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = LastWins;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, b: bool) -> Result<LastWins, E> {
                Ok(LastWins(serde_yaml::Value::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<LastWins, E> {
                Ok(LastWins(serde_yaml::Value::Number(n.into())))
            }
            fn visit_u64<E>(self, n: u64) -> Result<LastWins, E> {
                Ok(LastWins(serde_yaml::Value::Number(n.into())))
            }
            fn visit_f64<E>(self, n: f64) -> Result<LastWins, E> {
                Ok(LastWins(serde_yaml::Value::Number(n.into())))
            }
            fn visit_str<E>(self, s: &str) -> Result<LastWins, E> {
                Ok(LastWins(serde_yaml::Value::String(s.into())))
            }
            fn visit_string<E>(self, s: String) -> Result<LastWins, E> {
                Ok(LastWins(serde_yaml::Value::String(s)))
            }
            fn visit_unit<E>(self) -> Result<LastWins, E> {
                Ok(LastWins(serde_yaml::Value::Null))
            }
            fn visit_none<E>(self) -> Result<LastWins, E> {
                Ok(LastWins(serde_yaml::Value::Null))
            }
            fn visit_some<D2: serde::Deserializer<'de>>(
                self,
                d: D2,
            ) -> Result<LastWins, D2::Error> {
                serde::Deserialize::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<LastWins, A::Error> {
                let mut v = Vec::new();
                while let Some(LastWins(x)) = a.next_element()? {
                    v.push(x);
                }
                Ok(LastWins(serde_yaml::Value::Sequence(v)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<LastWins, A::Error> {
                let mut m = serde_yaml::Mapping::new();
                while let Some((LastWins(k), LastWins(v))) = a.next_entry()? {
                    m.insert(k, v);
                }
                Ok(LastWins(serde_yaml::Value::Mapping(m)))
            }
            fn visit_enum<A: serde::de::EnumAccess<'de>>(self, a: A) -> Result<LastWins, A::Error> {
                use serde::de::VariantAccess;
                let (tag, variant): (String, _) = a.variant()?;
                let LastWins(value) = variant.newtype_variant()?;
                Ok(LastWins(serde_yaml::Value::Tagged(Box::new(
                    serde_yaml::value::TaggedValue {
                        tag: serde_yaml::value::Tag::new(tag),
                        value,
                    },
                ))))
            }
        }
        d.deserialize_any(V)
    }
}

fn parse_documents_with(
    text: &str,
    last_wins: bool,
    out: &mut Vec<Value>,
) -> Result<(), DecodeError> {
    for doc in serde_yaml::Deserializer::from_str(text) {
        let v: Result<serde_yaml::Value, _> = if last_wins {
            <LastWins as serde::Deserialize>::deserialize(doc).map(|l| l.0)
        } else {
            serde::Deserialize::deserialize(doc)
        };
        let v = v.map_err(|e| DecodeError::Syntax {
            message: yaml_message(&e, text),
            line: e.location().map(|l| l.line()),
        })?;
        if v.is_null() {
            continue;
        }
        let json = yaml_to_json(v).map_err(|message| DecodeError::Syntax {
            message,
            line: None,
        })?;
        // A `kind: List` is unpacked into its items, as kubectl does.
        if json.get("kind").and_then(Value::as_str) == Some("List") {
            if let Some(items) = json.get("items").and_then(Value::as_array) {
                out.extend(items.iter().cloned());
                continue;
            }
        }
        out.push(json);
    }
    Ok(())
}

/// Render a serde_yaml error (in `text`) the way go-yaml v2 words it: `yaml: line N:
/// problem`. go-yaml numbers the line from 0 for a parser error (`did not find expected
/// key`: the line above the problem) and from 1 for a scanner error (`mapping values are not
/// allowed in this context`); where that gives 0 it falls back to the line of the error's
/// context, from 0, and where that is 0 too it names no line.
fn yaml_message(e: &serde_yaml::Error, text: &str) -> String {
    let full = e.to_string();
    // serde_yaml: "<problem>[ at line L column C][, while <context>[ at line L2 column C2]]",
    // the context's place left out when it is the problem's.
    let (head, context) = match full.split_once(", while ") {
        Some((h, c)) => (h, Some(c)),
        None => (full.as_str(), None),
    };
    let problem = head.split(" at line ").next().unwrap_or(head);
    if problem == "unknown anchor" {
        // go-yaml names the alias, and no line.
        let alias = e
            .location()
            .and_then(|l| text.get(l.index()..))
            .and_then(|t| t.strip_prefix('*'))
            .map(|t| {
                t.split(|c: char| c.is_whitespace() || ",[]{}".contains(c))
                    .next()
            })
            .unwrap_or_default()
            .unwrap_or_default();
        return format!("yaml: unknown anchor '{alias}' referenced");
    }
    // Only the parser's problems: the scanner's are all the others.
    let parser = [
        "did not find expected",
        "found duplicate",
        "found incompatible",
        "found undefined tag",
    ]
    .iter()
    .any(|p| problem.starts_with(p));
    let problem_line = e.location().map_or(0, |l| l.line() - 1);
    let context_line = match context {
        None => 0,
        Some(c) => c
            .split_once(" at line ")
            .and_then(|(_, at)| at.split(' ').next()?.parse::<usize>().ok())
            .map_or(problem_line, |l| l - 1),
    };
    let line = match problem_line {
        0 => context_line,
        l if parser => l,
        l => l + 1,
    };
    if line == 0 {
        format!("yaml: {problem}")
    } else {
        format!("yaml: line {line}: {problem}")
    }
}

/// sigs.k8s.io/yaml converts YAML to JSON: keys become strings, and so must ours.
fn yaml_to_json(v: serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                if f.fract() == 0.0 && f.abs() < 9.0e15 {
                    Value::from(f as i64)
                } else {
                    serde_json::Number::from_f64(f)
                        .map(Value::Number)
                        .unwrap_or(Value::Null)
                }
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(m) => {
            let mut obj = serde_json::Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    Y::Bool(b) => b.to_string(),
                    Y::Number(n) => n.to_string(),
                    Y::Null => "null".to_string(),
                    other => return Err(format!("yaml: invalid map key: {other:?}")),
                };
                obj.insert(key, yaml_to_json(v)?);
            }
            Value::Object(obj)
        }
        Y::Tagged(t) => yaml_to_json(t.value)?,
    })
}

/// Look up a document's kind from its `apiVersion` and `kind`.
pub fn kind_of(doc: &Value) -> Result<&'static ResourceInfo, DecodeError> {
    let json_type = match doc {
        Value::Array(_) => Some("array"),
        Value::String(_) => Some("string"),
        Value::Number(_) => Some("number"),
        Value::Bool(_) => Some("bool"),
        Value::Null | Value::Object(_) => None,
    };
    if let Some(json_type) = json_type {
        return Err(DecodeError::NotAnObject { json_type });
    }
    let compact = || serde_json::to_string(doc).unwrap_or_default();
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
    let api_version = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if kind.is_empty() {
        return Err(DecodeError::MissingKind { json: compact() });
    }
    if api_version.is_empty() {
        return Err(DecodeError::MissingApiVersion { json: compact() });
    }
    registry::RESOURCES
        .iter()
        .find(|r| r.kind.as_str() == kind && r.api_version() == api_version)
        .ok_or_else(|| DecodeError::UnknownKind {
            api_version: api_version.into(),
            kind: kind.into(),
        })
}

/// The object a manifest document names (its kind, namespace and name; nothing else is read
/// or checked), as kubectl's builder reads `-f` files for verbs that act on objects that
/// exist: `get`, `delete`, `label`, `edit`... A misspelt field does not stop them.
pub fn decode_reference(doc: &Value) -> Result<Object, DecodeError> {
    let info = kind_of(doc)?;
    let mut meta = serde_json::Map::new();
    for key in ["name", "namespace"] {
        if let Some(v @ Value::String(_)) = doc.get("metadata").and_then(|m| m.get(key)) {
            meta.insert(key.to_string(), v.clone());
        }
    }
    let mut v = serde_json::Map::new();
    for key in ["apiVersion", "kind"] {
        if let Some(x) = doc.get(key) {
            v.insert(key.to_string(), x.clone());
        }
    }
    v.insert("metadata".into(), Value::Object(meta));
    Object::from_value_at(info.kind, Value::Object(v)).map_err(|(_, e)| DecodeError::Undecodable {
        kind: info.kind,
        detail: e.to_string(),
    })
}

/// What kubectl knows of a document it does not send (a client dry run): the object it
/// names, with its labels and annotations when they are well-formed; no warnings.
pub fn decode_named(doc: &Value) -> Result<(Object, Vec<String>), DecodeError> {
    let mut obj = decode_reference(doc)?;
    for key in ["labels", "annotations"] {
        let Some(Value::Object(m)) = doc.get("metadata").and_then(|m| m.get(key)) else {
            continue;
        };
        let strings: Option<std::collections::BTreeMap<String, String>> = m
            .iter()
            .map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        let meta = obj.meta_mut();
        match key {
            "labels" => meta.labels = strings,
            _ => meta.annotations = strings,
        }
    }
    Ok((obj, Vec::new()))
}

/// `--validate`: how the API server treats fields the schema does not know (its
/// `fieldValidation`), and whether kubectl first checks what a document says it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Validation {
    /// Unknown fields are an error (the default).
    #[default]
    Strict,
    /// Unknown fields are dropped, each with a warning.
    Warn,
    /// Unknown fields are dropped silently, and kubectl checks nothing first.
    Ignore,
}

impl Validation {
    /// kubectl's reading of `--validate`'s value: Go's boolean words (`true`, `1`, `F`...),
    /// or `strict`, `warn`, `ignore`; `None` when the flag was not given.
    pub fn parse(value: Option<&str>) -> Result<Validation, String> {
        Ok(match value {
            None => Validation::Strict,
            Some("1" | "t" | "T" | "true" | "TRUE" | "True" | "strict") => Validation::Strict,
            Some("0" | "f" | "F" | "false" | "FALSE" | "False" | "ignore") => Validation::Ignore,
            Some("warn") => Validation::Warn,
            Some(other) => {
                return Err(format!(
                    "invalid - validate option \"{other}\"; must be one of: strict (or true), warn, ignore (or false)"
                ))
            }
        })
    }
}

/// What kubectl checks in a document before sending it, unless validation is off
/// (`getObjectKind`): that it is an object, with an `apiVersion` and a `kind` that are
/// strings. Empty when it is.
pub fn object_kind_errors(doc: &Value) -> Vec<&'static str> {
    let Some(fields) = doc.as_object() else {
        return vec!["invalid object to validate"];
    };
    let mut errs = Vec::new();
    match fields.get("apiVersion") {
        None | Some(Value::Null) => errs.push("apiVersion not set"),
        Some(Value::String(_)) => {}
        Some(_) => errs.push("apiVersion isn't string type"),
    }
    match fields.get("kind") {
        None | Some(Value::Null) => errs.push("kind not set"),
        Some(Value::String(_)) => {}
        Some(_) => errs.push("kind isn't string type"),
    }
    errs
}

/// Decode one document strictly: every field must be known to the kind's schema.
pub fn decode(doc: &Value) -> Result<Object, DecodeError> {
    decode_validated(doc, Validation::Strict).map(|(obj, _)| obj)
}

/// Decode one document as the API server does under `validation`: the object, and the
/// warnings it answers with (`unknown field "spec.foo"`, under [`Validation::Warn`]).
pub fn decode_validated(
    doc: &Value,
    validation: Validation,
) -> Result<(Object, Vec<String>), DecodeError> {
    let info = kind_of(doc)?;
    // Secret/ConfigMap byte and string maps get Go's base64 rules and type messages.
    let mut doc = doc.clone();
    crate::configdata::prepare_document(info.kind.as_str(), &mut doc).map_err(|detail| {
        DecodeError::Undecodable {
            kind: info.kind,
            detail,
        }
    })?;
    let doc = &doc;
    let obj = Object::from_value_at(info.kind, doc.clone()).map_err(|(path, e)| {
        let msg = e.to_string();
        DecodeError::Undecodable {
            kind: info.kind,
            detail: go_type_error(info.kind, &path, &msg).unwrap_or(msg),
        }
    })?;
    if validation == Validation::Ignore {
        return Ok((obj, Vec::new()));
    }
    let mut unknown = Vec::new();
    unknown_fields(doc, &obj.to_value(), "", &mut unknown);
    let list: Vec<String> = unknown
        .iter()
        .map(|f| format!("unknown field \"{f}\""))
        .collect();
    if validation == Validation::Strict && !list.is_empty() {
        return Err(DecodeError::Undecodable {
            kind: info.kind,
            detail: format!("strict decoding error: {}", list.join(", ")),
        });
    }
    Ok((obj, list))
}

/// The Go struct that holds the field at `path` (a JSON path without indices), for
/// `Go struct field <Struct>.<path>`.
fn go_struct(kind: Kind, parent: &str) -> String {
    let last = parent.rsplit('.').next().unwrap_or("");
    let known = match (parent, last) {
        ("", _) => return kind.as_str().to_string(),
        ("metadata", _) | (_, "metadata") => "ObjectMeta",
        ("spec", _) => match kind {
            Kind::Deployment => "DeploymentSpec",
            Kind::ReplicaSet => "ReplicaSetSpec",
            Kind::Service => "ServiceSpec",
            Kind::Pod => "PodSpec",
            Kind::Node => "NodeSpec",
            Kind::Namespace => "NamespaceSpec",
            _ => "Spec",
        },
        ("spec.template", _) => "PodTemplateSpec",
        ("spec.template.spec", _) => "PodSpec",
        ("spec.strategy", _) => "DeploymentStrategy",
        ("spec.strategy.rollingUpdate", _) => "RollingUpdateDeployment",
        (_, "selector") if kind != Kind::Service => "LabelSelector",
        (_, "containers" | "initContainers") => "Container",
        (_, "ports") if kind == Kind::Service => "ServicePort",
        (_, "ports") => "ContainerPort",
        (_, "env") => "EnvVar",
        (_, "envFrom") => "EnvFromSource",
        (_, "valueFrom") => "EnvVarSource",
        (_, "configMapKeyRef") => "ConfigMapKeySelector",
        (_, "secretKeyRef") => "SecretKeySelector",
        (_, "configMapRef") => "ConfigMapEnvSource",
        (_, "secretRef") => "SecretEnvSource",
        (_, "resources") => "ResourceRequirements",
        (_, "volumeMounts") => "VolumeMount",
        (_, "volumes") => "Volume",
        (_, "configMap") => "ConfigMapVolumeSource",
        (_, "secret") => "SecretVolumeSource",
        (_, "readinessProbe" | "livenessProbe" | "startupProbe") => "Probe",
        (_, "httpGet") => "HTTPGetAction",
        (_, "exec") => "ExecAction",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let mut c = last.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => kind.as_str().to_string(),
    }
}

/// The Go type serde expected, as Go names it.
fn go_type(expected: &str, field: &str) -> String {
    let e = expected.trim();
    match e {
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "u32" => "uint32".into(),
        "f64" => "float64".into(),
        "a boolean" | "bool" => "bool".into(),
        "a string" | "string" => "string".into(),
        "a map" => "map[string]string".into(),
        "a sequence" => {
            let elem = go_struct(Kind::Pod, field);
            match field.rsplit('.').next().unwrap_or("") {
                "command" | "args" | "finalizers" => "[]string".into(),
                _ => format!("[]v1.{elem}"),
            }
        }
        _ => match e.strip_prefix("struct ") {
            Some(s) => format!("v1.{s}"),
            None if e.contains("IntOrString") || e.contains("int or string") => {
                "intstr.IntOrString".into()
            }
            None => format!("v1.{}", go_struct(Kind::Pod, field)),
        },
    }
}

/// Go's `json: cannot unmarshal <json type> into Go struct field <Struct>.<path> of type <T>`
/// for a value of the wrong type (`replicas: "3"`), as the API server reports it.
fn go_type_error(kind: Kind, path: &str, msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("invalid type: ")?;
    let (got, expected) = rest.split_once(", expected ")?;
    let json_type = match got.split([' ', ',']).next().unwrap_or("") {
        "string" => "string",
        "integer" | "floating" => "number",
        "boolean" => "bool",
        "sequence" => "array",
        "map" => "object",
        "null" | "unit" => "null",
        _ => return None,
    };
    // Go's field path has no indices.
    let mut field = String::new();
    for seg in path.split('.') {
        let name = seg.split('[').next().unwrap_or(seg);
        if name.is_empty() {
            continue;
        }
        if !field.is_empty() {
            field.push('.');
        }
        field.push_str(name);
    }
    let parent = field.rsplit_once('.').map_or("", |(p, _)| p);
    let st = go_struct(kind, parent);
    let ty = go_type(expected, &field);
    Some(format!(
        "json: cannot unmarshal {json_type} into Go struct field {st}.{field} of type {ty}"
    ))
}

/// Fields present in `input` that did not survive a decode/encode round trip are unknown to
/// the schema. Null values and empty containers are not data, so they are never reported.
fn unknown_fields(input: &Value, decoded: &Value, path: &str, out: &mut Vec<String>) {
    match (input, decoded) {
        (Value::Object(i), Value::Object(d)) => {
            for (k, v) in i {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match d.get(k) {
                    Some(dv) => unknown_fields(v, dv, &p, out),
                    None if is_empty(v) => {}
                    None => out.push(p),
                }
            }
        }
        (Value::Array(i), Value::Array(d)) => {
            for (n, (iv, dv)) in i.iter().zip(d).enumerate() {
                unknown_fields(iv, dv, &format!("{path}[{n}]"), out);
            }
        }
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.values().all(is_empty),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
";

    #[test]
    fn documents_are_read_one_by_one_as_kubectl_reads_a_file() {
        // A syntax error in the second document: the first is kept, and the line counts from
        // the second document's first line (the file's line comes with it).
        let text = "a: 1\n--- # two\nb: 2\n c: 3\n";
        let (docs, err) = parse_documents_until_error(text);
        assert_eq!(docs, [serde_json::json!({"a": 1})]);
        let (e, line) = err.expect("an error");
        assert_eq!(
            e.message(),
            "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
        );
        assert_eq!(line, Some(4));
        // Only a comment may follow `---`; the document before that line is not read.
        let (docs, err) = parse_documents_until_error("a: 1\n---\nb: 2\n--- x\nc: 3\n");
        assert_eq!(docs, [serde_json::json!({"a": 1})]);
        assert_eq!(
            err.map(|e| e.0.message()).as_deref(),
            Some("invalid Yaml document separator: x")
        );
        // Leading and doubled separators and empty documents are nothing.
        let (docs, err) = parse_documents_until_error("---\n---\n# c\n---\na: 1\n");
        assert_eq!(
            (docs, err.is_none()),
            (vec![serde_json::json!({"a": 1})], true)
        );
        assert!(parse_documents("a: 1\n---\nb: [\n").is_err());
    }

    #[test]
    fn multi_document_and_kinds() {
        let text = format!("{DEPLOY}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata: {{a: b}}\n---\n");
        let docs = parse_documents(&text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(decode(&docs[0]).unwrap().kind(), Kind::Deployment);
        assert_eq!(decode(&docs[1]).unwrap().kind(), Kind::ConfigMap);
    }

    #[test]
    fn unknown_field_is_named_by_path() {
        let text = DEPLOY.replace("image: nginx", "imagee: nginx");
        let doc = &parse_documents(&text).unwrap()[0];
        let err = decode(doc).unwrap_err();
        assert_eq!(
            err.message(),
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.template.spec.containers[0].imagee\""
        );
    }

    #[test]
    fn duplicate_keys_keep_the_last_as_kubectl_does() {
        let text = DEPLOY.replace("replicas: 3", "replicas: 3\n  replicas: 2");
        let docs = parse_documents(&text).unwrap();
        assert_eq!(docs[0]["spec"]["replicas"], 2);
        let text = format!("{DEPLOY}---\nkind: ConfigMap\napiVersion: v1\nmetadata: {{name: c}}\ndata: {{a: '1', a: '2'}}\n");
        let docs = parse_documents(&text).unwrap();
        assert_eq!(docs[1]["data"]["a"], "2");
    }

    #[test]
    fn wrong_types_are_reported_as_go_does() {
        let text = DEPLOY.replace("replicas: 3", "replicas: \"3\"");
        let doc = &parse_documents(&text).unwrap()[0];
        assert_eq!(
            decode(doc).unwrap_err().message(),
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
        );
        let text = DEPLOY.replace(
            "image: nginx:1.14.2",
            "image: nginx:1.14.2\n        ports: [{containerPort: \"80\"}]",
        );
        let doc = &parse_documents(&text).unwrap()[0];
        assert_eq!(
            decode(doc).unwrap_err().message(),
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32"
        );
    }

    #[test]
    fn missing_kind_and_unknown_kind() {
        let d = &parse_documents("apiVersion: v1\nmetadata: {name: x}\n").unwrap()[0];
        assert_eq!(
            decode(d).unwrap_err().message(),
            "Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}'"
        );
        let d = &parse_documents("apiVersion: v1\nkind: Deploymnt\n").unwrap()[0];
        assert!(matches!(decode(d), Err(DecodeError::UnknownKind { .. })));
    }

    #[test]
    fn json_errors_are_gos() {
        // What kubectl 1.32 (JSON only) prints for each, after "error parsing FILE: ".
        let cases = [
            ("{\"apiVersion\": v1}\n", "json: offset 16: invalid character 'v' looking for beginning of value"),
            ("{\"a\": tru}\n", "json: offset 10: invalid character '}' in literal true (expecting 'e')"),
            ("{\"a\": [1, 2 3]}\n", "json: offset 13: invalid character '3' after array element"),
            ("{\"a\": -x}\n", "json: offset 8: invalid character 'x' in numeric literal"),
            ("{\"a\": 1.}\n", "json: offset 9: invalid character '}' after decimal point in numeric literal"),
            ("{\"a\": 1e}\n", "json: offset 9: invalid character '}' in exponent of numeric literal"),
            ("{\"a\": \"\t\"}\n", "json: offset 8: invalid character '\\t' in string literal"),
            ("{'a': 1}\n", "json: offset 2: invalid character '\\'' looking for beginning of object key string"),
            ("{\"a\": \"b\\q\"}\n", "json: offset 10: invalid character 'q' in string escape code"),
            ("{\n  \"a\": \"x\",\n  \"b\": \"\\u12g4\"\n}\n", "json: offset 27: invalid character 'g' in \\u hexadecimal character escape"),
            ("{\"a\" 1}\n", "json: offset 6: invalid character '1' after object key"),
            ("  {\"apiVersion\": \"v1\"\n", "unexpected EOF"),
        ];
        for (text, want) in cases {
            assert_eq!(
                go_json_error(text).map(|e| e.0).as_deref(),
                Some(want),
                "{text}"
            );
        }
        assert_eq!(
            go_json_error("{\"a\": [1, {\"b\": null}], \"c\": -1.5e+3} 7\n"),
            None
        );
        // Since 1.33 a manifest that is not JSON but is YAML is read as YAML.
        assert_eq!(parse_documents("{\"a\": tru}\n").unwrap()[0]["a"], "tru");
        // Neither: the JSON error, and its line for the editor.
        let err = parse_documents_until_error("{\n  \"a\": \"x\",\n  \"b\": \"\\u12g4\"\n}\n")
            .1
            .unwrap();
        assert_eq!(err.1, Some(3));
        assert_eq!(
            err.0.message(),
            "json: offset 27: invalid character 'g' in \\u hexadecimal character escape"
        );
    }

    #[test]
    fn any_text_starting_with_a_brace_decodes_or_fails_without_panicking() {
        // Pieces of JSON and YAML, multi-byte letters among them, strung together at random
        // (a fixed xorshift, so each run sees the same texts).
        let pieces = [
            "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "12", "-", ".", "e", "+", "tru",
            "null", " ", "\n", "\t", "a", "é", "日本", "'", "#", "---\n", "*x", "&x", "- ",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let mut text = String::from("{");
            for _ in 0..(next() % 24) {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let _ = go_json_error(&text);
            if let (_, Some((e, line))) = parse_documents_until_error(&text) {
                let _ = e.message();
                assert!(
                    line.is_none_or(|l| l >= 1 && l <= text.lines().count() + 1),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn syntax_error_names_a_line() {
        let err = parse_documents("a: b\n  c: d\n").unwrap_err();
        let DecodeError::Syntax { message, .. } = err else {
            panic!()
        };
        assert!(message.starts_with("yaml: line "), "{message}");
    }
}
