//! A small `jq`: paths (`.a.b`, `.items[]`, `.[0]`), pipes, commas, `select`, `map`, `keys`,
//! `length`, object and array construction, comparisons, `-r`, `-c`. Keys keep their input
//! order, as jq's do.

use super::{exit, Cx, Outcome};

#[derive(Clone, Debug, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    /// The number and, for numbers read from input, their text as written.
    Num(f64, Option<String>),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

// ------------------------------------------------------------------ JSON

struct Rd<'a> {
    s: &'a [u8],
    i: usize,
}

impl Rd<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn value(&mut self, depth: usize) -> Result<J, String> {
        if depth > 512 {
            return Err("Exceeds depth limit for parsing".into());
        }
        self.ws();
        let Some(&c) = self.s.get(self.i) else {
            return Err("Unfinished JSON term".into());
        };
        match c {
            b'{' => {
                self.i += 1;
                let mut v = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(J::Obj(v));
                }
                loop {
                    self.ws();
                    let J::Str(k) = self.value(depth + 1)? else {
                        return Err("Object keys must be strings".into());
                    };
                    self.ws();
                    if self.s.get(self.i) != Some(&b':') {
                        return Err("Objects must consist of key:value pairs".into());
                    }
                    self.i += 1;
                    let val = self.value(depth + 1)?;
                    if let Some(e) = v.iter_mut().find(|(kk, _): &&mut (String, J)| *kk == k) {
                        e.1 = val;
                    } else {
                        v.push((k, val));
                    }
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(J::Obj(v));
                        }
                        _ => return Err("Expected separator between values".into()),
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut v = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(J::Arr(v));
                }
                loop {
                    v.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(J::Arr(v));
                        }
                        _ => return Err("Expected separator between values".into()),
                    }
                }
            }
            b'"' => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    let Some(&b) = self.s.get(self.i) else {
                        return Err("Unfinished string".into());
                    };
                    self.i += 1;
                    match b {
                        b'"' => break,
                        b'\\' => {
                            let Some(&e) = self.s.get(self.i) else {
                                return Err("Unfinished string".into());
                            };
                            self.i += 1;
                            match e {
                                b'n' => out.push(b'\n'),
                                b't' => out.push(b'\t'),
                                b'r' => out.push(b'\r'),
                                b'b' => out.push(8),
                                b'f' => out.push(12),
                                b'u' => {
                                    let hex = std::str::from_utf8(
                                        self.s.get(self.i..self.i + 4).unwrap_or(b""),
                                    )
                                    .unwrap_or("")
                                    .to_string();
                                    self.i += 4;
                                    let mut cp = u32::from_str_radix(&hex, 16)
                                        .map_err(|_| "Invalid escape".to_string())?;
                                    if (0xD800..0xDC00).contains(&cp)
                                        && self.s.get(self.i..self.i + 2) == Some(b"\\u")
                                    {
                                        let lo = std::str::from_utf8(
                                            self.s.get(self.i + 2..self.i + 6).unwrap_or(b""),
                                        )
                                        .unwrap_or("")
                                        .to_string();
                                        if let Ok(lo) = u32::from_str_radix(&lo, 16) {
                                            self.i += 6;
                                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                        }
                                    }
                                    let ch = char::from_u32(cp).unwrap_or('\u{fffd}');
                                    out.extend_from_slice(ch.to_string().as_bytes());
                                }
                                other => out.push(other),
                            }
                        }
                        b => out.push(b),
                    }
                }
                Ok(J::Str(String::from_utf8_lossy(&out).into_owned()))
            }
            b't' if self.s[self.i..].starts_with(b"true") => {
                self.i += 4;
                Ok(J::Bool(true))
            }
            b'f' if self.s[self.i..].starts_with(b"false") => {
                self.i += 5;
                Ok(J::Bool(false))
            }
            b'n' if self.s[self.i..].starts_with(b"null") => {
                self.i += 4;
                Ok(J::Null)
            }
            b'-' | b'0'..=b'9' => {
                let st = self.i;
                self.i += 1;
                while self.i < self.s.len()
                    && (self.s[self.i].is_ascii_digit() || b".eE+-".contains(&self.s[self.i]))
                {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[st..self.i]).unwrap_or("0");
                let v: f64 = t
                    .parse()
                    .map_err(|_| "Invalid numeric literal".to_string())?;
                Ok(J::Num(v, Some(t.to_string())))
            }
            _ => Err("Invalid literal".into()),
        }
    }
}

/// Every JSON value in `s`, one after another (as jq reads its input).
pub fn parse_stream(s: &[u8]) -> Result<Vec<J>, String> {
    let mut r = Rd { s, i: 0 };
    let mut v = Vec::new();
    loop {
        r.ws();
        if r.i >= s.len() {
            return Ok(v);
        }
        v.push(r.value(0)?);
    }
}

fn num_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e17 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn esc(s: &str, o: &mut String) {
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            '\r' => o.push_str("\\r"),
            '\u{8}' => o.push_str("\\b"),
            '\u{c}' => o.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                o.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => o.push(c),
        }
    }
    o.push('"');
}

