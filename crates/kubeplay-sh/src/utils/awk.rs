//! A small awk: `BEGIN`/`END`, patterns (expressions, `/re/`), `print`, `printf`, fields,
//! `NR`, `NF`, `FS`/`-F`, `OFS`, variables and arrays, `if`/`while`/`for`, `next`, and the
//! common string functions. Enough for `awk '{print $1}'` and the one-liners people pipe
//! kubectl output through.

use super::{exit, Cx, Outcome};
use kubeplay_sort::Collect as _;
use regex_lite::Regex;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum V {
    Num(f64),
    Str(String),
    /// Input text that may compare as a number.
    StrNum(String),
}

fn looks_numeric(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok().filter(|_| {
        !t.chars()
            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    })
}

fn prefix_num(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    let b = t.as_bytes();
    let mut seen_dot = false;
    let mut seen_e = false;
    for (i, &c) in b.iter().enumerate() {
        let ok = c.is_ascii_digit()
            || ((c == b'-' || c == b'+')
                && (i == 0 || (seen_e && (b[i - 1] == b'e' || b[i - 1] == b'E'))))
            || (c == b'.' && !seen_dot && !seen_e)
            || ((c == b'e' || c == b'E') && !seen_e && i > 0);
        if !ok {
            break;
        }
        if c == b'.' {
            seen_dot = true;
        }
        if c == b'e' || c == b'E' {
            seen_e = true;
        }
        end = i + 1;
    }
    let mut s = &t[..end];
    while !s.is_empty() && s.parse::<f64>().is_err() {
        s = &s[..s.len() - 1];
    }
    s.parse().unwrap_or(0.0)
}

/// `%.6g`, as awk's CONVFMT/OFMT default.
fn fmt_g(v: f64, prec: usize) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if v == 0.0 {
        return "0".into();
    }
    let p = prec.max(1);
    let exp = v.abs().log10().floor() as i32;
    let s = if exp < -4 || exp >= p as i32 {
        let m = format!("{:.*e}", p - 1, v);
        // Rust: 1.5e6 -> C: 1.5e+06
        let (mant, e) = m.split_once('e').unwrap_or((&m, "0"));
        let mant = if mant.contains('.') {
            mant.trim_end_matches('0').trim_end_matches('.')
        } else {
            mant
        };
        let e: i32 = e.parse().unwrap_or(0);
        format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let f = format!("{v:.decimals$}");
        if f.contains('.') {
            f.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            f
        }
    };
    s
}

fn num_to_str(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e16 {
        format!("{}", n as i64)
    } else {
        fmt_g(n, 6)
    }
}

impl V {
    fn num(&self) -> f64 {
        match self {
            V::Num(n) => *n,
            V::Str(s) | V::StrNum(s) => prefix_num(s),
        }
    }
    fn str(&self) -> String {
        match self {
            V::Num(n) => num_to_str(*n),
            V::Str(s) | V::StrNum(s) => s.clone(),
        }
    }
    fn truthy(&self) -> bool {
        match self {
            V::Num(n) => *n != 0.0,
            V::Str(s) => !s.is_empty(),
            V::StrNum(s) => match looks_numeric(s) {
                Some(n) => n != 0.0,
                None => !s.is_empty(),
            },
        }
    }
    fn is_numeric(&self) -> bool {
        match self {
            V::Num(_) => true,
            V::StrNum(s) => looks_numeric(s).is_some(),
            V::Str(_) => false,
        }
    }
}

// ------------------------------------------------------------------ lexer

