//! `-o go-template=...`: Go's text/template over the unstructured object, with the two
//! functions kubectl adds (`base64decode`, `exists`). Covers what templates in the wild use:
//! fields and variables, pipelines, `if`/`else if`/`else`, `range` (with `$i, $v :=` and
//! `else`), `with`, `break`/`continue`, comments, `{{-`/`-}}` trimming, and the builtins
//! `and or not len index print printf println eq ne lt le gt ge slice`.

use super::jsonpath::{go_quote, go_v};
use base64::Engine;
use serde_json::Value;

#[derive(Clone, Debug)]
pub struct GoTemplate {
    nodes: Vec<TNode>,
}

#[derive(Clone, Debug)]
enum TNode {
    Text(String),
    Action(Pipeline),
    If(Vec<(Pipeline, Vec<TNode>)>, Vec<TNode>),
    Range(Pipeline, Vec<TNode>, Vec<TNode>),
    With(Pipeline, Vec<TNode>, Vec<TNode>),
    Break,
    Continue,
}

#[derive(Clone, Debug)]
struct Pipeline {
    decl: Vec<String>,
    /// `=` rather than `:=`.
    assign: bool,
    cmds: Vec<Vec<Arg>>,
}

#[derive(Clone, Debug)]
enum Arg {
    /// `.a.b` (empty: `.`)
    Field(Vec<String>),
    /// `$x.a.b` (`$` alone is the root)
    Var(String, Vec<String>),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
    Ident(String),
    Sub(Box<Pipeline>, Vec<String>),
}

#[derive(Debug)]
enum Tok {
    Text(String),
    Action(String),
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut rest = src;
    let mut trim_next = false;
    while !rest.is_empty() {
        match rest.find("{{") {
            None => {
                let t = if trim_next { rest.trim_start() } else { rest };
                toks.push(Tok::Text(t.to_string()));
                break;
            }
            Some(i) => {
                let mut text = &rest[..i];
                if trim_next {
                    text = text.trim_start();
                }
                let after = &rest[i + 2..];
                let trim_left =
                    after.starts_with("- ") || after.starts_with("-\t") || after.starts_with("-\n");
                if trim_left {
                    text = text.trim_end();
                }
                if !text.is_empty() {
                    toks.push(Tok::Text(text.to_string()));
                }
                let body_start = if trim_left { &after[1..] } else { after };
                // Find the closing `}}` outside string literals.
                let bytes = body_start.as_bytes();
                let mut j = 0;
                let mut quote: Option<u8> = None;
                let close = loop {
                    if j >= bytes.len() {
                        return Err("unclosed action".into());
                    }
                    let c = bytes[j];
                    match quote {
                        Some(q) => {
                            if c == b'\\' && q == b'"' {
                                j += 1;
                            } else if c == q {
                                quote = None;
                            }
                        }
                        None => {
                            if c == b'"' || c == b'`' || c == b'\'' {
                                quote = Some(c);
                            } else if body_start[j..].starts_with("}}") {
                                break j;
                            }
                        }
                    }
                    j += 1;
                };
                let mut body = &body_start[..close];
                trim_next = false;
                if body.ends_with(" -") || body.ends_with("\t-") || body.ends_with("\n-") {
                    body = &body[..body.len() - 1];
                    trim_next = true;
                }
                let body = body.trim();
                if !(body.starts_with("/*") && body.ends_with("*/")) {
                    toks.push(Tok::Action(body.to_string()));
                }
                rest = &body_start[close + 2..];
            }
        }
    }
    Ok(toks)
}

// ----- parsing actions -----