pub fn write(v: &J, pretty: bool, indent: usize, o: &mut String) {
    let nl = |o: &mut String, n: usize| {
        if pretty {
            o.push('\n');
            o.push_str(&" ".repeat(n * 2));
        }
    };
    match v {
        J::Null => o.push_str("null"),
        J::Bool(b) => o.push_str(if *b { "true" } else { "false" }),
        J::Num(n, t) => o.push_str(&t.clone().unwrap_or_else(|| num_text(*n))),
        J::Str(s) => esc(s, o),
        J::Arr(a) if a.is_empty() => o.push_str("[]"),
        J::Obj(m) if m.is_empty() => o.push_str("{}"),
        J::Arr(a) => {
            o.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    o.push(',');
                }
                nl(o, indent + 1);
                write(x, pretty, indent + 1, o);
            }
            nl(o, indent);
            o.push(']');
        }
        J::Obj(m) => {
            o.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    o.push(',');
                }
                nl(o, indent + 1);
                esc(k, o);
                o.push(':');
                if pretty {
                    o.push(' ');
                }
                write(x, pretty, indent + 1, o);
            }
            nl(o, indent);
            o.push('}');
        }
    }
}

// ---------------------------------------------------------------- filters

#[derive(Clone, Debug)]
enum F {
    Identity,
    RecurseAll,
    Field(Box<F>, String, bool),
    Index(Box<F>, Box<F>, bool),
    Slice(Box<F>, Option<Box<F>>, Option<Box<F>>),
    Iter(Box<F>, bool),
    Pipe(Box<F>, Box<F>),
    Comma(Box<F>, Box<F>),
    Lit(J),
    Str(Vec<StrPart>),
    Arr(Option<Box<F>>),
    Obj(Vec<(F, Option<F>)>),
    Neg(Box<F>),
    Bin(Box<F>, &'static str, Box<F>),
    Alt(Box<F>, Box<F>),
    Call(String, Vec<F>),
    If(Box<F>, Box<F>, Option<Box<F>>),
}

#[derive(Clone, Debug)]
enum StrPart {
    Lit(String),
    Interp(F),
}

struct P<'a> {
    c: Vec<char>,
    i: usize,
    src: &'a str,
    depth: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.c.len() && self.c[self.i].is_whitespace() {
            self.i += 1;
        }
    }
    fn eat(&mut self, s: &str) -> bool {
        self.ws();
        let n = s.chars().count();
        if self.c.len() >= self.i + n && self.c[self.i..self.i + n].iter().copied().eq(s.chars()) {
            // keywords must not run into identifiers
            if s.chars().all(|c| c.is_ascii_alphabetic())
                && self
                    .c
                    .get(self.i + n)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                return false;
            }
            self.i += n;
            true
        } else {
            false
        }
    }
    fn err<T>(&self) -> Result<T, String> {
        Err(format!("syntax error, unexpected INVALID_CHARACTER (Unix shell quoting issues?) at <top-level>, line 1:\n{}", self.src))
    }
    fn pipe(&mut self) -> Result<F, String> {
        self.depth += 1;
        if self.depth > 200 {
            return self.err();
        }
        let l = self.comma()?;
        let r = if self.eat("|") {
            Ok(F::Pipe(Box::new(l), Box::new(self.pipe()?)))
        } else {
            Ok(l)
        };
        self.depth -= 1;
        r
    }
    fn comma(&mut self) -> Result<F, String> {
        let mut l = self.alt()?;
        while self.eat(",") {
            l = F::Comma(Box::new(l), Box::new(self.alt()?));
        }
        Ok(l)
    }
    fn alt(&mut self) -> Result<F, String> {
        let l = self.or()?;
        if self.eat("//") {
            return Ok(F::Alt(Box::new(l), Box::new(self.alt()?)));
        }
        Ok(l)
    }
    fn or(&mut self) -> Result<F, String> {
        let mut l = self.and()?;
        while self.eat("or") {
            l = F::Bin(Box::new(l), "or", Box::new(self.and()?));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<F, String> {
        let mut l = self.cmp()?;
        while self.eat("and") {
            l = F::Bin(Box::new(l), "and", Box::new(self.cmp()?));
        }
        Ok(l)
    }
    fn cmp(&mut self) -> Result<F, String> {
        let l = self.add()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                return Ok(F::Bin(Box::new(l), op, Box::new(self.add()?)));
            }
        }
        Ok(l)
    }
    fn add(&mut self) -> Result<F, String> {
        let mut l = self.mul()?;
        loop {
            self.ws();
            if self.c.get(self.i) == Some(&'+') {
                self.i += 1;
                l = F::Bin(Box::new(l), "+", Box::new(self.mul()?));
            } else if self.c.get(self.i) == Some(&'-') {
                self.i += 1;
                l = F::Bin(Box::new(l), "-", Box::new(self.mul()?));
            } else {
                return Ok(l);
            }
        }
    }
    fn mul(&mut self) -> Result<F, String> {
        let mut l = self.postfix()?;
        loop {
            self.ws();
            match self.c.get(self.i) {
                Some('*') => {
                    self.i += 1;
                    l = F::Bin(Box::new(l), "*", Box::new(self.postfix()?));
                }
                Some('/') if self.c.get(self.i + 1) != Some(&'/') => {
                    self.i += 1;
                    l = F::Bin(Box::new(l), "/", Box::new(self.postfix()?));
                }
                Some('%') => {
                    self.i += 1;
                    l = F::Bin(Box::new(l), "%", Box::new(self.postfix()?));
                }
                _ => return Ok(l),
            }
        }
    }
    fn ident(&mut self) -> String {
        let s = self.i;
        while self.i < self.c.len()
            && (self.c[self.i].is_ascii_alphanumeric() || self.c[self.i] == '_')
        {
            self.i += 1;
        }
        self.c[s..self.i].iter().collect()
    }
    fn string(&mut self) -> Result<Vec<StrPart>, String> {
        // after the opening quote
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(&c) = self.c.get(self.i) else {
                return self.err();
            };
            self.i += 1;
            match c {
                '"' => break,
                '\\' => {
                    let Some(&e) = self.c.get(self.i) else {
                        return self.err();
                    };
                    self.i += 1;
                    match e {
                        'n' => lit.push('\n'),
                        't' => lit.push('\t'),
                        'r' => lit.push('\r'),
                        '(' => {
                            if !lit.is_empty() {
                                parts.push(StrPart::Lit(std::mem::take(&mut lit)));
                            }
                            let f = self.pipe()?;
                            if !self.eat(")") {
                                return self.err();
                            }
                            parts.push(StrPart::Interp(f));
                        }
                        o => lit.push(o),
                    }
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() || parts.is_empty() {
            parts.push(StrPart::Lit(lit));
        }
        Ok(parts)
    }
    fn postfix(&mut self) -> Result<F, String> {
        let mut f = self.primary()?;
        loop {
            self.ws();
            if self.c.get(self.i) == Some(&'.')
                && self
                    .c
                    .get(self.i + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == '_' || *c == '"')
            {
                self.i += 1;
                let name = if self.c.get(self.i) == Some(&'"') {
                    self.i += 1;
                    let parts = self.string()?;
                    parts
                        .iter()
                        .map(|p| {
                            if let StrPart::Lit(s) = p {
                                s.clone()
                            } else {
                                String::new()
                            }
                        })
                        .collect()
                } else {
                    self.ident()
                };
                let opt = self.eat("?");
                f = F::Field(Box::new(f), name, opt);
            } else if self.c.get(self.i) == Some(&'[')
                || (self.c.get(self.i) == Some(&'.') && self.c.get(self.i + 1) == Some(&'['))
            {
                if self.c[self.i] == '.' {
                    self.i += 1;
                }
                self.i += 1;
                if self.eat("]") {
                    let opt = self.eat("?");
                    f = F::Iter(Box::new(f), opt);
                    continue;
                }
                if self.eat(":") {
                    let hi = self.pipe()?;
                    if !self.eat("]") {
                        return self.err();
                    }
                    f = F::Slice(Box::new(f), None, Some(Box::new(hi)));
                    continue;
                }
                let idx = self.pipe()?;
                if self.eat(":") {
                    let hi = if self.eat("]") {
                        f = F::Slice(Box::new(f), Some(Box::new(idx)), None);
                        continue;
                    } else {
                        self.pipe()?
                    };
                    if !self.eat("]") {
                        return self.err();
                    }
                    f = F::Slice(Box::new(f), Some(Box::new(idx)), Some(Box::new(hi)));
                    continue;
                }
                if !self.eat("]") {
                    return self.err();
                }
                let opt = self.eat("?");
                f = F::Index(Box::new(f), Box::new(idx), opt);
            } else {
                return Ok(f);
            }
        }
    }
    fn primary(&mut self) -> Result<F, String> {
        self.ws();
        let Some(&c) = self.c.get(self.i) else {
            return self.err();
        };
        match c {
            '.' => {
                if self.c.get(self.i + 1) == Some(&'.') {
                    self.i += 2;
                    return Ok(F::RecurseAll);
                }
                self.i += 1;
                if self
                    .c
                    .get(self.i)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == '_')
                {
                    let name = self.ident();
                    let opt = self.eat("?");
                    return Ok(F::Field(Box::new(F::Identity), name, opt));
                }
                if self.c.get(self.i) == Some(&'"') {
                    self.i += 1;
                    let parts = self.string()?;
                    let name = parts
                        .iter()
                        .map(|p| {
                            if let StrPart::Lit(s) = p {
                                s.clone()
                            } else {
                                String::new()
                            }
                        })
                        .collect();
                    let opt = self.eat("?");
                    return Ok(F::Field(Box::new(F::Identity), name, opt));
                }
                Ok(F::Identity)
            }
            '"' => {
                self.i += 1;
                Ok(F::Str(self.string()?))
            }
            '(' => {
                self.i += 1;
                let f = self.pipe()?;
                if !self.eat(")") {
                    return self.err();
                }
                Ok(f)
            }
            '[' => {
                self.i += 1;
                if self.eat("]") {
                    return Ok(F::Arr(None));
                }
                let f = self.pipe()?;
                if !self.eat("]") {
                    return self.err();
                }
                Ok(F::Arr(Some(Box::new(f))))
            }
            '{' => {
                self.i += 1;
                let mut entries = Vec::new();
                if self.eat("}") {
                    return Ok(F::Obj(entries));
                }
                loop {
                    self.ws();
                    let key = match self.c.get(self.i) {
                        Some('"') => {
                            self.i += 1;
                            F::Str(self.string()?)
                        }
                        Some('(') => {
                            self.i += 1;
                            let k = self.pipe()?;
                            if !self.eat(")") {
                                return self.err();
                            }
                            k
                        }
                        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
                            F::Lit(J::Str(self.ident()))
                        }
                        _ => return self.err(),
                    };
                    let val = if self.eat(":") {
                        Some(self.alt()?)
                    } else {
                        None
                    };
                    entries.push((key, val));
                    if self.eat("}") {
                        break;
                    }
                    if !self.eat(",") {
                        return self.err();
                    }
                }
                Ok(F::Obj(entries))
            }
            '-' => {
                self.i += 1;
                Ok(F::Neg(Box::new(self.postfix()?)))
            }
            c if c.is_ascii_digit() => {
                let s = self.i;
                while self.i < self.c.len()
                    && (self.c[self.i].is_ascii_digit() || self.c[self.i] == '.')
                {
                    self.i += 1;
                }
                let t: String = self.c[s..self.i].iter().collect();
                Ok(F::Lit(J::Num(t.parse().unwrap_or(0.0), None)))
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.ident();
                match name.as_str() {
                    "true" => return Ok(F::Lit(J::Bool(true))),
                    "false" => return Ok(F::Lit(J::Bool(false))),
                    "null" => return Ok(F::Lit(J::Null)),
                    "if" => return self.if_rest(),
                    _ => {}
                }
                let mut args = Vec::new();
                if self.eat("(") {
                    loop {
                        args.push(self.pipe_no_comma()?);
                        if self.eat(")") {
                            break;
                        }
                        if !self.eat(";") {
                            return self.err();
                        }
                    }
                }
                Ok(F::Call(name, args))
            }
            _ => self.err(),
        }
    }
    /// After `if` (or `elif`): through the closing `end`.
    fn if_rest(&mut self) -> Result<F, String> {
        let cond = self.pipe()?;
        if !self.eat("then") {
            return self.err();
        }
        let a = self.pipe()?;
        if self.eat("elif") {
            let b = self.if_rest()?;
            return Ok(F::If(Box::new(cond), Box::new(a), Some(Box::new(b))));
        }
        if self.eat("else") {
            let b = self.pipe()?;
            if !self.eat("end") {
                return self.err();
            }
            return Ok(F::If(Box::new(cond), Box::new(a), Some(Box::new(b))));
        }
        if !self.eat("end") {
            return self.err();
        }
        Ok(F::If(Box::new(cond), Box::new(a), None))
    }
    fn pipe_no_comma(&mut self) -> Result<F, String> {
        self.pipe()
    }
}

