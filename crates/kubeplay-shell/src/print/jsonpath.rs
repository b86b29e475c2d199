//! JSONPath templates as kubectl implements them (k8s.io/client-go/util/jsonpath): text with
//! `{...}` actions holding fields, `[i]`/`[a:b:c]` slices, `*`, `..`, `[?(@.x=="y")]` filters,
//! `[a,b]` unions, string literals and `range`/`end` loops. kubectl turns on
//! `AllowMissingKeys`, so absent fields print nothing. Map iteration (`*`, `..`) is in sorted
//! key order here, where Go's would be random.

use super::json::{to_compact, to_json};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Text(String),
    List(Vec<Node>),
    Field(String),
    Wildcard,
    Recursive,
    Array([Param; 3]),
    Union(Vec<Vec<Node>>),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        op: String,
    },
    Int(i64),
    Float(f64),
    Bool(bool),
    Ident(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

/// A parsed template.
#[derive(Clone, Debug)]
pub struct JsonPath {
    root: Vec<Node>,
    source: String,
}

/// A failure while running a template; `Display` gives the engine's own message.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecError(pub String);

impl JsonPath {
    /// Parse `text`; the error is the parser's message (`unclosed action`...).
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let mut p = Parser {
            input: text.chars().collect(),
            pos: 0,
            start: 0,
        };
        let mut root = Vec::new();
        p.parse_text(&mut root)?;
        Ok(JsonPath {
            root,
            source: text.to_string(),
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The groups of values each top-level node finds (what `FindResults` returns).
    pub fn find_results(&self, data: &Value) -> Result<Vec<Vec<Value>>, ExecError> {
        let mut st = State::default();
        find(&mut st, &self.root, data)
    }

    /// Run the template as `-o jsonpath` prints it (`as_json`: `-o jsonpath-as-json`).
    pub fn execute(&self, data: &Value, as_json: bool) -> Result<String, ExecError> {
        let groups = self.find_results(data)?;
        let mut out = String::new();
        for g in groups {
            print_results(&mut out, &g, as_json);
        }
        Ok(out)
    }
}

fn print_results(out: &mut String, results: &[Value], as_json: bool) {
    if as_json {
        out.push_str(&to_json(&Value::Array(results.to_vec())));
        return;
    }
    for (i, r) in results.iter().enumerate() {
        match r {
            Value::Object(_) | Value::Array(_) => out.push_str(&to_compact(r)),
            // `evalToText` prints a nil value as `null`.
            Value::Null => out.push_str("null"),
            other => out.push_str(&to_text(other)),
        }
        if i + 1 != results.len() {
            out.push(' ');
        }
    }
}

/// `fmt.Fprint` of a scalar.
pub fn to_text(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_text(n),
        Value::String(s) => s.clone(),
        other => go_v(other),
    }
}

fn number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        let f = n.as_f64().unwrap_or(0.0);
        let s = super::yaml::go_format_g(f);
        match s.as_str() {
            ".inf" => "+Inf".into(),
            "-.inf" => "-Inf".into(),
            ".nan" => "NaN".into(),
            _ => s,
        }
    }
}

/// Go's `%v` of an unstructured value: `map[a:1 b:x]`, `[a b]`, `<nil>`.
pub fn go_v(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            kubeplay_sort::sort(&mut keys);
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{k}:{}", go_v(&m[k])))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(go_v).collect();
            format!("[{}]", parts.join(" "))
        }
        other => to_text(other),
    }
}

/// Go's `%#v` of an unstructured value, as kubectl's jsonpath error messages show the object.
pub fn go_sharp_v(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            kubeplay_sort::sort(&mut keys);
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", go_quote(k), go_sharp_v(&m[k])))
                .collect();
            format!("map[string]interface {{}}{{{}}}", parts.join(", "))
        }
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(go_sharp_v).collect();
            format!("[]interface {{}}{{{}}}", parts.join(", "))
        }
        Value::Null => "interface {}(nil)".into(),
        Value::String(s) => go_quote(s),
        other => to_text(other),
    }
}