fn split_words(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let st = i;
        match c {
            '"' => {
                i += 1;
                while i < cs.len() && cs[i] != '"' {
                    if cs[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= cs.len() {
                    return Err("unterminated quoted string".into());
                }
                i += 1;
            }
            '`' => {
                i += 1;
                while i < cs.len() && cs[i] != '`' {
                    i += 1;
                }
                if i >= cs.len() {
                    return Err("unterminated raw quoted string".into());
                }
                i += 1;
            }
            '(' => {
                let mut depth = 0;
                loop {
                    if i >= cs.len() {
                        return Err("unclosed left paren".into());
                    }
                    match cs[i] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        '"' => {
                            i += 1;
                            while i < cs.len() && cs[i] != '"' {
                                if cs[i] == '\\' {
                                    i += 1;
                                }
                                i += 1;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                // A field chain may follow the parenthesis: `(index .a 0).name`.
                while i < cs.len() && !cs[i].is_whitespace() && cs[i] != '|' {
                    i += 1;
                }
            }
            '|' => i += 1,
            _ => {
                while i < cs.len() && !cs[i].is_whitespace() && cs[i] != '|' && cs[i] != '(' {
                    i += 1;
                }
            }
        }
        out.push(cs[st..i].iter().collect());
    }
    Ok(out)
}

fn parse_pipeline(s: &str) -> Result<Pipeline, String> {
    let mut words = split_words(s)?;
    let mut decl = Vec::new();
    let mut assign = false;
    if let Some(pos) = words.iter().position(|w| w == ":=" || w == "=") {
        if words[..pos]
            .iter()
            .all(|w| w.starts_with('$') || w.ends_with(','))
        {
            assign = words[pos] == "=";
            decl = words[..pos]
                .iter()
                .map(|w| w.trim_end_matches(',').to_string())
                .collect();
            words = words[pos + 1..].to_vec();
        }
    }
    let mut cmds = Vec::new();
    let mut cur = Vec::new();
    for w in words {
        if w == "|" {
            if cur.is_empty() {
                return Err("missing command".into());
            }
            cmds.push(std::mem::take(&mut cur));
        } else {
            cur.push(parse_arg(&w)?);
        }
    }
    if cur.is_empty() {
        return Err("missing value for command".into());
    }
    cmds.push(cur);
    Ok(Pipeline { decl, assign, cmds })
}

fn fields(s: &str) -> Vec<String> {
    s.split('.')
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

fn parse_arg(w: &str) -> Result<Arg, String> {
    Ok(if w.starts_with('(') {
        let close = w.rfind(')').ok_or("unclosed left paren")?;
        Arg::Sub(
            Box::new(parse_pipeline(&w[1..close])?),
            fields(&w[close + 1..]),
        )
    } else if let Some(rest) = w.strip_prefix('.') {
        Arg::Field(fields(rest))
    } else if let Some(rest) = w.strip_prefix('$') {
        let (name, f) = match rest.find('.') {
            Some(i) => (&rest[..i], fields(&rest[i..])),
            None => (rest, vec![]),
        };
        Arg::Var(format!("${name}"), f)
    } else if w.starts_with('"') {
        Arg::Str(unquote(w).ok_or_else(|| format!("invalid syntax: {w}"))?)
    } else if let Some(r) = w.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        Arg::Str(r.to_string())
    } else if w == "true" || w == "false" {
        Arg::Bool(w == "true")
    } else if w == "nil" {
        Arg::Nil
    } else if let Ok(i) = w.parse::<i64>() {
        Arg::Int(i)
    } else if let Ok(f) = w.parse::<f64>() {
        Arg::Float(f)
    } else if w.chars().all(|c| c.is_alphanumeric() || c == '_') {
        Arg::Ident(w.to_string())
    } else {
        return Err(format!("unexpected {w:?} in command"));
    })
}

fn unquote(s: &str) -> Option<String> {
    let body = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut it = body.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            c => {
                out.push('\\');
                out.push(c);
            }
        }
    }
    Some(out)
}

struct Builder {
    toks: std::vec::IntoIter<Tok>,
}

enum End {
    Eof,
    End,
    Else(Option<String>),
}

impl Builder {
    fn list(&mut self) -> Result<(Vec<TNode>, End), String> {
        let mut out = Vec::new();
        while let Some(t) = self.toks.next() {
            match t {
                Tok::Text(s) => out.push(TNode::Text(s)),
                Tok::Action(a) => {
                    let (kw, rest) = match a.split_once(char::is_whitespace) {
                        Some((k, r)) => (k, r.trim()),
                        None => (a.as_str(), ""),
                    };
                    match kw {
                        "end" => return Ok((out, End::End)),
                        "else" => {
                            return Ok((
                                out,
                                End::Else((!rest.is_empty()).then(|| rest.to_string())),
                            ))
                        }
                        "if" => out.push(self.if_chain(rest)?),
                        "range" | "with" => {
                            let p = parse_pipeline(rest)?;
                            let (body, end) = self.list()?;
                            let els = match end {
                                End::End => vec![],
                                End::Else(None) => match self.list()? {
                                    (e, End::End) => e,
                                    _ => return Err(format!("expected end; found else in {kw}")),
                                },
                                End::Else(Some(_)) if kw == "range" => {
                                    return Err("unexpected else if in range".into())
                                }
                                End::Else(Some(cond)) => {
                                    // `with ... else with ...`
                                    let inner = cond
                                        .strip_prefix("with ")
                                        .ok_or("expected with after else")?;
                                    let p2 = parse_pipeline(inner)?;
                                    let (b2, e2) = self.list()?;
                                    let els2 = match e2 {
                                        End::End => vec![],
                                        End::Else(None) => self.list()?.0,
                                        _ => return Err("unexpected else".into()),
                                    };
                                    vec![TNode::With(p2, b2, els2)]
                                }
                                End::Eof => return Err(format!("unexpected EOF in {kw}")),
                            };
                            out.push(if kw == "range" {
                                TNode::Range(p, body, els)
                            } else {
                                TNode::With(p, body, els)
                            });
                        }
                        "break" => out.push(TNode::Break),
                        "continue" => out.push(TNode::Continue),
                        "define" | "template" | "block" => {
                            return Err(format!("{kw} is not supported here"))
                        }
                        _ => out.push(TNode::Action(parse_pipeline(&a)?)),
                    }
                }
            }
        }
        Ok((out, End::Eof))
    }

    fn if_chain(&mut self, cond: &str) -> Result<TNode, String> {
        let mut branches = Vec::new();
        let mut cond = cond.to_string();
        loop {
            let p = parse_pipeline(&cond)?;
            let (body, end) = self.list()?;
            branches.push((p, body));
            match end {
                End::End => return Ok(TNode::If(branches, vec![])),
                End::Else(None) => {
                    let (els, e) = self.list()?;
                    if !matches!(e, End::End) {
                        return Err("expected end; found else".into());
                    }
                    return Ok(TNode::If(branches, els));
                }
                End::Else(Some(c)) => {
                    cond = c
                        .strip_prefix("if ")
                        .ok_or("expected if after else")?
                        .to_string();
                }
                End::Eof => return Err("unexpected EOF".into()),
            }
        }
    }
}

impl GoTemplate {
    /// Parse a template; the error reads like Go's (`template: output:1: ...`).
    pub fn parse(src: &str) -> Result<GoTemplate, String> {
        let wrap = |e: String| format!("template: output:1: {e}");
        let toks = lex(src).map_err(wrap)?;
        let mut b = Builder {
            toks: toks.into_iter(),
        };
        let (nodes, end) = b.list().map_err(wrap)?;
        match end {
            End::Eof => Ok(GoTemplate { nodes }),
            End::End => Err(wrap("unexpected {{end}}".into())),
            End::Else(_) => Err(wrap("unexpected {{else}}".into())),
        }
    }

    pub fn execute(&self, data: &Value) -> Result<String, String> {
        let mut ex = Exec {
            out: String::new(),
            vars: vec![("$".into(), data.clone())],
        };
        match ex.nodes(&self.nodes, data) {
            Ok(_) => Ok(ex.out),
            Err(e) => Err(format!(
                "error executing template: template: output:1: executing \"output\": {e}"
            )),
        }
    }
}

// ----- execution -----

#[derive(PartialEq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

struct Exec {
    out: String,
    vars: Vec<(String, Value)>,
}

/// A value, or Go's "no value" (a missing map key).
type V = Option<Value>;

fn truth(v: &V) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => !m.is_empty(),
    }
}