fn truthy(v: &J) -> bool {
    !matches!(v, J::Null | J::Bool(false))
}

fn type_name(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "boolean",
        J::Num(..) => "number",
        J::Str(_) => "string",
        J::Arr(_) => "array",
        J::Obj(_) => "object",
    }
}

fn short(v: &J) -> String {
    let mut s = String::new();
    write(v, false, 0, &mut s);
    if s.len() > 11 {
        let cut: String = s.chars().take(10).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn order(v: &J) -> u8 {
    match v {
        J::Null => 0,
        J::Bool(false) => 1,
        J::Bool(true) => 2,
        J::Num(..) => 3,
        J::Str(_) => 4,
        J::Arr(_) => 5,
        J::Obj(_) => 6,
    }
}

fn cmp(a: &J, b: &J) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a, b) {
        (J::Num(x, _), J::Num(y, _)) => x.partial_cmp(y).unwrap_or(Equal),
        (J::Str(x), J::Str(y)) => x.cmp(y),
        (J::Arr(x), J::Arr(y)) => {
            for (p, q) in x.iter().zip(y) {
                let o = cmp(p, q);
                if o != Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        (J::Obj(x), J::Obj(y)) => {
            let mut kx: Vec<&String> = x.iter().map(|(k, _)| k).collect();
            let mut ky: Vec<&String> = y.iter().map(|(k, _)| k).collect();
            kubeplay_sort::sort(&mut kx);
            kubeplay_sort::sort(&mut ky);
            kx.cmp(&ky)
        }
        _ => order(a).cmp(&order(b)),
    }
}

fn eq(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Num(x, _), J::Num(y, _)) => x == y,
        (J::Obj(x), J::Obj(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && eq(v, v2)))
        }
        (J::Arr(x), J::Arr(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| eq(p, q)),
        _ => a == b,
    }
}