/// `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => {
                let v = c as u32;
                if v < 0x10000 {
                    out.push_str(&format!("\\u{v:04x}"))
                } else {
                    out.push_str(&format!("\\U{v:08x}"))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ----- parser -----

struct Parser {
    input: Vec<char>,
    pos: usize,
    start: usize,
}

const EOF: char = '\u{0}';

fn is_terminator(r: char) -> bool {
    matches!(r, ' ' | EOF | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
}

fn is_alnum(r: char) -> bool {
    r == '_' || r.is_alphabetic() || r.is_numeric()
}

impl Parser {
    fn starts_with(&self, s: &str) -> bool {
        let cs: Vec<char> = s.chars().collect();
        self.input[self.pos..].starts_with(&cs)
    }
    fn next(&mut self) -> char {
        if self.pos >= self.input.len() {
            self.pos = self.input.len() + 1;
            return EOF;
        }
        let c = self.input[self.pos];
        self.pos += 1;
        c
    }
    fn backup(&mut self) {
        self.pos -= 1;
    }
    fn peek(&mut self) -> char {
        let c = self.next();
        self.backup();
        c
    }
    fn consume(&mut self) -> String {
        let end = self.pos.min(self.input.len());
        let s: String = self.input[self.start.min(end)..end].iter().collect();
        self.start = self.pos;
        s
    }

    fn parse_text(&mut self, root: &mut Vec<Node>) -> Result<(), String> {
        loop {
            if self.starts_with("{") {
                if self.pos > self.start {
                    root.push(Node::Text(self.consume()));
                }
                self.pos += 1;
                self.consume();
                let mut list = Vec::new();
                let closed = self.parse_inside(&mut list)?;
                root.push(Node::List(list));
                if !closed {
                    return Ok(());
                }
                continue;
            }
            if self.next() == EOF {
                break;
            }
        }
        self.pos = self.pos.min(self.input.len());
        if self.pos > self.start {
            root.push(Node::Text(self.consume()));
        }
        Ok(())
    }

    /// Parse the inside of an action up to its `}`; `Ok(true)` once the `}` is consumed.
    fn parse_inside(&mut self, cur: &mut Vec<Node>) -> Result<bool, String> {
        loop {
            if self.starts_with("}") {
                self.pos += 1;
                self.consume();
                return Ok(true);
            }
            if self.starts_with("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if self.starts_with("..") {
                if matches!(cur.last(), Some(Node::Recursive)) {
                    return Err("invalid multiple recursive descent".into());
                }
                self.pos += 2;
                self.consume();
                cur.push(Node::Recursive);
                if is_alnum(self.peek()) {
                    self.parse_field(cur);
                }
                continue;
            }
            let r = self.next();
            match r {
                EOF | '\r' | '\n' => return Err("unclosed action".into()),
                ' ' | '@' | '$' => {
                    self.consume();
                }
                '[' => self.parse_array(cur)?,
                '"' | '\'' => self.parse_quote(cur, r)?,
                '.' => self.parse_field(cur),
                c if c == '+' || c == '-' || c.is_ascii_digit() => {
                    self.backup();
                    self.parse_number(cur)?;
                }
                c if is_alnum(c) => {
                    self.backup();
                    self.parse_identifier(cur);
                }
                c => {
                    return Err(format!(
                        "unrecognized character in action: U+{:04X} '{c}'",
                        c as u32
                    ))
                }
            }
        }
    }

    fn parse_identifier(&mut self, cur: &mut Vec<Node>) {
        loop {
            let r = self.next();
            if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let v = self.consume();
        match v.as_str() {
            "true" | "True" | "TRUE" | "t" | "T" | "1" => cur.push(Node::Bool(true)),
            "false" | "False" | "FALSE" | "f" | "F" | "0" => cur.push(Node::Bool(false)),
            _ => cur.push(Node::Ident(v)),
        }
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume();
        loop {
            let r = self.next();
            if r == '\\' {
                self.next();
            } else if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let v = self.consume();
        if v == "*" {
            cur.push(Node::Wildcard);
        } else {
            cur.push(Node::Field(v.replace('\\', "")));
        }
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        let r = self.peek();
        if r == '+' || r == '-' {
            self.next();
        }
        loop {
            let r = self.next();
            if r != '.' && !r.is_ascii_digit() {
                self.backup();
                break;
            }
        }
        let v = self.consume();
        if let Ok(i) = v.parse::<i64>() {
            cur.push(Node::Int(i));
        } else if let Ok(f) = v.parse::<f64>() {
            cur.push(Node::Float(f));
        } else {
            return Err(format!("cannot parse number {v}"));
        }
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), String> {
        loop {
            let r = self.next();
            if r == EOF || r == '\n' {
                return Err("unterminated quoted string".into());
            }
            if r == '\\' {
                let n = self.next();
                if n != EOF && n != '\n' {
                    continue;
                }
                break;
            }
            if r == end {
                break;
            }
        }
        let raw = self.consume();
        let s =
            unquote(&raw).ok_or_else(|| format!("unquote string {raw} error invalid syntax"))?;
        cur.push(Node::Text(s));
        Ok(())
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                EOF | '\n' => return Err("unterminated array".into()),
                ']' => break,
                _ => {}
            }
        }
        let text = self.consume();
        let mut text: String = {
            let cs: Vec<char> = text.chars().collect();
            cs[1..cs.len() - 1].iter().collect()
        };
        if text == "*" {
            text = ":".into();
        }
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for s in parts {
                let p = JsonPath::parse(&format!("{{[{}]}}", s.trim_matches(' ')))?;
                union.push(p.root);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        if text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'') {
            let inner = &text[1..text.len() - 1];
            if !inner.contains('\'') {
                let p = JsonPath::parse(&format!("{{.{inner}}}"))?;
                for n in p.root {
                    if let Node::List(ns) = n {
                        cur.extend(ns);
                    }
                }
                return Ok(());
            }
        }
        let groups = slice_groups(&text).ok_or_else(|| format!("invalid array index {text}"))?;
        let mut params = [Param::default(); 3];
        for i in 0..3 {
            let g = &groups[i];
            if !g.is_empty() {
                let g = if i > 0 { &g[1..] } else { &g[..] };
                if i > 0 && g.is_empty() {
                    params[i].known = false;
                } else {
                    params[i].known = true;
                    params[i].value = g
                        .parse()
                        .map_err(|_| format!("array index {g} is not a number"))?;
                }
            } else if i == 1 {
                params[i].known = true;
                params[i].value = params[0].value + 1;
                params[i].derived = true;
            }
        }
        cur.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let mut begin = false;
        let mut end = false;
        let mut pair = EOF;
        loop {
            let r = self.next();
            match r {
                EOF | '\n' => return Err("unterminated filter".into()),
                '"' | '\'' => {
                    if !begin {
                        begin = true;
                        pair = r;
                        continue;
                    }
                    if self.pos >= 2 && self.input[self.pos - 2] != '\\' && r == pair {
                        end = true;
                    }
                }
                ')' => {
                    if begin == end {
                        break;
                    }
                }
                _ => {}
            }
        }
        if self.next() != ']' {
            return Err("unclosed array expect ]".into());
        }
        let text = self.consume();
        let text: String = {
            let cs: Vec<char> = text.chars().collect();
            cs[..cs.len() - 2].iter().collect()
        };
        match split_filter(&text) {
            None => {
                let p = JsonPath::parse(&format!("{{{text}}}"))?;
                cur.push(Node::Filter {
                    left: p.root,
                    right: vec![],
                    op: "exists".into(),
                });
            }
            Some((l, op, r)) => {
                let lp = JsonPath::parse(&format!("{{{l}}}"))?;
                let rp = JsonPath::parse(&format!("{{{r}}}"))?;
                cur.push(Node::Filter {
                    left: lp.root,
                    right: rp.root,
                    op,
                });
            }
        }
        Ok(())
    }
}

/// `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$`
fn slice_groups(t: &str) -> Option<[String; 3]> {
    let b: Vec<char> = t.chars().collect();
    let mut i = 0;
    let mut groups: [String; 3] = Default::default();
    let num = |i: &mut usize| {
        let st = *i;
        if *i < b.len() && b[*i] == '-' {
            *i += 1;
        }
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        b[st..*i].iter().collect::<String>()
    };
    groups[0] = num(&mut i);
    for g in groups.iter_mut().skip(1) {
        if i < b.len() && b[i] == ':' {
            i += 1;
            *g = format!(":{}", num(&mut i));
        }
    }
    (i == b.len()).then_some(groups)
}

/// `^([^!<>=]+)([!<>=]+)(.+?)$`
fn split_filter(t: &str) -> Option<(String, String, String)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let l_end = t.find(is_op)?;
    if l_end == 0 {
        return None;
    }
    let rest = &t[l_end..];
    let op_len = rest.find(|c: char| !is_op(c)).unwrap_or(rest.len());
    let right = &rest[op_len..];
    if right.is_empty() {
        return None;
    }
    Some((t[..l_end].into(), rest[..op_len].into(), right.into()))
}

/// Go's `strconv.Unquote`, extended (as client-go does) to single-quoted strings.
fn unquote(s: &str) -> Option<String> {
    let cs: Vec<char> = s.chars().collect();
    if cs.len() < 2 {
        return None;
    }
    let q = cs[0];
    if cs[cs.len() - 1] != q || (q != '"' && q != '\'') {
        return None;
    }
    let body = &cs[1..cs.len() - 1];
    let mut out = String::new();
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        i += 1;
        if c == q {
            return None;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = *body.get(i)?;
        i += 1;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '\'' | '"' => out.push(e),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let h: String = body.get(i..i + n)?.iter().collect();
                i += n;
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            '0'..='7' => {
                let h: String = body.get(i - 1..i + 2)?.iter().collect();
                i += 2;
                out.push(char::from_u32(u32::from_str_radix(&h, 8).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

// ----- evaluation -----

#[derive(Default)]
struct State {
    in_range: usize,
    begin_range: usize,
    end_range: usize,
    /// Index (in the node list being walked) of the most recent `end`.
    last_end: Option<usize>,
}

fn find(st: &mut State, nodes: &[Node], data: &Value) -> Result<Vec<Vec<Value>>, ExecError> {
    let mut full = Vec::new();
    let cur = vec![data.clone()];
    let mut i = 0;
    while i < nodes.len() {
        let results = walk(st, &cur, &nodes[i])?;
        if st.end_range > 0 && st.end_range <= st.in_range {
            st.end_range -= 1;
            st.last_end = Some(i);
            break;
        }
        if st.begin_range > 0 {
            st.begin_range -= 1;
            st.in_range += 1;
            let rest = &nodes[i + 1..];
            let mut end_at = None;
            st.last_end = None;
            if results.is_empty() {
                find(st, rest, &Value::Null)?;
                end_at = st.last_end;
            } else {
                for v in &results {
                    st.last_end = None;
                    full.extend(find(st, rest, v)?);
                    end_at = st.last_end;
                }
            }
            st.in_range -= 1;
            match end_at {
                Some(k) => i = i + 1 + k + 1,
                // No `end`: Go resumes with the node after `range`, on the outer value.
                None => i += 1,
            }
            continue;
        }
        full.push(results);
        i += 1;
    }
    Ok(full)
}

fn walk(st: &mut State, input: &[Value], node: &Node) -> Result<Vec<Value>, ExecError> {
    match node {
        Node::List(ns) => eval_list(st, input, ns),
        Node::Text(t) => Ok(vec![Value::String(t.clone())]),
        Node::Field(f) => Ok(eval_field(input, f)),
        Node::Array(p) => eval_array(input, p),
        Node::Filter { left, right, op } => eval_filter(st, input, left, right, op),
        Node::Int(i) => Ok(vec![Value::from(*i)]),
        Node::Float(f) => Ok(vec![Value::from(*f)]),
        Node::Bool(b) => Ok(vec![Value::Bool(*b)]),
        Node::Wildcard => Ok(eval_wildcard(input)),
        Node::Recursive => Ok(eval_recursive(input)),
        Node::Union(lists) => {
            let mut out = Vec::new();
            for l in lists {
                out.extend(eval_list(st, input, l)?);
            }
            Ok(out)
        }
        Node::Ident(name) => match name.as_str() {
            "range" => {
                st.begin_range += 1;
                Ok(input.to_vec())
            }
            "end" => {
                if st.in_range > 0 {
                    st.end_range += 1;
                    Ok(vec![])
                } else {
                    Err(ExecError("not in range, nothing to end".into()))
                }
            }
            other => Err(ExecError(format!("unrecognized identifier {other}"))),
        },
    }
}

fn eval_list(st: &mut State, input: &[Value], nodes: &[Node]) -> Result<Vec<Value>, ExecError> {
    let mut cur = input.to_vec();
    for n in nodes {
        cur = walk(st, &cur, n)?;
    }
    Ok(cur)
}

fn eval_field(input: &[Value], f: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for v in input {
        if let Value::Object(m) = v {
            if let Some(x) = m.get(f) {
                out.push(x.clone());
            }
        }
    }
    out
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Null => "interface {}",
    }
}

fn eval_array(input: &[Value], params: &[Param; 3]) -> Result<Vec<Value>, ExecError> {
    let mut out = Vec::new();
    for v in input {
        if v.is_null() {
            continue;
        }
        let Value::Array(a) = v else {
            return Err(ExecError(format!("{} is not array or slice", type_name(v))));
        };
        let len = a.len() as i64;
        let mut p = *params;
        if !p[0].known {
            p[0].value = 0;
        }
        if p[0].value < 0 {
            p[0].value += len;
        }
        if !p[1].known {
            p[1].value = len;
        }
        if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
            p[1].value += len;
        }
        if p[1].value == p[0].value {
            return Ok(out);
        }
        if p[0].value >= len || p[0].value < 0 {
            return Err(ExecError(format!(
                "array index out of bounds: index {}, length {len}",
                p[0].value
            )));
        }
        if p[1].value > len || p[1].value < 0 {
            return Err(ExecError(format!(
                "array index out of bounds: index {}, length {len}",
                p[1].value - 1
            )));
        }
        if p[0].value > p[1].value {
            return Err(ExecError(format!(
                "starting index {} is greater than ending index {}",
                p[0].value, p[1].value
            )));
        }
        let step = if p[2].known {
            if p[2].value <= 0 {
                return Err(ExecError("step must be > 0".into()));
            }
            p[2].value as usize
        } else {
            1
        };
        let slice = &a[p[0].value as usize..p[1].value as usize];
        out.extend(slice.iter().step_by(step).cloned());
    }
    Ok(out)
}

fn children(v: &Value) -> Vec<Value> {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            kubeplay_sort::sort(&mut keys);
            keys.into_iter().map(|k| m[k].clone()).collect()
        }
        Value::Array(a) => a.clone(),
        Value::String(s) => s.bytes().map(Value::from).collect(),
        _ => vec![],
    }
}

fn eval_wildcard(input: &[Value]) -> Vec<Value> {
    input.iter().flat_map(children).collect()
}

fn eval_recursive(input: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for v in input {
        let kids = match v {
            // Bytes of strings are not descended into further; they carry no fields.
            Value::String(_) => {
                if !v.as_str().is_some_and(str::is_empty) {
                    out.push(v.clone());
                }
                continue;
            }
            _ => children(v),
        };
        if !kids.is_empty() {
            out.push(v.clone());
            out.extend(eval_recursive(&kids));
        }
    }
    out
}

fn eval_filter(
    st: &mut State,
    input: &[Value],
    left: &[Node],
    right: &[Node],
    op: &str,
) -> Result<Vec<Value>, ExecError> {
    let mut out = Vec::new();
    for v in input {
        let Value::Array(a) = v else {
            return Err(ExecError(format!(
                "{} is not array or slice and cannot be filtered",
                go_v(v)
            )));
        };
        for item in a {
            let temp = vec![item.clone()];
            let lefts = eval_list(st, &temp, left);
            if op == "exists" {
                if lefts.as_ref().is_ok_and(|l| !l.is_empty()) {
                    out.push(item.clone());
                }
                continue;
            }
            let lefts = lefts?;
            if lefts.is_empty() {
                continue;
            }
            if lefts.len() > 1 {
                return Err(ExecError("can only compare one element at a time".into()));
            }
            let rights = eval_list(st, &temp, right)?;
            if rights.is_empty() {
                continue;
            }
            if rights.len() > 1 {
                return Err(ExecError("can only compare one element at a time".into()));
            }
            if compare(&lefts[0], &rights[0], op)? {
                out.push(item.clone());
            }
        }
    }
    Ok(out)
}

/// text/template's `eq`, `lt`... on basic kinds.
fn compare(l: &Value, r: &Value, op: &str) -> Result<bool, ExecError> {
    use std::cmp::Ordering;
    let incompatible = || ExecError("incompatible types for comparison".into());
    let ord: Option<Ordering> = match (l, r) {
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Number(a), Value::Number(b)) => {
            if a.is_f64() != b.is_f64() {
                return Err(incompatible());
            }
            if a.is_f64() {
                a.as_f64().partial_cmp(&b.as_f64())
            } else {
                Some(a.as_i64().cmp(&b.as_i64()))
            }
        }
        (Value::Bool(a), Value::Bool(b)) => {
            return match op {
                "==" => Ok(a == b),
                "!=" => Ok(a != b),
                _ => Err(ExecError("invalid type for comparison".into())),
            }
        }
        (Value::Null, _) | (_, Value::Null) => {
            return Err(ExecError("invalid type for comparison".into()))
        }
        (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => {
            return match op {
                "==" | "!=" => Err(ExecError("non-comparable type".into())),
                _ => Err(ExecError("invalid type for comparison".into())),
            }
        }
        _ => return Err(incompatible()),
    };
    let Some(o) = ord else { return Ok(false) };
    Ok(match op {
        "<" => o == Ordering::Less,
        ">" => o == Ordering::Greater,
        "==" => o == Ordering::Equal,
        "!=" => o != Ordering::Equal,
        "<=" => o != Ordering::Greater,
        ">=" => o != Ordering::Less,
        other => return Err(ExecError(format!("unrecognized filter operator {other}"))),
    })
}

/// kubectl's `RelaxedJSONPathExpression` (custom-columns and --sort-by): `.a.b`, `a.b`,
/// `{.a.b}` and `{a.b}` all become `{.a.b}`.
pub fn relaxed(expr: &str) -> Result<String, String> {
    if expr.is_empty() {
        return Ok(String::new());
    }
    let err = || {
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_string()
    };
    let inner = if let Some(x) = expr.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
        x.strip_prefix('.').unwrap_or(x)
    } else {
        expr.strip_prefix('.').unwrap_or(expr)
    };
    if inner.is_empty() || inner.contains(['{', '}']) {
        return Err(err());
    }
    Ok(format!("{{.{inner}}}"))
}

/// The message kubectl prints when a template fails on an object.
pub fn exec_error_message(template: &str, e: &ExecError, obj: &Value) -> String {
    format!(
        "error: error executing jsonpath {}: Error executing template: {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
        go_quote(template),
        e.0,
        template,
        go_sharp_v(obj)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(t: &str, v: &Value) -> String {
        JsonPath::parse(t).unwrap().execute(v, false).unwrap()
    }

    fn list() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "a", "labels": {"app": "x"}}, "spec": {"replicas": 3, "containers": [{"name": "c1", "image": "nginx"}, {"name": "c2", "image": "busybox"}]}},
            {"metadata": {"name": "b"}, "spec": {"replicas": 1, "containers": [{"name": "c3", "image": "redis"}]}},
        ]})
    }

    #[test]
    fn fields_wildcards_and_indexes() {
        let l = list();
        assert_eq!(run("{.items[*].metadata.name}", &l), "a b");
        assert_eq!(run("{.items[0].metadata.name}", &l), "a");
        assert_eq!(run("{.items[-1].metadata.name}", &l), "b");
        assert_eq!(run("{.items[0:1].metadata.name}", &l), "a");
        assert_eq!(run("{.items[*].spec.replicas}", &l), "3 1");
        assert_eq!(run("{.items[0].metadata.labels}", &l), "{\"app\":\"x\"}");
        assert_eq!(run("{..image}", &l), "nginx busybox redis");
        assert_eq!(run("{.items[*].nope}", &l), "");
        assert_eq!(run("kind={.kind}\n", &l), "kind=List\n");
        assert_eq!(run("{.items[?(@.spec.replicas>2)].metadata.name}", &l), "a");
        assert_eq!(
            run(
                "{.items[0].spec.containers[?(@.image==\"busybox\")].name}",
                &l
            ),
            "c2"
        );
        assert_eq!(run("{.items[?(@.metadata.labels)].metadata.name}", &l), "a");
        assert_eq!(run("{.items[0].spec.containers[0,1].name}", &l), "c1 c2");
        assert_eq!(
            run("{.items[0].spec.containers[0]['name','image']}", &l),
            "c1 nginx"
        );
    }

    #[test]
    fn range_loops() {
        let l = list();
        assert_eq!(
            run(
                "{range .items[*]}{.metadata.name}{\"\\t\"}{.spec.replicas}{\"\\n\"}{end}",
                &l
            ),
            "a\t3\nb\t1\n"
        );
        assert_eq!(
            run(
                "{range .items[*]}[{range .spec.containers[*]}{.name},{end}]{end}",
                &l
            ),
            "[c1,c2,][c3,]"
        );
        assert_eq!(run("{range .nothing[*]}x{end}after", &l), "after");
        // Without `end`, the loop body runs again on the outer value.
        assert_eq!(
            run("{range .items[*]}{.metadata.name}{\"\\n\"}", &l),
            "a\nb\n\n"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(JsonPath::parse("{.foo").unwrap_err(), "unclosed action");
        assert_eq!(
            JsonPath::parse("{.a,.b}").unwrap_err(),
            "unrecognized character in action: U+002C ','"
        );
        assert_eq!(
            JsonPath::parse("{.data[\"a\"]}").unwrap_err(),
            "invalid array index \"a\""
        );
        let p = JsonPath::parse("{.items[5]}").unwrap();
        assert_eq!(
            p.execute(&list(), false).unwrap_err().0,
            "array index out of bounds: index 5, length 2"
        );
        let p = JsonPath::parse("{.kind}{end}").unwrap();
        assert_eq!(
            p.execute(&list(), false).unwrap_err().0,
            "not in range, nothing to end"
        );
    }

    #[test]
    fn as_json() {
        let p = JsonPath::parse("{.items[*].metadata.name}").unwrap();
        assert_eq!(
            p.execute(&list(), true).unwrap(),
            "[\n    \"a\",\n    \"b\"\n]\n"
        );
    }

    #[test]
    fn relaxed_paths() {
        assert_eq!(relaxed(".metadata.name").unwrap(), "{.metadata.name}");
        assert_eq!(relaxed("metadata.name").unwrap(), "{.metadata.name}");
        assert_eq!(relaxed("{.metadata.name}").unwrap(), "{.metadata.name}");
        assert!(relaxed("{.a}{.b}").is_err());
    }
}