fn print_v(v: &V) -> String {
    match v {
        None => "<no value>".into(),
        Some(Value::Null) => "<nil>".into(),
        Some(x) => go_v(x),
    }
}

fn field_of(v: V, names: &[String]) -> Result<V, String> {
    let mut cur = v;
    for n in names {
        cur = match cur {
            Some(Value::Object(m)) => m.get(n).cloned(),
            None | Some(Value::Null) => {
                return Err(format!("nil pointer evaluating interface {{}}.{n}"))
            }
            Some(other) => {
                return Err(format!(
                    "can't evaluate field {n} in type {}",
                    match other {
                        Value::String(_) => "string",
                        Value::Array(_) => "[]interface {}",
                        Value::Bool(_) => "bool",
                        _ => "int64",
                    }
                ))
            }
        };
    }
    Ok(cur)
}

impl Exec {
    fn nodes(&mut self, nodes: &[TNode], dot: &Value) -> Result<Flow, String> {
        for n in nodes {
            let f = self.node(n, dot)?;
            if f != Flow::Normal {
                return Ok(f);
            }
        }
        Ok(Flow::Normal)
    }

    fn scoped(&mut self, nodes: &[TNode], dot: &Value) -> Result<Flow, String> {
        let mark = self.vars.len();
        let r = self.nodes(nodes, dot);
        self.vars.truncate(mark);
        r
    }