fn num(v: f64) -> J {
    J::Num(v, None)
}

fn tostring(v: &J) -> String {
    match v {
        J::Str(s) => s.clone(),
        other => {
            let mut s = String::new();
            write(other, false, 0, &mut s);
            s
        }
    }
}

fn eval(f: &F, v: &J, depth: usize) -> Result<Vec<J>, String> {
    if depth > 400 {
        return Err("filter too deeply nested".into());
    }
    let d = depth + 1;
    Ok(match f {
        F::Identity => vec![v.clone()],
        F::RecurseAll => {
            let mut out = Vec::new();
            fn rec(v: &J, out: &mut Vec<J>) {
                out.push(v.clone());
                match v {
                    J::Arr(a) => a.iter().for_each(|x| rec(x, out)),
                    J::Obj(m) => m.iter().for_each(|(_, x)| rec(x, out)),
                    _ => {}
                }
            }
            rec(v, &mut out);
            out
        }
        F::Field(base, name, opt) => {
            let mut out = Vec::new();
            for b in eval(base, v, d)? {
                match &b {
                    J::Obj(m) => out.push(
                        m.iter()
                            .find(|(k, _)| k == name)
                            .map(|(_, x)| x.clone())
                            .unwrap_or(J::Null),
                    ),
                    J::Null => out.push(J::Null),
                    other if !opt => {
                        return Err(format!(
                            "Cannot index {} with string \"{name}\"",
                            type_name(other)
                        ))
                    }
                    _ => {}
                }
            }
            out
        }
        F::Index(base, idx, opt) => {
            let mut out = Vec::new();
            for b in eval(base, v, d)? {
                for i in eval(idx, v, d)? {
                    match (&b, &i) {
                        (J::Arr(a), J::Num(n, _)) => {
                            let n = *n as i64;
                            let k = if n < 0 { a.len() as i64 + n } else { n };
                            out.push(if k >= 0 {
                                a.get(k as usize).cloned().unwrap_or(J::Null)
                            } else {
                                J::Null
                            });
                        }
                        (J::Obj(m), J::Str(k)) => out.push(
                            m.iter()
                                .find(|(kk, _)| kk == k)
                                .map(|(_, x)| x.clone())
                                .unwrap_or(J::Null),
                        ),
                        (J::Null, _) => out.push(J::Null),
                        (b, i) if !opt => {
                            return Err(match i {
                                J::Str(s) => {
                                    format!("Cannot index {} with string \"{s}\"", type_name(b))
                                }
                                _ => format!("Cannot index {} with {}", type_name(b), type_name(i)),
                            })
                        }
                        _ => {}
                    }
                }
            }
            out
        }
        F::Slice(base, lo, hi) => {
            let mut out = Vec::new();
            for b in eval(base, v, d)? {
                let len = match &b {
                    J::Arr(a) => a.len(),
                    J::Str(s) => s.chars().count(),
                    J::Null => {
                        out.push(J::Null);
                        continue;
                    }
                    other => return Err(format!("Cannot index {} with object", type_name(other))),
                } as i64;
                let get = |f: &Option<Box<F>>, def: i64| -> Result<i64, String> {
                    match f {
                        None => Ok(def),
                        Some(f) => match eval(f, v, d)?.first() {
                            Some(J::Num(n, _)) => Ok(*n as i64),
                            _ => Ok(def),
                        },
                    }
                };
                let clamp = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                let (a, z) = (clamp(get(lo, 0)?), clamp(get(hi, len)?));
                let z = z.max(a);
                out.push(match &b {
                    J::Arr(arr) => J::Arr(arr[a as usize..z as usize].to_vec()),
                    J::Str(s) => {
                        J::Str(s.chars().skip(a as usize).take((z - a) as usize).collect())
                    }
                    _ => J::Null,
                });
            }
            out
        }
        F::Iter(base, opt) => {
            let mut out = Vec::new();
            for b in eval(base, v, d)? {
                match b {
                    J::Arr(a) => out.extend(a),
                    J::Obj(m) => out.extend(m.into_iter().map(|(_, x)| x)),
                    other if !opt => {
                        return Err(format!(
                            "Cannot iterate over {}{}",
                            type_name(&other),
                            if matches!(other, J::Null) {
                                String::new()
                            } else {
                                format!(" ({})", short(&other))
                            }
                        ))
                    }
                    _ => {}
                }
            }
            out
        }
        F::Pipe(a, b) => {
            let mut out = Vec::new();
            for x in eval(a, v, d)? {
                out.extend(eval(b, &x, d)?);
            }
            out
        }
        F::Comma(a, b) => {
            let mut out = eval(a, v, d)?;
            out.extend(eval(b, v, d)?);
            out
        }
        F::Lit(j) => vec![j.clone()],
        F::Str(parts) => {
            let mut outs = vec![String::new()];
            for p in parts {
                match p {
                    StrPart::Lit(s) => outs.iter_mut().for_each(|o| o.push_str(s)),
                    StrPart::Interp(f) => {
                        let vals = eval(f, v, d)?;
                        let mut next = Vec::new();
                        for o in &outs {
                            for x in &vals {
                                next.push(format!("{o}{}", tostring(x)));
                            }
                        }
                        outs = next;
                    }
                }
            }
            outs.into_iter().map(J::Str).collect()
        }
        F::Arr(None) => vec![J::Arr(vec![])],
        F::Arr(Some(f)) => vec![J::Arr(eval(f, v, d)?)],
        F::Obj(entries) => {
            let mut objs: Vec<Vec<(String, J)>> = vec![vec![]];
            for (kf, vf) in entries {
                let keys = eval(kf, v, d)?;
                let mut next = Vec::new();
                for k in keys {
                    let J::Str(k) = k else {
                        return Err(format!("Object keys must be strings"));
                    };
                    let vals = match vf {
                        Some(vf) => eval(vf, v, d)?,
                        None => eval(&F::Field(Box::new(F::Identity), k.clone(), false), v, d)?,
                    };
                    for o in &objs {
                        for x in &vals {
                            let mut o = o.clone();
                            o.retain(|(kk, _)| *kk != k);
                            o.push((k.clone(), x.clone()));
                            next.push(o);
                        }
                    }
                }
                objs = next;
            }
            objs.into_iter().map(J::Obj).collect()
        }
        F::Neg(a) => eval(a, v, d)?
            .into_iter()
            .map(|x| match x {
                J::Num(n, _) => Ok(num(-n)),
                o => Err(format!(
                    "{} ({}) cannot be negated",
                    type_name(&o),
                    short(&o)
                )),
            })
            .collect::<Result<_, _>>()?,
        F::Alt(a, b) => {
            let xs: Vec<J> = eval(a, v, d)
                .unwrap_or_default()
                .into_iter()
                .filter(truthy)
                .collect();
            if xs.is_empty() {
                eval(b, v, d)?
            } else {
                xs
            }
        }
        F::If(c, a, b) => {
            let mut out = Vec::new();
            for x in eval(c, v, d)? {
                if truthy(&x) {
                    out.extend(eval(a, v, d)?);
                } else if let Some(b) = b {
                    out.extend(eval(b, v, d)?);
                } else {
                    out.push(v.clone());
                }
            }
            out
        }
        F::Bin(a, op, b) => {
            let mut out = Vec::new();
            let rs = eval(b, v, d)?;
            for l in eval(a, v, d)? {
                for r in &rs {
                    out.push(binop(&l, op, r)?);
                }
            }
            out
        }
        F::Call(name, args) => call(name, args, v, d)?,
    })
}