#[derive(Clone, Debug, PartialEq)]
enum T {
    Num(f64),
    Str(String),
    Re(String),
    Name(String),
    Func(String),
    Op(&'static str),
    Nl,
    Eof,
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "print", "printf", "if", "else", "while", "for", "in", "next", "exit",
    "delete", "getline", "do", "break", "continue", "function", "return",
];

fn lex(src: &str) -> Result<Vec<T>, String> {
    let c: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out: Vec<T> = Vec::new();
    const OPS: &[&str] = &[
        "+=", "-=", "*=", "/=", "%=", "^=", "==", "!=", "<=", ">=", "&&", "||", "++", "--", ">>",
        "!~", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", "<", ">",
        "=", "~", "?", ":", "$", "|",
    ];
    'outer: while i < c.len() {
        let ch = c[i];
        if ch == ' ' || ch == '\t' || ch == '\r' {
            i += 1;
            continue;
        }
        if ch == '\\' && c.get(i + 1) == Some(&'\n') {
            i += 2;
            continue;
        }
        if ch == '\n' {
            out.push(T::Nl);
            i += 1;
            continue;
        }
        if ch == '#' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if ch.is_ascii_digit() || (ch == '.' && c.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            let s = i;
            while i < c.len() && (c[i].is_ascii_digit() || c[i] == '.') {
                i += 1;
            }
            if i < c.len()
                && (c[i] == 'e' || c[i] == 'E')
                && c.get(i + 1)
                    .is_some_and(|d| d.is_ascii_digit() || *d == '-' || *d == '+')
            {
                i += 2;
                while i < c.len() && c[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let t: String = c[s..i].iter().collect();
            out.push(T::Num(t.parse().unwrap_or(0.0)));
            continue;
        }
        if ch == '"' {
            i += 1;
            let mut s = String::new();
            loop {
                let Some(&d) = c.get(i) else {
                    return Err("non-terminated string".into());
                };
                i += 1;
                match d {
                    '"' => break,
                    '\\' => {
                        let e = c.get(i).copied().unwrap_or('\\');
                        i += 1;
                        match e {
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            'r' => s.push('\r'),
                            '\\' => s.push('\\'),
                            '"' => s.push('"'),
                            '/' => s.push('/'),
                            o => {
                                s.push('\\');
                                s.push(o);
                            }
                        }
                    }
                    d => s.push(d),
                }
            }
            out.push(T::Str(s));
            continue;
        }
        if ch == '/' {
            // A regex where an operand is expected.
            let operand_expected = match out.last() {
                None | Some(T::Nl) => true,
                Some(T::Op(o)) => !matches!(*o, ")" | "]" | "$") || *o == "$",
                Some(T::Name(n)) => KEYWORDS.contains(&n.as_str()) && n != "getline",
                _ => false,
            };
            if operand_expected {
                i += 1;
                let mut s = String::new();
                loop {
                    let Some(&d) = c.get(i) else {
                        return Err("non-terminated regular expression".into());
                    };
                    i += 1;
                    match d {
                        '/' => break,
                        '\\' if c.get(i) == Some(&'/') => {
                            s.push('/');
                            i += 1;
                        }
                        '\\' => {
                            s.push('\\');
                            if let Some(&e) = c.get(i) {
                                s.push(e);
                                i += 1;
                            }
                        }
                        d => s.push(d),
                    }
                }
                out.push(T::Re(s));
                continue;
            }
        }
        if ch.is_ascii_alphabetic() || ch == '_' {
            let s = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let name: String = c[s..i].iter().collect();
            if c.get(i) == Some(&'(') && !KEYWORDS.contains(&name.as_str()) {
                out.push(T::Func(name));
            } else {
                out.push(T::Name(name));
            }
            continue;
        }
        for op in OPS {
            if op
                .chars()
                .enumerate()
                .all(|(k, oc)| c.get(i + k) == Some(&oc))
            {
                out.push(T::Op(op));
                i += op.len();
                continue 'outer;
            }
        }
        return Err(format!(
            "syntax error at source line 1: unexpected character '{ch}'"
        ));
    }
    out.push(T::Eof);
    Ok(out)
}

// ----------------------------------------------------------------- parser

#[derive(Clone, Debug)]
enum E {
    Num(f64),
    Str(String),
    Re(String),
    Var(String),
    Field(Box<E>),
    Index(String, Box<E>),
    Assign(Box<E>, &'static str, Box<E>),
    Cond(Box<E>, Box<E>, Box<E>),
    Bin(Box<E>, &'static str, Box<E>),
    Not(Box<E>),
    Neg(Box<E>),
    Match(Box<E>, bool, Box<E>),
    In(Box<E>, String),
    Incr(Box<E>, i8, bool),
    Call(String, Vec<E>),
    Group(Box<E>),
}

#[derive(Clone, Debug)]
enum S {
    Print(Vec<E>, Option<(bool, E)>),
    Printf(Vec<E>),
    Expr(E),
    If(E, Box<S>, Option<Box<S>>),
    While(E, Box<S>),
    For(Option<E>, Option<E>, Option<E>, Box<S>),
    ForIn(String, String, Box<S>),
    Block(Vec<S>),
    Next,
    Exit(Option<E>),
    Delete(String, Option<E>),
    Break,
    Continue,
}

enum Pat {
    Begin,
    End,
    All,
    Expr(E),
    Range(E, E),
}

struct Prog {
    items: Vec<(Pat, Option<Vec<S>>)>,
}

struct P {
    t: Vec<T>,
    i: usize,
    depth: usize,
}

type R<X> = Result<X, String>;

impl P {
    fn peek(&self) -> &T {
        &self.t[self.i.min(self.t.len() - 1)]
    }
    fn next(&mut self) -> T {
        let t = self.peek().clone();
        self.i += 1;
        t
    }
    fn is_op(&self, o: &str) -> bool {
        matches!(self.peek(), T::Op(x) if *x == o)
    }
    fn eat_op(&mut self, o: &str) -> bool {
        if self.is_op(o) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn is_kw(&self, k: &str) -> bool {
        matches!(self.peek(), T::Name(x) if x == k)
    }
    fn expect(&mut self, o: &str) -> R<()> {
        if self.eat_op(o) {
            Ok(())
        } else {
            Err(self.syntax())
        }
    }
    fn syntax(&self) -> String {
        let near = match self.peek() {
            T::Num(n) => num_to_str(*n),
            T::Str(s) => s.clone(),
            T::Re(r) => format!("/{r}/"),
            T::Name(n) | T::Func(n) => n.clone(),
            T::Op(o) => o.to_string(),
            T::Nl => "newline".into(),
            T::Eof => "end of file".into(),
        };
        format!("syntax error at source line 1\n context is\n\t>>> {near} <<<")
    }
    fn skip_nl(&mut self) {
        while matches!(self.peek(), T::Nl) || self.is_op(";") {
            self.i += 1;
        }
    }
    fn skip_newlines_only(&mut self) {
        while matches!(self.peek(), T::Nl) {
            self.i += 1;
        }
    }
    fn program(&mut self) -> R<Prog> {
        let mut items = Vec::new();
        loop {
            self.skip_nl();
            if matches!(self.peek(), T::Eof) {
                break;
            }
            let pat = if self.is_kw("BEGIN") {
                self.i += 1;
                Pat::Begin
            } else if self.is_kw("END") {
                self.i += 1;
                Pat::End
            } else if self.is_op("{") {
                Pat::All
            } else {
                let a = self.expr()?;
                if self.eat_op(",") {
                    Pat::Range(a, self.expr()?)
                } else {
                    Pat::Expr(a)
                }
            };
            let action = if self.is_op("{") {
                Some(self.block()?)
            } else {
                None
            };
            if action.is_none() && matches!(pat, Pat::Begin | Pat::End) {
                return Err(self.syntax());
            }
            items.push((pat, action));
        }
        Ok(Prog { items })
    }
    fn block(&mut self) -> R<Vec<S>> {
        self.expect("{")?;
        let mut v = Vec::new();
        loop {
            self.skip_nl();
            if self.eat_op("}") {
                return Ok(v);
            }
            if matches!(self.peek(), T::Eof) {
                return Err(self.syntax());
            }
            v.push(self.stmt()?);
        }
    }
    fn simple_end(&mut self) -> R<()> {
        if matches!(self.peek(), T::Nl) || self.is_op(";") {
            self.i += 1;
            return Ok(());
        }
        if self.is_op("}") || matches!(self.peek(), T::Eof) {
            return Ok(());
        }
        Err(self.syntax())
    }
    fn stmt(&mut self) -> R<S> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("program too deeply nested".into());
        }
        let s = self.stmt_inner();
        self.depth -= 1;
        s
    }
    fn stmt_inner(&mut self) -> R<S> {
        if self.is_op("{") {
            return Ok(S::Block(self.block()?));
        }
        if let T::Name(k) = self.peek().clone() {
            match k.as_str() {
                "print" | "printf" => {
                    self.i += 1;
                    let mut args = Vec::new();
                    let paren = self.is_op("(");
                    if !(self.is_op(";")
                        || self.is_op("}")
                        || matches!(self.peek(), T::Nl | T::Eof)
                        || self.is_op(">"))
                    {
                        if paren {
                            // print (a, b) or print (a) b
                            let save = self.i;
                            self.i += 1;
                            let mut list = vec![self.expr_no_gt()?];
                            while self.eat_op(",") {
                                list.push(self.expr_no_gt()?);
                            }
                            if self.eat_op(")")
                                && (self.is_op(";")
                                    || self.is_op("}")
                                    || self.is_op(">")
                                    || matches!(self.peek(), T::Nl | T::Eof))
                            {
                                args = list;
                            } else {
                                self.i = save;
                                args.push(self.expr_no_gt()?);
                                while self.eat_op(",") {
                                    args.push(self.expr_no_gt()?);
                                }
                            }
                        } else {
                            args.push(self.expr_no_gt()?);
                            while self.eat_op(",") {
                                args.push(self.expr_no_gt()?);
                            }
                        }
                    }
                    let mut redirect = None;
                    if self.eat_op(">") {
                        redirect = Some((false, self.primary()?));
                    } else if self.eat_op(">>") {
                        redirect = Some((true, self.primary()?));
                    }
                    self.simple_end()?;
                    return Ok(if k == "print" {
                        S::Print(args, redirect)
                    } else {
                        if args.is_empty() {
                            return Err(self.syntax());
                        }
                        S::Printf(args)
                    });
                }
                "if" => {
                    self.i += 1;
                    self.expect("(")?;
                    let c = self.expr()?;
                    self.expect(")")?;
                    self.skip_newlines_only();
                    let a = self.stmt()?;
                    let save = self.i;
                    self.skip_nl();
                    let b = if self.is_kw("else") {
                        self.i += 1;
                        self.skip_newlines_only();
                        Some(Box::new(self.stmt()?))
                    } else {
                        self.i = save;
                        None
                    };
                    return Ok(S::If(c, Box::new(a), b));
                }
                "while" => {
                    self.i += 1;
                    self.expect("(")?;
                    let c = self.expr()?;
                    self.expect(")")?;
                    self.skip_newlines_only();
                    return Ok(S::While(c, Box::new(self.stmt()?)));
                }
                "for" => {
                    self.i += 1;
                    self.expect("(")?;
                    if let (T::Name(v), T::Name(kw), T::Name(arr), T::Op(")")) = (
                        self.peek().clone(),
                        self.t.get(self.i + 1).cloned().unwrap_or(T::Eof),
                        self.t.get(self.i + 2).cloned().unwrap_or(T::Eof),
                        self.t.get(self.i + 3).cloned().unwrap_or(T::Eof),
                    ) {
                        if kw == "in" {
                            self.i += 4;
                            self.skip_newlines_only();
                            return Ok(S::ForIn(v, arr, Box::new(self.stmt()?)));
                        }
                    }
                    let init = if self.is_op(";") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.expect(";")?;
                    let cond = if self.is_op(";") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.expect(";")?;
                    let step = if self.is_op(")") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.expect(")")?;
                    self.skip_newlines_only();
                    return Ok(S::For(init, cond, step, Box::new(self.stmt()?)));
                }
                "next" => {
                    self.i += 1;
                    self.simple_end()?;
                    return Ok(S::Next);
                }
                "break" => {
                    self.i += 1;
                    self.simple_end()?;
                    return Ok(S::Break);
                }
                "continue" => {
                    self.i += 1;
                    self.simple_end()?;
                    return Ok(S::Continue);
                }
                "exit" => {
                    self.i += 1;
                    let e = if self.is_op(";")
                        || self.is_op("}")
                        || matches!(self.peek(), T::Nl | T::Eof)
                    {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.simple_end()?;
                    return Ok(S::Exit(e));
                }
                "delete" => {
                    self.i += 1;
                    let T::Name(arr) = self.next() else {
                        return Err(self.syntax());
                    };
                    let idx = if self.eat_op("[") {
                        let e = self.expr()?;
                        self.expect("]")?;
                        Some(e)
                    } else {
                        None
                    };
                    self.simple_end()?;
                    return Ok(S::Delete(arr, idx));
                }
                _ => {}
            }
        }
        if self.is_op(";") {
            self.i += 1;
            return Ok(S::Block(vec![]));
        }
        let e = self.expr()?;
        self.simple_end()?;
        Ok(S::Expr(e))
    }

    fn expr(&mut self) -> R<E> {
        self.ternary(true)
    }
    fn expr_no_gt(&mut self) -> R<E> {
        self.ternary(false)
    }
    fn ternary(&mut self, gt: bool) -> R<E> {
        let c = self.or(gt)?;
        if self.eat_op("?") {
            self.skip_newlines_only();
            let a = self.ternary(gt)?;
            self.skip_newlines_only();
            self.expect(":")?;
            self.skip_newlines_only();
            let b = self.ternary(gt)?;
            return Ok(E::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        for op in ["=", "+=", "-=", "*=", "/=", "%=", "^="] {
            if self.is_op(op) {
                if matches!(c, E::Var(_) | E::Field(_) | E::Index(..)) {
                    self.i += 1;
                    self.skip_newlines_only();
                    let r = self.ternary(gt)?;
                    let op: &'static str = match op {
                        "=" => "=",
                        "+=" => "+=",
                        "-=" => "-=",
                        "*=" => "*=",
                        "/=" => "/=",
                        "%=" => "%=",
                        _ => "^=",
                    };
                    return Ok(E::Assign(Box::new(c), op, Box::new(r)));
                }
                return Err(self.syntax());
            }
        }
        Ok(c)
    }
    fn or(&mut self, gt: bool) -> R<E> {
        let mut l = self.and(gt)?;
        while self.eat_op("||") {
            self.skip_newlines_only();
            l = E::Bin(Box::new(l), "||", Box::new(self.and(gt)?));
        }
        Ok(l)
    }
    fn and(&mut self, gt: bool) -> R<E> {
        let mut l = self.in_(gt)?;
        while self.eat_op("&&") {
            self.skip_newlines_only();
            l = E::Bin(Box::new(l), "&&", Box::new(self.in_(gt)?));
        }
        Ok(l)
    }
    fn in_(&mut self, gt: bool) -> R<E> {
        let mut l = self.matching(gt)?;
        while self.is_kw("in") {
            self.i += 1;
            let T::Name(arr) = self.next() else {
                return Err(self.syntax());
            };
            l = E::In(Box::new(l), arr);
        }
        Ok(l)
    }
    fn matching(&mut self, gt: bool) -> R<E> {
        let mut l = self.compare(gt)?;
        loop {
            if self.eat_op("~") {
                l = E::Match(Box::new(l), false, Box::new(self.compare(gt)?));
            } else if self.eat_op("!~") {
                l = E::Match(Box::new(l), true, Box::new(self.compare(gt)?));
            } else {
                return Ok(l);
            }
        }
    }
    fn compare(&mut self, gt: bool) -> R<E> {
        let l = self.concat()?;
        for op in ["<=", ">=", "==", "!=", "<", ">"] {
            if op == ">" && !gt {
                continue;
            }
            if self.is_op(op) {
                self.i += 1;
                let op: &'static str = match op {
                    "<=" => "<=",
                    ">=" => ">=",
                    "==" => "==",
                    "!=" => "!=",
                    "<" => "<",
                    _ => ">",
                };
                return Ok(E::Bin(Box::new(l), op, Box::new(self.concat()?)));
            }
        }
        Ok(l)
    }
    fn starts_operand(&self) -> bool {
        match self.peek() {
            T::Num(_) | T::Str(_) | T::Re(_) | T::Func(_) => true,
            T::Name(n) => !KEYWORDS.contains(&n.as_str()) || n == "getline",
            T::Op(o) => matches!(*o, "$" | "!" | "(" | "-" | "+" | "++" | "--"),
            _ => false,
        }
    }
    fn concat(&mut self) -> R<E> {
        let mut l = self.additive()?;
        while self.starts_operand() && !self.is_kw("in") {
            // `a -1` is subtraction, handled by additive; here only operands that cannot
            // continue an arithmetic expression.
            if self.is_op("-") || self.is_op("+") {
                break;
            }
            l = E::Bin(Box::new(l), "concat", Box::new(self.additive()?));
        }
        Ok(l)
    }
    fn additive(&mut self) -> R<E> {
        let mut l = self.mult()?;
        loop {
            if self.eat_op("+") {
                l = E::Bin(Box::new(l), "+", Box::new(self.mult()?));
            } else if self.eat_op("-") {
                l = E::Bin(Box::new(l), "-", Box::new(self.mult()?));
            } else {
                return Ok(l);
            }
        }
    }
    fn mult(&mut self) -> R<E> {
        let mut l = self.unary()?;
        loop {
            if self.eat_op("*") {
                l = E::Bin(Box::new(l), "*", Box::new(self.unary()?));
            } else if self.eat_op("/") {
                l = E::Bin(Box::new(l), "/", Box::new(self.unary()?));
            } else if self.eat_op("%") {
                l = E::Bin(Box::new(l), "%", Box::new(self.unary()?));
            } else {
                return Ok(l);
            }
        }
    }
    fn unary(&mut self) -> R<E> {
        self.depth += 1;
        if self.depth > 300 {
            return Err("expression too deeply nested".into());
        }
        let r = if self.eat_op("!") {
            Ok(E::Not(Box::new(self.unary()?)))
        } else if self.eat_op("-") {
            Ok(E::Neg(Box::new(self.unary()?)))
        } else if self.eat_op("+") {
            Ok(E::Bin(Box::new(E::Num(0.0)), "+", Box::new(self.unary()?)))
        } else {
            self.power()
        };
        self.depth -= 1;
        r
    }
    fn power(&mut self) -> R<E> {
        let b = self.postfix()?;
        if self.eat_op("^") {
            return Ok(E::Bin(Box::new(b), "^", Box::new(self.unary()?)));
        }
        Ok(b)
    }
    fn postfix(&mut self) -> R<E> {
        if self.eat_op("++") {
            return Ok(E::Incr(Box::new(self.postfix()?), 1, true));
        }
        if self.eat_op("--") {
            return Ok(E::Incr(Box::new(self.postfix()?), -1, true));
        }
        let e = self.primary()?;
        if matches!(e, E::Var(_) | E::Field(_) | E::Index(..)) {
            if self.eat_op("++") {
                return Ok(E::Incr(Box::new(e), 1, false));
            }
            if self.eat_op("--") {
                return Ok(E::Incr(Box::new(e), -1, false));
            }
        }
        Ok(e)
    }
    fn primary(&mut self) -> R<E> {
        match self.next() {
            T::Num(n) => Ok(E::Num(n)),
            T::Str(s) => Ok(E::Str(s)),
            T::Re(r) => Ok(E::Re(r)),
            T::Op("$") => {
                let e = if self.is_op("++") || self.is_op("--") {
                    self.postfix()?
                } else {
                    self.primary()?
                };
                Ok(E::Field(Box::new(e)))
            }
            T::Op("(") => {
                let e = self.expr()?;
                self.expect(")")?;
                Ok(E::Group(Box::new(e)))
            }
            T::Op("-") => Ok(E::Neg(Box::new(self.primary()?))),
            T::Op("!") => Ok(E::Not(Box::new(self.primary()?))),
            T::Func(f) => {
                self.expect("(")?;
                let mut args = Vec::new();
                if !self.eat_op(")") {
                    loop {
                        self.skip_newlines_only();
                        args.push(self.expr()?);
                        if self.eat_op(")") {
                            break;
                        }
                        self.expect(",")?;
                    }
                }
                Ok(E::Call(f, args))
            }
            T::Name(n) if n == "length" => Ok(E::Call(n, vec![])),
            T::Name(n) if !KEYWORDS.contains(&n.as_str()) => {
                if self.eat_op("[") {
                    let mut idx = self.expr()?;
                    while self.eat_op(",") {
                        idx = E::Bin(
                            Box::new(E::Bin(
                                Box::new(idx),
                                "concat",
                                Box::new(E::Var("SUBSEP".into())),
                            )),
                            "concat",
                            Box::new(self.expr()?),
                        );
                    }
                    self.expect("]")?;
                    return Ok(E::Index(n, Box::new(idx)));
                }
                Ok(E::Var(n))
            }
            _ => {
                self.i -= 1;
                Err(self.syntax())
            }
        }
    }
}

// ----------------------------------------------------------------- runtime

enum Flow {
    Normal,
    Next,
    Exit,
    Break,
    Continue,
}

struct Rt<'a> {
    vars: BTreeMap<String, V>,
    arrays: BTreeMap<String, BTreeMap<String, V>>,
    fields: Vec<String>,
    record: String,
    out: String,
    exit_code: i32,
    regexes: BTreeMap<String, Regex>,
    cx_files: Vec<(String, bool, String)>,
    steps: u64,
    env: &'a BTreeMap<String, String>,
}

const MAX_STEPS: u64 = 5_000_000;

impl Rt<'_> {
    fn var(&self, n: &str) -> V {
        if n == "NF" {
            return V::Num(self.fields.len() as f64);
        }
        self.vars.get(n).cloned().unwrap_or(V::Str(String::new()))
    }
    fn fs(&self) -> String {
        self.var("FS").str()
    }
    fn split_record(&mut self) {
        let fs = self.fs();
        self.fields = split_fields(&self.record, &fs, &mut self.regexes);
    }
    fn rebuild(&mut self) {
        let ofs = self.var("OFS").str();
        self.record = self.fields.join(&ofs);
    }
    fn regex(&mut self, src: &str) -> Result<Regex, String> {
        if let Some(r) = self.regexes.get(src) {
            return Ok(r.clone());
        }
        let r = Regex::new(&super::text::ere_fix(src))
            .map_err(|_| format!("syntax error in regular expression {src}"))?;
        self.regexes.insert(src.to_string(), r.clone());
        Ok(r)
    }
    fn field(&self, i: usize) -> V {
        if i == 0 {
            return V::StrNum(self.record.clone());
        }
        V::StrNum(self.fields.get(i - 1).cloned().unwrap_or_default())
    }
    fn set(&mut self, target: &E, v: V) -> R<()> {
        match target {
            E::Var(n) if n == "NF" => {
                let n = v.num().max(0.0) as usize;
                self.fields.resize(n, String::new());
                self.rebuild();
            }
            E::Var(n) => {
                self.vars.insert(n.clone(), v);
            }
            E::Field(e) => {
                let i = self.eval(e)?.num().max(0.0) as usize;
                if i == 0 {
                    self.record = v.str();
                    self.split_record();
                } else {
                    if self.fields.len() < i {
                        self.fields.resize(i, String::new());
                    }
                    self.fields[i - 1] = v.str();
                    self.rebuild();
                }
            }
            E::Index(a, idx) => {
                let k = self.eval(idx)?.str();
                self.arrays.entry(a.clone()).or_default().insert(k, v);
            }
            E::Group(e) => return self.set(e, v),
            _ => return Err("assignment to non-lvalue".into()),
        }
        Ok(())
    }
    fn eval(&mut self, e: &E) -> R<V> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err("program ran too long".into());
        }
        Ok(match e {
            E::Num(n) => V::Num(*n),
            E::Str(s) => V::Str(s.clone()),
            E::Re(r) => {
                let re = self.regex(r)?;
                V::Num(re.is_match(&self.record) as i32 as f64)
            }
            E::Var(n) => self.var(n),
            E::Group(e) => self.eval(e)?,
            E::Field(i) => {
                let i = self.eval(i)?.num();
                if i < 0.0 {
                    return Err(format!("trying to access out of range field {}", i as i64));
                }
                self.field(i as usize)
            }
            E::Index(a, idx) => {
                let k = self.eval(idx)?.str();
                self.arrays
                    .entry(a.clone())
                    .or_default()
                    .entry(k)
                    .or_insert(V::Str(String::new()))
                    .clone()
            }
            E::In(k, a) => {
                let k = self.eval(k)?.str();
                V::Num(self.arrays.get(a).is_some_and(|m| m.contains_key(&k)) as i32 as f64)
            }
            E::Assign(t, op, r) => {
                let rv = self.eval(r)?;
                let nv = if *op == "=" {
                    match rv {
                        V::StrNum(s) => V::StrNum(s),
                        o => o,
                    }
                } else {
                    let cur = self.eval(t)?.num();
                    let r = rv.num();
                    V::Num(match *op {
                        "+=" => cur + r,
                        "-=" => cur - r,
                        "*=" => cur * r,
                        "/=" => {
                            if r == 0.0 {
                                return Err("division by zero in /=".into());
                            }
                            cur / r
                        }
                        "%=" => {
                            if r == 0.0 {
                                return Err("division by zero in %=".into());
                            }
                            cur % r
                        }
                        _ => cur.powf(r),
                    })
                };
                self.set(t, nv.clone())?;
                nv
            }
            E::Incr(t, d, pre) => {
                let cur = self.eval(t)?.num();
                let n = cur + *d as f64;
                self.set(t, V::Num(n))?;
                V::Num(if *pre { n } else { cur })
            }
            E::Cond(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            E::Not(a) => V::Num(!self.eval(a)?.truthy() as i32 as f64),
            E::Neg(a) => V::Num(-self.eval(a)?.num()),
            E::Match(a, neg, r) => {
                let s = self.eval(a)?.str();
                let pat = match &**r {
                    E::Re(p) => p.clone(),
                    other => self.eval(other)?.str(),
                };
                let re = self.regex(&pat)?;
                V::Num((re.is_match(&s) != *neg) as i32 as f64)
            }
            E::Bin(a, op, b) => {
                if *op == "&&" {
                    return Ok(V::Num(
                        (self.eval(a)?.truthy() && self.eval(b)?.truthy()) as i32 as f64,
                    ));
                }
                if *op == "||" {
                    return Ok(V::Num(
                        (self.eval(a)?.truthy() || self.eval(b)?.truthy()) as i32 as f64,
                    ));
                }
                let l = self.eval(a)?;
                let r = self.eval(b)?;
                match *op {
                    "concat" => V::Str(format!("{}{}", l.str(), r.str())),
                    "+" => V::Num(l.num() + r.num()),
                    "-" => V::Num(l.num() - r.num()),
                    "*" => V::Num(l.num() * r.num()),
                    "/" => {
                        if r.num() == 0.0 {
                            return Err("division by zero".into());
                        }
                        V::Num(l.num() / r.num())
                    }
                    "%" => {
                        if r.num() == 0.0 {
                            return Err("division by zero in %".into());
                        }
                        V::Num(l.num() % r.num())
                    }
                    "^" => V::Num(l.num().powf(r.num())),
                    cmp => {
                        let ord = if l.is_numeric() && r.is_numeric() {
                            l.num()
                                .partial_cmp(&r.num())
                                .unwrap_or(std::cmp::Ordering::Equal)
                        } else {
                            l.str().cmp(&r.str())
                        };
                        let b = match cmp {
                            "<" => ord.is_lt(),
                            "<=" => ord.is_le(),
                            ">" => ord.is_gt(),
                            ">=" => ord.is_ge(),
                            "==" => ord.is_eq(),
                            _ => ord.is_ne(),
                        };
                        V::Num(b as i32 as f64)
                    }
                }
            }
            E::Call(f, args) => self.call(f, args)?,
        })
    }
    fn call(&mut self, f: &str, args: &[E]) -> R<V> {
        let mut vals = Vec::new();
        let arg_str = |rt: &mut Self, i: usize| -> R<String> {
            match args.get(i) {
                Some(e) => Ok(rt.eval(e)?.str()),
                None => Ok(String::new()),
            }
        };
        Ok(match f {
            "length" => {
                if args.is_empty() {
                    V::Num(self.record.chars().count() as f64)
                } else if let E::Var(n) = &args[0] {
                    if let Some(a) = self.arrays.get(n) {
                        V::Num(a.len() as f64)
                    } else {
                        V::Num(self.var(n).str().chars().count() as f64)
                    }
                } else {
                    V::Num(arg_str(self, 0)?.chars().count() as f64)
                }
            }
            "substr" => {
                let s: Vec<char> = arg_str(self, 0)?.chars().collect();
                let m = match args.get(1) {
                    Some(e) => self.eval(e)?.num(),
                    None => 1.0,
                };
                let n = match args.get(2) {
                    Some(e) => self.eval(e)?.num(),
                    None => f64::INFINITY,
                };
                let start = m.round();
                let end = if n.is_infinite() {
                    f64::INFINITY
                } else {
                    start + n.round()
                };
                let a = start.max(1.0) as usize;
                let z = end.min(s.len() as f64 + 1.0);
                if z <= a as f64 {
                    V::Str(String::new())
                } else {
                    V::Str(s[a - 1..(z as usize - 1).min(s.len())].iter().collect())
                }
            }
            "index" => {
                let s = arg_str(self, 0)?;
                let t = arg_str(self, 1)?;
                V::Num(s.find(&t).map(|i| s[..i].chars().count() + 1).unwrap_or(0) as f64)
            }
            "tolower" => V::Str(arg_str(self, 0)?.to_lowercase()),
            "toupper" => V::Str(arg_str(self, 0)?.to_uppercase()),
            "int" => {
                let v = match args.first() {
                    Some(e) => self.eval(e)?.num(),
                    None => 0.0,
                };
                V::Num(v.trunc())
            }
            "sqrt" | "exp" | "log" | "sin" | "cos" => {
                let v = match args.first() {
                    Some(e) => self.eval(e)?.num(),
                    None => 0.0,
                };
                V::Num(match f {
                    "sqrt" => v.sqrt(),
                    "exp" => v.exp(),
                    "log" => v.ln(),
                    "sin" => v.sin(),
                    _ => v.cos(),
                })
            }
            "sprintf" => {
                for a in args {
                    vals.push(self.eval(a)?);
                }
                if vals.is_empty() {
                    return Err("sprintf: no format".into());
                }
                V::Str(sprintf(&vals[0].str(), &vals[1..]))
            }
            "split" => {
                let s = arg_str(self, 0)?;
                let Some(E::Var(arr)) = args.get(1) else {
                    return Err("split: second argument must be an array".into());
                };
                let fs = match args.get(2) {
                    Some(E::Re(r)) => r.clone(),
                    Some(e) => self.eval(e)?.str(),
                    None => self.fs(),
                };
                let parts = split_fields(&s, &fs, &mut self.regexes);
                let m = self.arrays.entry(arr.clone()).or_default();
                m.clear();
                for (i, p) in parts.iter().enumerate() {
                    m.insert((i + 1).to_string(), V::StrNum(p.clone()));
                }
                V::Num(parts.len() as f64)
            }
            "sub" | "gsub" => {
                let pat = match args.first() {
                    Some(E::Re(r)) => r.clone(),
                    Some(e) => self.eval(e)?.str(),
                    None => return Err(format!("{f}: missing arguments")),
                };
                let rep = arg_str(self, 1)?;
                let target = args
                    .get(2)
                    .cloned()
                    .unwrap_or(E::Field(Box::new(E::Num(0.0))));
                let s = self.eval(&target)?.str();
                let re = self.regex(&pat)?;
                let mut n = 0;
                let mut out = String::new();
                let mut last = 0;
                for m in re.find_iter(&s) {
                    out.push_str(&s[last..m.start()]);
                    let mut chars = rep.chars().peekable();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' if chars.peek() == Some(&'&') => {
                                chars.next();
                                out.push('&');
                            }
                            '&' => out.push_str(m.as_str()),
                            c => out.push(c),
                        }
                    }
                    last = m.end();
                    n += 1;
                    if f == "sub" {
                        break;
                    }
                }
                if n > 0 {
                    out.push_str(&s[last..]);
                    self.set(&target, V::Str(out))?;
                }
                V::Num(n as f64)
            }
            "match" => {
                let s = arg_str(self, 0)?;
                let pat = match args.get(1) {
                    Some(E::Re(r)) => r.clone(),
                    Some(e) => self.eval(e)?.str(),
                    None => String::new(),
                };
                let re = self.regex(&pat)?;
                let (start, len) = match re.find(&s) {
                    Some(m) => (
                        s[..m.start()].chars().count() as f64 + 1.0,
                        m.as_str().chars().count() as f64,
                    ),
                    None => (0.0, -1.0),
                };
                self.vars.insert("RSTART".into(), V::Num(start));
                self.vars.insert("RLENGTH".into(), V::Num(len));
                V::Num(start)
            }
            "system" => V::Num(0.0),
            other => return Err(format!("calling undefined function {other}")),
        })
    }
    fn exec(&mut self, stmts: &[S]) -> R<Flow> {
        for s in stmts {
            match self.stmt(s)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }
    fn stmt(&mut self, s: &S) -> R<Flow> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err("program ran too long".into());
        }
        match s {
            S::Print(args, redirect) => {
                let line = if args.is_empty() {
                    self.record.clone()
                } else {
                    let ofs = self.var("OFS").str();
                    let mut parts = Vec::new();
                    for a in args {
                        let v = self.eval(a)?;
                        parts.push(match v {
                            V::Num(n) if n.fract() != 0.0 => fmt_g(n, 6),
                            v => v.str(),
                        });
                    }
                    parts.join(&ofs)
                };
                let ors = self.var("ORS").str();
                let text = format!("{line}{ors}");
                self.emit(text, redirect)?;
            }
            S::Printf(args) => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a)?);
                }
                let text = sprintf(&vals[0].str(), &vals[1..]);
                self.emit(text, &None)?;
            }
            S::Expr(e) => {
                self.eval(e)?;
            }
            S::If(c, a, b) => {
                if self.eval(c)?.truthy() {
                    return self.stmt(a);
                } else if let Some(b) = b {
                    return self.stmt(b);
                }
            }
            S::While(c, body) => {
                while self.eval(c)?.truthy() {
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Next => return Ok(Flow::Next),
                        Flow::Exit => return Ok(Flow::Exit),
                        _ => {}
                    }
                }
            }
            S::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.eval(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval(c)?.truthy() {
                            break;
                        }
                    }
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Next => return Ok(Flow::Next),
                        Flow::Exit => return Ok(Flow::Exit),
                        _ => {}
                    }
                    if let Some(st) = step {
                        self.eval(st)?;
                    }
                }
            }
            S::ForIn(v, arr, body) => {
                let keys: Vec<String> = self
                    .arrays
                    .get(arr)
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                for k in keys {
                    self.vars.insert(v.clone(), V::StrNum(k));
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Next => return Ok(Flow::Next),
                        Flow::Exit => return Ok(Flow::Exit),
                        _ => {}
                    }
                }
            }
            S::Block(b) => return self.exec(b),
            S::Next => return Ok(Flow::Next),
            S::Break => return Ok(Flow::Break),
            S::Continue => return Ok(Flow::Continue),
            S::Exit(e) => {
                if let Some(e) = e {
                    self.exit_code = self.eval(e)?.num() as i32;
                }
                return Ok(Flow::Exit);
            }
            S::Delete(a, idx) => match idx {
                Some(i) => {
                    let k = self.eval(i)?.str();
                    if let Some(m) = self.arrays.get_mut(a) {
                        m.remove(&k);
                    }
                }
                None => {
                    self.arrays.remove(a);
                }
            },
        }
        Ok(Flow::Normal)
    }
    fn emit(&mut self, text: String, redirect: &Option<(bool, E)>) -> R<()> {
        match redirect {
            None => self.out.push_str(&text),
            Some((append, target)) => {
                let name = self.eval(target)?.str();
                match self.cx_files.iter_mut().find(|(n, _, _)| *n == name) {
                    Some(f) => f.2.push_str(&text),
                    None => self.cx_files.push((name, *append, text)),
                }
            }
        }
        Ok(())
    }
}