    fn node(&mut self, n: &TNode, dot: &Value) -> Result<Flow, String> {
        match n {
            TNode::Text(t) => self.out.push_str(t),
            TNode::Action(p) => {
                let v = self.pipeline(p, dot)?;
                if p.decl.is_empty() {
                    let s = print_v(&v);
                    self.out.push_str(&s);
                }
            }
            TNode::If(branches, els) => {
                for (c, body) in branches {
                    let mark = self.vars.len();
                    let v = self.pipeline(c, dot)?;
                    if truth(&v) {
                        let r = self.nodes(body, dot);
                        self.vars.truncate(mark);
                        return r;
                    }
                    self.vars.truncate(mark);
                }
                return self.scoped(els, dot);
            }
            TNode::With(p, body, els) => {
                let mark = self.vars.len();
                let v = self.pipeline(p, dot)?;
                let r = if truth(&v) {
                    let d = v.unwrap_or(Value::Null);
                    self.nodes(body, &d)
                } else {
                    self.nodes(els, dot)
                };
                self.vars.truncate(mark);
                return r;
            }
            TNode::Range(p, body, els) => {
                let mut q = p.clone();
                let decl = std::mem::take(&mut q.decl);
                let v = self.pipeline(&q, dot)?;
                let items: Vec<(Value, Value)> = match &v {
                    Some(Value::Array(a)) => a
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (Value::from(i as i64), x.clone()))
                        .collect(),
                    Some(Value::Object(m)) => {
                        let mut keys: Vec<&String> = m.keys().collect();
                        kubeplay_sort::sort(&mut keys);
                        keys.into_iter()
                            .map(|k| (Value::String(k.clone()), m[k].clone()))
                            .collect()
                    }
                    Some(Value::Number(n)) if n.as_i64().is_some() => (0..n.as_i64().unwrap_or(0))
                        .map(|i| (Value::from(i), Value::from(i)))
                        .collect(),
                    None | Some(Value::Null) => vec![],
                    Some(other) => return Err(format!("range can't iterate over {}", go_v(other))),
                };
                if items.is_empty() {
                    return self.scoped(els, dot);
                }
                for (k, x) in items {
                    let mark = self.vars.len();
                    match decl.len() {
                        0 => {}
                        1 => self.vars.push((decl[0].clone(), x.clone())),
                        _ => {
                            self.vars.push((decl[0].clone(), k));
                            self.vars.push((decl[1].clone(), x.clone()));
                        }
                    }
                    let f = self.nodes(body, &x)?;
                    self.vars.truncate(mark);
                    if f == Flow::Break {
                        break;
                    }
                }
            }
            TNode::Break => return Ok(Flow::Break),
            TNode::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn pipeline(&mut self, p: &Pipeline, dot: &Value) -> Result<V, String> {
        let mut prev: Option<V> = None;
        for cmd in &p.cmds {
            prev = Some(self.command(cmd, dot, prev)?);
        }
        let v = prev.unwrap_or(None);
        if !p.decl.is_empty() {
            let val = v.clone().unwrap_or(Value::Null);
            for d in &p.decl {
                if p.assign {
                    if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == d) {
                        slot.1 = val.clone();
                        continue;
                    }
                    return Err(format!("undefined variable: {d}"));
                }
                self.vars.push((d.clone(), val.clone()));
            }
        }
        Ok(v)
    }