fn binop(l: &J, op: &str, r: &J) -> Result<J, String> {
    Ok(match op {
        "==" => J::Bool(eq(l, r)),
        "!=" => J::Bool(!eq(l, r)),
        "<" => J::Bool(cmp(l, r).is_lt()),
        "<=" => J::Bool(cmp(l, r).is_le()),
        ">" => J::Bool(cmp(l, r).is_gt()),
        ">=" => J::Bool(cmp(l, r).is_ge()),
        "and" => J::Bool(truthy(l) && truthy(r)),
        "or" => J::Bool(truthy(l) || truthy(r)),
        "+" => match (l, r) {
            (J::Null, x) | (x, J::Null) => x.clone(),
            (J::Num(a, _), J::Num(b, _)) => num(a + b),
            (J::Str(a), J::Str(b)) => J::Str(format!("{a}{b}")),
            (J::Arr(a), J::Arr(b)) => J::Arr(a.iter().chain(b).cloned().collect()),
            (J::Obj(a), J::Obj(b)) => {
                let mut m = a.clone();
                for (k, v) in b {
                    m.retain(|(kk, _)| kk != k);
                    m.push((k.clone(), v.clone()));
                }
                J::Obj(m)
            }
            _ => {
                return Err(format!(
                    "{} ({}) and {} ({}) cannot be added",
                    type_name(l),
                    short(l),
                    type_name(r),
                    short(r)
                ))
            }
        },
        "-" => match (l, r) {
            (J::Num(a, _), J::Num(b, _)) => num(a - b),
            (J::Arr(a), J::Arr(b)) => J::Arr(
                a.iter()
                    .filter(|x| !b.iter().any(|y| eq(x, y)))
                    .cloned()
                    .collect(),
            ),
            _ => {
                return Err(format!(
                    "{} ({}) and {} ({}) cannot be subtracted",
                    type_name(l),
                    short(l),
                    type_name(r),
                    short(r)
                ))
            }
        },
        "*" => match (l, r) {
            (J::Num(a, _), J::Num(b, _)) => num(a * b),
            _ => {
                return Err(format!(
                    "{} ({}) and {} ({}) cannot be multiplied",
                    type_name(l),
                    short(l),
                    type_name(r),
                    short(r)
                ))
            }
        },
        "/" => match (l, r) {
            (J::Num(a, _), J::Num(b, _)) if *b != 0.0 => num(a / b),
            (J::Str(a), J::Str(b)) => {
                J::Arr(a.split(b.as_str()).map(|s| J::Str(s.to_string())).collect())
            }
            _ => {
                return Err(format!(
                    "{} ({}) and {} ({}) cannot be divided",
                    type_name(l),
                    short(l),
                    type_name(r),
                    short(r)
                ))
            }
        },
        "%" => match (l, r) {
            (J::Num(a, _), J::Num(b, _)) if *b as i64 != 0 => {
                num(((*a as i64) % (*b as i64)) as f64)
            }
            _ => {
                return Err(format!(
                    "{} ({}) and {} ({}) cannot be divided",
                    type_name(l),
                    short(l),
                    type_name(r),
                    short(r)
                ))
            }
        },
        _ => J::Null,
    })
}