fn split_fields(s: &str, fs: &str, cache: &mut BTreeMap<String, Regex>) -> Vec<String> {
    if fs == " " {
        return s.split_whitespace().map(str::to_string).collect();
    }
    if s.is_empty() {
        return vec![];
    }
    if fs.chars().count() == 1 && fs != "\\" {
        return s.split(fs).map(str::to_string).collect();
    }
    let re = match cache.get(fs) {
        Some(r) => r.clone(),
        None => match Regex::new(&super::text::ere_fix(fs)) {
            Ok(r) => {
                cache.insert(fs.to_string(), r.clone());
                r
            }
            Err(_) => return s.split(fs).map(str::to_string).collect(),
        },
    };
    re.split(s).map(str::to_string).collect()
}

fn sprintf(fmt: &str, args: &[V]) -> String {
    let c: Vec<char> = fmt.chars().collect();
    let mut o = String::new();
    let mut ai = 0;
    let mut i = 0;
    while i < c.len() {
        if c[i] != '%' {
            o.push(c[i]);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if c.get(j) == Some(&'%') {
            o.push('%');
            i += 2;
            continue;
        }
        let mut flags = String::new();
        while j < c.len() && "-+ 0#".contains(c[j]) {
            flags.push(c[j]);
            j += 1;
        }
        let mut width = String::new();
        while j < c.len() && (c[j].is_ascii_digit() || c[j] == '*') {
            if c[j] == '*' {
                width.push_str(
                    &args
                        .get(ai)
                        .map(|v| (v.num() as i64).to_string())
                        .unwrap_or_default(),
                );
                ai += 1;
            } else {
                width.push(c[j]);
            }
            j += 1;
        }
        let mut prec = None;
        if c.get(j) == Some(&'.') {
            j += 1;
            let mut p = String::new();
            while j < c.len() && c[j].is_ascii_digit() {
                p.push(c[j]);
                j += 1;
            }
            prec = Some(p.parse::<usize>().unwrap_or(0));
        }
        let Some(&conv) = c.get(j) else {
            o.extend(&c[i..]);
            break;
        };
        let arg = args.get(ai).cloned().unwrap_or(V::Str(String::new()));
        ai += 1;
        let body = match conv {
            'd' | 'i' => {
                let n = arg.num().trunc() as i64;
                let mut s = n.unsigned_abs().to_string();
                if let Some(p) = prec {
                    while s.len() < p {
                        s.insert(0, '0');
                    }
                }
                let sign = if n < 0 {
                    "-"
                } else if flags.contains('+') {
                    "+"
                } else if flags.contains(' ') {
                    " "
                } else {
                    ""
                };
                format!("{sign}{s}")
            }
            'o' => format!("{:o}", arg.num() as i64),
            'x' => format!("{:x}", arg.num() as i64),
            'X' => format!("{:X}", arg.num() as i64),
            'u' => format!("{}", arg.num() as u64),
            'c' => match arg {
                V::Num(n) => char::from_u32(n as u32)
                    .map(String::from)
                    .unwrap_or_default(),
                v => v.str().chars().next().map(String::from).unwrap_or_default(),
            },
            's' => {
                let s = match &arg {
                    V::Num(n) if n.fract() != 0.0 => fmt_g(*n, 6),
                    v => v.str(),
                };
                match prec {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            'f' | 'F' => format!("{:.*}", prec.unwrap_or(6), arg.num()),
            'e' | 'E' => {
                let m = format!("{:.*e}", prec.unwrap_or(6), arg.num());
                let (mant, e) = m.split_once('e').unwrap_or((&m, "0"));
                let e: i32 = e.parse().unwrap_or(0);
                let s = format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                if conv == 'E' {
                    s.to_uppercase()
                } else {
                    s
                }
            }
            'g' | 'G' => fmt_g(arg.num(), prec.unwrap_or(6)),
            _ => {
                o.extend(&c[i..=j]);
                i = j + 1;
                continue;
            }
        };
        let w: usize = width.parse().unwrap_or(0);
        let len = body.chars().count();
        if len < w {
            if flags.contains('-') {
                o.push_str(&body);
                o.push_str(&" ".repeat(w - len));
            } else if flags.contains('0') && "dieEfFgGxXo".contains(conv) {
                let (sign, digits) = if body.starts_with('-') || body.starts_with('+') {
                    body.split_at(1)
                } else {
                    ("", body.as_str())
                };
                o.push_str(sign);
                o.push_str(&"0".repeat(w - len));
                o.push_str(digits);
            } else {
                o.push_str(&" ".repeat(w - len));
                o.push_str(&body);
            }
        } else {
            o.push_str(&body);
        }
        i = j + 1;
    }
    o
}

fn unescape_assign(v: &str) -> String {
    super::basic::backslash_escapes(v, false).0
}

pub fn awk(cx: &mut Cx) -> Outcome {
    let mut fs = " ".to_string();
    let mut assigns = Vec::new();
    let mut prog_src = None;
    let mut files = Vec::new();
    let mut it = cx.args.iter();
    while let Some(a) = it.next() {
        if prog_src.is_none() {
            if a == "-F" {
                fs = it.next().cloned().unwrap_or_default();
                continue;
            }
            if let Some(f) = a.strip_prefix("-F") {
                fs = f.to_string();
                continue;
            }
            if a == "-v" {
                if let Some(kv) = it.next() {
                    assigns.push(kv.clone());
                }
                continue;
            }
            if a == "-f" {
                if let Some(f) = it.next() {
                    match cx.fs.read_file(&cx.path(f)) {
                        Ok(d) => prog_src = Some(String::from_utf8_lossy(&d).into_owned()),
                        Err(e) => {
                            cx.io
                                .err(format!("awk: can't open file {f}: {}\n", e.text()));
                            return exit(2);
                        }
                    }
                }
                continue;
            }
            if a == "--" {
                continue;
            }
            prog_src = Some(a.clone());
        } else {
            files.push(a.clone());
        }
    }
    let Some(src) = prog_src else {
        cx.io
            .err("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]\n");
        return exit(2);
    };
    let prog = match lex(&src).and_then(|t| P { t, i: 0, depth: 0 }.program()) {
        Ok(p) => p,
        Err(e) => {
            cx.io.err(format!("awk: {e}\n"));
            return exit(2);
        }
    };
    if fs == "t" {
        fs = "\t".into();
    }
    let env = cx.io.env.clone();
    let mut rt = Rt {
        vars: BTreeMap::new(),
        arrays: BTreeMap::new(),
        fields: vec![],
        record: String::new(),
        out: String::new(),
        exit_code: 0,
        regexes: BTreeMap::new(),
        cx_files: vec![],
        steps: 0,
        env: &env,
    };
    rt.vars.insert("FS".into(), V::Str(unescape_assign(&fs)));
    rt.vars.insert("OFS".into(), V::Str(" ".into()));
    rt.vars.insert("ORS".into(), V::Str("\n".into()));
    rt.vars.insert("NR".into(), V::Num(0.0));
    rt.vars.insert("SUBSEP".into(), V::Str("\x1c".into()));
    let env_map: BTreeMap<String, V> = rt
        .env
        .iter()
        .map(|(k, v)| (k.clone(), V::StrNum(v.clone())))
        .collect_map();
    rt.arrays.insert("ENVIRON".into(), env_map);
    for kv in &assigns {
        if let Some((k, v)) = kv.split_once('=') {
            rt.vars.insert(k.to_string(), V::StrNum(unescape_assign(v)));
        }
    }
    let result = run_prog(cx, &prog, &mut rt, &files);
    let out = std::mem::take(&mut rt.out);
    cx.io.out(out);
    for (name, append, text) in std::mem::take(&mut rt.cx_files) {
        if name == "/dev/stderr" {
            cx.io.err(text);
            continue;
        }
        if name == "/dev/stdout" {
            cx.io.out(text);
            continue;
        }
        let p = cx.path(&name);
        let _ = if append {
            cx.fs.append(&p, text.as_bytes())
        } else {
            cx.fs.write_file(&p, text.into_bytes())
        };
    }
    match result {
        Ok(()) => exit(rt.exit_code),
        Err(e) => {
            cx.io.err(format!("awk: {e}\n"));
            exit(2)
        }
    }
}

fn run_prog(cx: &mut Cx, prog: &Prog, rt: &mut Rt, files: &[String]) -> R<()> {
    let mut exiting = false;
    for (pat, action) in &prog.items {
        if let Pat::Begin = pat {
            if let Some(a) = action {
                if let Flow::Exit = rt.exec(a)? {
                    exiting = true;
                    break;
                }
            }
        }
    }
    let has_main = prog.items.iter().any(|(p, _)| !matches!(p, Pat::Begin));
    if !exiting && has_main {
        let mut ops = Vec::new();
        for f in files {
            if let Some((k, v)) = f.split_once('=') {
                if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !k.is_empty() {
                    rt.vars.insert(k.to_string(), V::StrNum(v.to_string()));
                    continue;
                }
            }
            ops.push(f.clone());
        }
        let (inputs, bad) = cx.inputs("awk", &ops);
        if bad {
            rt.exit_code = 2;
        }
        let mut in_range = vec![false; prog.items.len()];
        let mut nr = 0u64;
        'records: for (name, d) in inputs {
            rt.vars.insert(
                "FILENAME".into(),
                V::Str(if name == "-" {
                    String::new()
                } else {
                    name.clone()
                }),
            );
            let text = String::from_utf8_lossy(&d).into_owned();
            let mut fnr = 0u64;
            'lines: for line in text.split_inclusive('\n') {
                let line = line.strip_suffix('\n').unwrap_or(line);
                nr += 1;
                fnr += 1;
                rt.vars.insert("NR".into(), V::Num(nr as f64));
                rt.vars.insert("FNR".into(), V::Num(fnr as f64));
                rt.record = line.to_string();
                rt.split_record();
                for (k, (pat, action)) in prog.items.iter().enumerate() {
                    let hit = match pat {
                        Pat::Begin | Pat::End => false,
                        Pat::All => true,
                        Pat::Expr(e) => rt.eval(e)?.truthy(),
                        Pat::Range(a, b) => {
                            if in_range[k] {
                                if rt.eval(b)?.truthy() {
                                    in_range[k] = false;
                                }
                                true
                            } else if rt.eval(a)?.truthy() {
                                in_range[k] = !rt.eval(b)?.truthy();
                                true
                            } else {
                                false
                            }
                        }
                    };
                    if !hit {
                        continue;
                    }
                    let flow = match action {
                        Some(a) => rt.exec(a)?,
                        None => {
                            let ors = rt.var("ORS").str();
                            let rec = rt.record.clone();
                            rt.out.push_str(&rec);
                            rt.out.push_str(&ors);
                            Flow::Normal
                        }
                    };
                    match flow {
                        Flow::Next => continue 'lines,
                        // `exit` in a rule still runs the END rules.
                        Flow::Exit => break 'records,
                        _ => {}
                    }
                }
            }
        }
    }
    for (pat, action) in &prog.items {
        if let Pat::End = pat {
            if let Some(a) = action {
                if let Flow::Exit = rt.exec(a)? {
                    break;
                }
            }
        }
    }
    Ok(())
}