    fn arg(&mut self, a: &Arg, dot: &Value) -> Result<V, String> {
        Ok(match a {
            Arg::Field(f) => field_of(Some(dot.clone()), f)?,
            Arg::Var(name, f) => {
                let v = self
                    .vars
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| format!("undefined variable: {name}"))?;
                field_of(Some(v), f)?
            }
            Arg::Str(s) => Some(Value::String(s.clone())),
            Arg::Int(i) => Some(Value::from(*i)),
            Arg::Float(f) => Some(Value::from(*f)),
            Arg::Bool(b) => Some(Value::Bool(*b)),
            Arg::Nil => Some(Value::Null),
            Arg::Sub(p, f) => {
                let v = self.pipeline(p, dot)?;
                field_of(v, f)?
            }
            Arg::Ident(name) => self.call(name, &[], dot)?,
        })
    }

    fn command(&mut self, cmd: &[Arg], dot: &Value, piped: Option<V>) -> Result<V, String> {
        if let Arg::Ident(name) = &cmd[0] {
            let mut args = Vec::new();
            for a in &cmd[1..] {
                args.push(self.arg(a, dot)?);
            }
            if let Some(p) = piped {
                args.push(p);
            }
            return self.call(name, &args, dot);
        }
        if cmd.len() > 1 || piped.is_some() {
            return Err(format!("can't give argument to non-function {:?}", cmd[0]));
        }
        self.arg(&cmd[0], dot)
    }

    fn call(&mut self, name: &str, args: &[V], _dot: &Value) -> Result<V, String> {
        let n = args.len();
        let want = |k: usize| -> Result<(), String> {
            if n != k {
                Err(format!("wrong number of args for {name}: want {k} got {n}"))
            } else {
                Ok(())
            }
        };
        let s = |v: &V| -> String {
            match v {
                Some(Value::String(s)) => s.clone(),
                other => print_v(other),
            }
        };
        Ok(match name {
            "and" => {
                let mut last = None;
                for a in args {
                    last = a.clone();
                    if !truth(a) {
                        break;
                    }
                }
                last
            }
            "or" => {
                let mut last = None;
                for a in args {
                    last = a.clone();
                    if truth(a) {
                        break;
                    }
                }
                last
            }
            "not" => {
                want(1)?;
                Some(Value::Bool(!truth(&args[0])))
            }
            "len" => {
                want(1)?;
                let l = match &args[0] {
                    Some(Value::String(s)) => s.len(),
                    Some(Value::Array(a)) => a.len(),
                    Some(Value::Object(m)) => m.len(),
                    _ => return Err("len of nil pointer".into()),
                };
                Some(Value::from(l as i64))
            }
            "index" => {
                let mut cur = args
                    .first()
                    .cloned()
                    .ok_or("wrong number of args for index")?;
                for k in &args[1..] {
                    cur = match (cur, k) {
                        (Some(Value::Object(m)), Some(Value::String(key))) => m.get(key).cloned(),
                        (Some(Value::Array(a)), Some(Value::Number(i))) => {
                            let i = i.as_i64().unwrap_or(-1);
                            if i < 0 || i as usize >= a.len() {
                                return Err(format!(
                                    "error calling index: index out of range: {i}"
                                ));
                            }
                            Some(a[i as usize].clone())
                        }
                        (None | Some(Value::Null), _) => {
                            return Err("error calling index: index of untyped nil".into())
                        }
                        _ => return Err("error calling index: cannot index".into()),
                    };
                }
                cur
            }
            "print" => {
                let mut out = String::new();
                for (i, a) in args.iter().enumerate() {
                    let is_str = matches!(a, Some(Value::String(_)));
                    let prev_str = i > 0 && matches!(args[i - 1], Some(Value::String(_)));
                    if i > 0 && !is_str && !prev_str {
                        out.push(' ');
                    }
                    out.push_str(&s(a));
                }
                Some(Value::String(out))
            }
            "println" => {
                let parts: Vec<String> = args.iter().map(s).collect();
                Some(Value::String(format!("{}\n", parts.join(" "))))
            }
            "printf" => {
                let f = match args.first() {
                    Some(Some(Value::String(f))) => f.clone(),
                    _ => return Err("wrong number of args for printf".into()),
                };
                Some(Value::String(sprintf(&f, &args[1..])))
            }
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
                if n < 2 {
                    return Err(format!("missing argument for comparison"));
                }
                let cmp = |a: &V, b: &V| -> Result<std::cmp::Ordering, String> {
                    match (a, b) {
                        (Some(Value::String(x)), Some(Value::String(y))) => Ok(x.cmp(y)),
                        (Some(Value::Number(x)), Some(Value::Number(y))) => x
                            .as_f64()
                            .partial_cmp(&y.as_f64())
                            .ok_or_else(|| "incomparable".to_string()),
                        (Some(Value::Bool(x)), Some(Value::Bool(y)))
                            if matches!(name, "eq" | "ne") =>
                        {
                            Ok(x.cmp(y))
                        }
                        _ => Err("incompatible types for comparison".into()),
                    }
                };
                use std::cmp::Ordering::*;
                let r = match name {
                    "eq" => {
                        let mut any = false;
                        for b in &args[1..] {
                            if cmp(&args[0], b)? == Equal {
                                any = true;
                            }
                        }
                        any
                    }
                    "ne" => cmp(&args[0], &args[1])? != Equal,
                    "lt" => cmp(&args[0], &args[1])? == Less,
                    "le" => cmp(&args[0], &args[1])? != Greater,
                    "gt" => cmp(&args[0], &args[1])? == Greater,
                    _ => cmp(&args[0], &args[1])? != Less,
                };
                Some(Value::Bool(r))
            }
            "base64decode" => {
                want(1)?;
                let b = base64::engine::general_purpose::STANDARD
                    .decode(s(&args[0]).as_bytes())
                    .map_err(|e| format!("error calling base64decode: {e}"))?;
                Some(Value::String(String::from_utf8_lossy(&b).into_owned()))
            }
            "exists" => {
                let mut cur = args.first().cloned().unwrap_or(None);
                for k in &args[1..] {
                    cur = match (cur, k) {
                        (Some(Value::Object(m)), Some(Value::String(key))) => m.get(key).cloned(),
                        _ => None,
                    };
                }
                Some(Value::Bool(cur.is_some()))
            }
            "html" | "js" | "urlquery" => Some(Value::String(
                args.iter().map(s).collect::<Vec<_>>().join(""),
            )),
            _ => return Err(format!("function \"{name}\" not defined")),
        })
    }
}