fn call(name: &str, args: &[F], v: &J, d: usize) -> Result<Vec<J>, String> {
    let arg = |i: usize| -> Result<Vec<J>, String> {
        match args.get(i) {
            Some(f) => eval(f, v, d),
            None => Ok(vec![]),
        }
    };
    let one = |x: J| Ok(vec![x]);
    match (name, args.len()) {
        ("empty", 0) => Ok(vec![]),
        ("not", 0) => one(J::Bool(!truthy(v))),
        ("length", 0) => one(match v {
            J::Null => num(0.0),
            J::Bool(_) => return Err("boolean (true) has no length".into()),
            J::Num(n, _) => num(n.abs()),
            J::Str(s) => num(s.chars().count() as f64),
            J::Arr(a) => num(a.len() as f64),
            J::Obj(m) => num(m.len() as f64),
        }),
        ("keys", 0) | ("keys_unsorted", 0) => match v {
            J::Obj(m) => {
                let mut k: Vec<String> = m.iter().map(|(k, _)| k.clone()).collect();
                if name == "keys" {
                    kubeplay_sort::sort(&mut k);
                }
                one(J::Arr(k.into_iter().map(J::Str).collect()))
            }
            J::Arr(a) => one(J::Arr((0..a.len()).map(|i| num(i as f64)).collect())),
            o => Err(format!("{} ({}) has no keys", type_name(o), short(o))),
        },
        ("has", 1) => {
            let mut out = Vec::new();
            for k in arg(0)? {
                out.push(J::Bool(match (v, &k) {
                    (J::Obj(m), J::Str(s)) => m.iter().any(|(kk, _)| kk == s),
                    (J::Arr(a), J::Num(n, _)) => (*n as usize) < a.len() && *n >= 0.0,
                    _ => {
                        return Err(format!(
                            "Cannot check whether {} has a {} key",
                            type_name(v),
                            type_name(&k)
                        ))
                    }
                }));
            }
            Ok(out)
        }
        ("select", 1) => Ok(if arg(0)?.iter().any(truthy) {
            vec![v.clone()]
        } else {
            vec![]
        }),
        ("map", 1) => {
            let items = eval(&F::Iter(Box::new(F::Identity), false), v, d)?;
            let mut out = Vec::new();
            for x in items {
                out.extend(eval(&args[0], &x, d)?);
            }
            one(J::Arr(out))
        }
        ("to_entries", 0) => match v {
            J::Obj(m) => one(J::Arr(
                m.iter()
                    .map(|(k, x)| {
                        J::Obj(vec![
                            ("key".into(), J::Str(k.clone())),
                            ("value".into(), x.clone()),
                        ])
                    })
                    .collect(),
            )),
            o => Err(format!("{} ({}) has no keys", type_name(o), short(o))),
        },
        ("from_entries", 0) => match v {
            J::Arr(a) => {
                let mut m = Vec::new();
                for e in a {
                    if let J::Obj(kv) = e {
                        let k = kv
                            .iter()
                            .find(|(k, _)| k == "key" || k == "name" || k == "k")
                            .map(|(_, x)| tostring(x))
                            .unwrap_or_default();
                        let val = kv
                            .iter()
                            .find(|(k, _)| k == "value" || k == "v")
                            .map(|(_, x)| x.clone())
                            .unwrap_or(J::Null);
                        m.retain(|(kk, _): &(String, J)| *kk != k);
                        m.push((k, val));
                    }
                }
                one(J::Obj(m))
            }
            o => Err(format!("Cannot iterate over {}", type_name(o))),
        },
        ("type", 0) => one(J::Str(type_name(v).into())),
        ("tostring", 0) => one(J::Str(tostring(v))),
        ("tonumber", 0) => match v {
            J::Num(..) => one(v.clone()),
            J::Str(s) => s
                .trim()
                .parse::<f64>()
                .map(|n| vec![num(n)])
                .map_err(|_| format!("Cannot parse '{s}' as JSON")),
            o => Err(format!(
                "{} ({}) cannot be parsed as a number",
                type_name(o),
                short(o)
            )),
        },
        ("ascii_downcase", 0) | ("ascii_upcase", 0) => match v {
            J::Str(s) => one(J::Str(if name == "ascii_downcase" {
                s.to_ascii_lowercase()
            } else {
                s.to_ascii_uppercase()
            })),
            o => Err(format!(
                "{} ({}) cannot be case-converted",
                type_name(o),
                short(o)
            )),
        },
        ("first", 0) => eval(
            &F::Index(Box::new(F::Identity), Box::new(F::Lit(num(0.0))), false),
            v,
            d,
        ),
        ("last", 0) => eval(
            &F::Index(Box::new(F::Identity), Box::new(F::Lit(num(-1.0))), false),
            v,
            d,
        ),
        ("first", 1) => Ok(arg(0)?.into_iter().take(1).collect()),
        ("add", 0) => match v {
            J::Arr(a) => {
                let mut acc = J::Null;
                for x in a {
                    acc = binop(&acc, "+", x)?;
                }
                one(acc)
            }
            o => Err(format!("Cannot iterate over {}", type_name(o))),
        },
        ("sort", 0) | ("unique", 0) | ("reverse", 0) | ("min", 0) | ("max", 0) => match v {
            J::Arr(a) => {
                let mut a = a.clone();
                if name == "reverse" {
                    a.reverse();
                    return one(J::Arr(a));
                }
                kubeplay_sort::sort_by(&mut a, cmp);
                match name {
                    "unique" => {
                        a.dedup_by(|x, y| eq(x, y));
                        one(J::Arr(a))
                    }
                    "min" => one(a.first().cloned().unwrap_or(J::Null)),
                    "max" => one(a.last().cloned().unwrap_or(J::Null)),
                    _ => one(J::Arr(a)),
                }
            }
            J::Str(s) if name == "reverse" => one(J::Str(s.chars().rev().collect())),
            J::Null if name == "reverse" => one(J::Arr(vec![])),
            o => Err(format!(
                "{} ({}) cannot be sorted, as it is not an array",
                type_name(o),
                short(o)
            )),
        },
        ("sort_by", 1) | ("group_by", 1) | ("unique_by", 1) | ("min_by", 1) | ("max_by", 1) => {
            match v {
                J::Arr(a) => {
                    let mut keyed: Vec<(J, J)> = Vec::new();
                    for x in a {
                        keyed.push((J::Arr(eval(&args[0], x, d)?), x.clone()));
                    }
                    kubeplay_sort::sort_by(&mut keyed, |p, q| cmp(&p.0, &q.0));
                    match name {
                        "sort_by" => one(J::Arr(keyed.into_iter().map(|(_, x)| x).collect())),
                        "min_by" => one(keyed.first().map(|p| p.1.clone()).unwrap_or(J::Null)),
                        "max_by" => one(keyed.last().map(|p| p.1.clone()).unwrap_or(J::Null)),
                        _ => {
                            let mut groups: Vec<(J, Vec<J>)> = Vec::new();
                            for (k, x) in keyed {
                                match groups.last_mut() {
                                    Some((gk, g)) if eq(gk, &k) => g.push(x),
                                    _ => groups.push((k, vec![x])),
                                }
                            }
                            if name == "group_by" {
                                one(J::Arr(groups.into_iter().map(|(_, g)| J::Arr(g)).collect()))
                            } else {
                                one(J::Arr(
                                    groups
                                        .into_iter()
                                        .filter_map(|(_, g)| g.into_iter().next())
                                        .collect(),
                                ))
                            }
                        }
                    }
                }
                o => Err(format!("Cannot index {} with number", type_name(o))),
            }
        }
        ("contains", 1) => {
            fn contains(a: &J, b: &J) -> bool {
                match (a, b) {
                    (J::Str(x), J::Str(y)) => x.contains(y.as_str()),
                    (J::Arr(x), J::Arr(y)) => y.iter().all(|q| x.iter().any(|p| contains(p, q))),
                    (J::Obj(x), J::Obj(y)) => y
                        .iter()
                        .all(|(k, q)| x.iter().any(|(kk, p)| kk == k && contains(p, q))),
                    _ => eq(a, b),
                }
            }
            Ok(arg(0)?.iter().map(|b| J::Bool(contains(v, b))).collect())
        }
        ("startswith", 1)
        | ("endswith", 1)
        | ("test", 1)
        | ("split", 1)
        | ("ltrimstr", 1)
        | ("rtrimstr", 1)
        | ("join", 1) => {
            let mut out = Vec::new();
            for a in arg(0)? {
                out.push(match (name, v, &a) {
                    ("startswith", J::Str(s), J::Str(p)) => J::Bool(s.starts_with(p.as_str())),
                    ("endswith", J::Str(s), J::Str(p)) => J::Bool(s.ends_with(p.as_str())),
                    ("test", J::Str(s), J::Str(p)) => J::Bool(
                        regex_lite::Regex::new(p)
                            .map_err(|e| e.to_string())?
                            .is_match(s),
                    ),
                    ("split", J::Str(s), J::Str(p)) => {
                        J::Arr(s.split(p.as_str()).map(|x| J::Str(x.into())).collect())
                    }
                    ("ltrimstr", J::Str(s), J::Str(p)) => {
                        J::Str(s.strip_prefix(p.as_str()).unwrap_or(s).to_string())
                    }
                    ("rtrimstr", J::Str(s), J::Str(p)) => {
                        J::Str(s.strip_suffix(p.as_str()).unwrap_or(s).to_string())
                    }
                    ("ltrimstr" | "rtrimstr", x, _) => x.clone(),
                    ("join", J::Arr(items), J::Str(sep)) => {
                        let parts: Vec<String> = items
                            .iter()
                            .map(|x| {
                                if matches!(x, J::Null) {
                                    String::new()
                                } else {
                                    tostring(x)
                                }
                            })
                            .collect();
                        J::Str(parts.join(sep))
                    }
                    _ => {
                        return Err(format!(
                            "{} ({}) cannot be matched, as it is not a string",
                            type_name(v),
                            short(v)
                        ))
                    }
                });
            }
            Ok(out)
        }
        ("values", 0) => Ok(if matches!(v, J::Null) {
            vec![]
        } else {
            vec![v.clone()]
        }),
        ("env", 0) => one(J::Obj(vec![])),
        ("tojson", 0) => {
            let mut s = String::new();
            write(v, false, 0, &mut s);
            one(J::Str(s))
        }
        ("any", 0) => match v {
            J::Arr(a) => one(J::Bool(a.iter().any(truthy))),
            _ => Err("Cannot iterate".into()),
        },
        ("all", 0) => match v {
            J::Arr(a) => one(J::Bool(a.iter().all(truthy))),
            _ => Err("Cannot iterate".into()),
        },
        ("with_entries", 1) => {
            let e = call("to_entries", &[], v, d)?;
            let mapped = call("map", args, &e[0], d)?;
            call("from_entries", &[], &mapped[0], d)
        }
        _ => Err(format!(
            "{name}/{} is not defined at <top-level>, line 1:",
            args.len()
        )),
    }
}

pub fn jq(cx: &mut Cx) -> Outcome {
    let mut raw = false;
    let mut compact = false;
    let mut null_input = false;
    let mut slurp = false;
    let mut join = false;
    let mut filter = None;
    let mut files = Vec::new();
    for a in cx.args {
        match a.as_str() {
            "-r" | "--raw-output" => raw = true,
            "-j" | "--join-output" => {
                raw = true;
                join = true
            }
            "-c" | "--compact-output" => compact = true,
            "-n" | "--null-input" => null_input = true,
            "-s" | "--slurp" => slurp = true,
            "-M" | "-C" | "--monochrome-output" | "-e" => {}
            s if s.starts_with('-') && s.len() > 1 && filter.is_none() => {
                let combined: Vec<char> = s[1..].chars().collect();
                if combined.iter().all(|c| "rcnsjM".contains(*c)) {
                    raw |= combined.contains(&'r') || combined.contains(&'j');
                    compact |= combined.contains(&'c');
                    null_input |= combined.contains(&'n');
                    slurp |= combined.contains(&'s');
                    join |= combined.contains(&'j');
                } else {
                    cx.io.err(format!("jq: Unknown option: {s}\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n"));
                    return exit(2);
                }
            }
            s if filter.is_none() => filter = Some(s.to_string()),
            s => files.push(s.to_string()),
        }
    }
    let filter = filter.unwrap_or_else(|| ".".into());
    let mut p = P {
        c: filter.chars().collect(),
        i: 0,
        src: &filter,
        depth: 0,
    };
    let f = match p.pipe() {
        Ok(f) => {
            p.ws();
            if p.i < p.c.len() {
                cx.io.err(format!("jq: error: syntax error, unexpected INVALID_CHARACTER (Unix shell quoting issues?) at <top-level>, line 1:\n{filter}\njq: 1 compile error\n"));
                return exit(3);
            }
            f
        }
        Err(e) => {
            cx.io.err(format!("jq: error: {e}\njq: 1 compile error\n"));
            return exit(3);
        }
    };
    let (inputs, bad) = cx.inputs("jq", &files);
    if bad {
        return exit(2);
    }
    let at = match files.last() {
        Some(f) => f.clone(),
        None => "<stdin>".to_string(),
    };
    let data: Vec<u8> = inputs.into_iter().flat_map(|(_, d)| d).collect();
    let at = format!("{at}:{}", data.iter().filter(|&&b| b == b'\n').count());
    let mut values = if null_input {
        vec![J::Null]
    } else {
        match parse_stream(&data) {
            Ok(v) => v,
            Err(e) => {
                cx.io.err(format!("jq: error (at {at}): {e}\n"));
                return exit(2);
            }
        }
    };
    if slurp {
        values = vec![J::Arr(values)];
    }
    let mut out = String::new();
    let mut code = 0;
    for v in &values {
        match eval(&f, v, 0) {
            Ok(results) => {
                for r in results {
                    match (&r, raw) {
                        (J::Str(s), true) => out.push_str(s),
                        _ => write(&r, !compact, 0, &mut out),
                    }
                    if !join {
                        out.push('\n');
                    }
                }
            }
            Err(e) => {
                cx.io.out(std::mem::take(&mut out));
                cx.io.err(format!("jq: error (at {at}): {e}\n"));
                code = 5;
            }
        }
    }
    cx.io.out(out);
    exit(code)
}