/// A subset of Go's `fmt.Sprintf`: `%s %v %d %q %t %x %f %%`, with width and `-`/`0` flags.
fn sprintf(f: &str, args: &[V]) -> String {
    let mut out = String::new();
    let cs: Vec<char> = f.chars().collect();
    let mut i = 0;
    let mut ai = 0;
    while i < cs.len() {
        if cs[i] != '%' {
            out.push(cs[i]);
            i += 1;
            continue;
        }
        i += 1;
        if i < cs.len() && cs[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let mut left = false;
        let mut zero = false;
        while i < cs.len() && (cs[i] == '-' || cs[i] == '0' || cs[i] == '+' || cs[i] == ' ') {
            left |= cs[i] == '-';
            zero |= cs[i] == '0';
            i += 1;
        }
        let mut width = 0usize;
        while i < cs.len() && cs[i].is_ascii_digit() {
            width = width * 10 + (cs[i] as usize - '0' as usize);
            i += 1;
        }
        let mut prec: Option<usize> = None;
        if i < cs.len() && cs[i] == '.' {
            i += 1;
            let mut p = 0;
            while i < cs.len() && cs[i].is_ascii_digit() {
                p = p * 10 + (cs[i] as usize - '0' as usize);
                i += 1;
            }
            prec = Some(p);
        }
        let Some(&verb) = cs.get(i) else {
            out.push_str("%!(NOVERB)");
            break;
        };
        i += 1;
        let Some(arg) = args.get(ai) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        ai += 1;
        let body = match (verb, arg) {
            ('d', Some(Value::Number(n))) if n.as_i64().is_some() => n.to_string(),
            ('f', Some(Value::Number(n))) => {
                format!("{:.*}", prec.unwrap_or(6), n.as_f64().unwrap_or(0.0))
            }
            ('x', Some(Value::Number(n))) if n.as_i64().is_some() => {
                format!("{:x}", n.as_i64().unwrap_or(0))
            }
            ('x', Some(Value::String(s))) => s.bytes().map(|b| format!("{b:02x}")).collect(),
            ('q', Some(Value::String(s))) => go_quote(s),
            ('t', Some(Value::Bool(b))) => b.to_string(),
            ('s' | 'v', v) => {
                let s = print_v(v);
                match prec {
                    Some(p) if verb == 's' => s.chars().take(p).collect(),
                    _ => s,
                }
            }
            (v, x) => format!("%!{v}({})", print_v(x)),
        };
        let len = body.chars().count();
        if len < width {
            let pad = width - len;
            if left {
                out.push_str(&body);
                out.push_str(&" ".repeat(pad));
            } else if zero && verb != 's' {
                out.push_str(&"0".repeat(pad));
                out.push_str(&body);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&body);
            }
        } else {
            out.push_str(&body);
        }
    }
    if ai < args.len() {
        let extra: Vec<String> = args[ai..]
            .iter()
            .map(|a| format!("string={}", print_v(a)))
            .collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(t: &str, v: &Value) -> String {
        GoTemplate::parse(t).unwrap().execute(v).unwrap()
    }

    #[test]
    fn fields_ranges_and_functions() {
        let v = json!({"items": [
            {"metadata": {"name": "a"}, "data": {"k": "aGVsbG8="}, "spec": {"replicas": 3}},
            {"metadata": {"name": "b"}, "spec": {"replicas": 0}},
        ]});
        assert_eq!(
            run("{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}", &v),
            "a\nb\n"
        );
        assert_eq!(
            run(
                "{{range $i, $x := .items}}{{$i}}={{$x.metadata.name}} {{end}}",
                &v
            ),
            "0=a 1=b "
        );
        assert_eq!(
            run("{{range .items}}{{if gt .spec.replicas 0}}{{.metadata.name}}{{else}}-{{end}}{{end}}", &v),
            "a-"
        );
        assert_eq!(
            run("{{(index .items 0).data.k | base64decode}}", &v),
            "hello"
        );
        assert_eq!(run("{{index (index .items 0).data \"k\"}}", &v), "aGVsbG8=");
        assert_eq!(run("{{.nope}}", &v), "<no value>");
        assert_eq!(
            run("{{len .items}} {{printf \"%-3s|%03d\" \"x\" 7}}", &v),
            "2 x  |007"
        );
        assert_eq!(
            run(
                "{{- range .items -}}\n  {{ .metadata.name }}\n{{- end }}",
                &v
            ),
            "ab"
        );
        assert_eq!(run("{{/* c */}}{{with .items}}{{len .}}{{end}}", &v), "2");
    }

    #[test]
    fn parse_errors() {
        assert!(GoTemplate::parse("{{.a")
            .unwrap_err()
            .contains("unclosed action"));
        assert!(GoTemplate::parse("{{if .a}}x").is_err());
        assert!(GoTemplate::parse("{{end}}").is_err());
    }
}
