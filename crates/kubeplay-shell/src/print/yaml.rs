//! YAML exactly as `kubectl -o yaml` prints it.
//!
//! kubectl marshals the object to JSON, reads that JSON back with go-yaml v2 and emits it with
//! go-yaml v2 (sigs.k8s.io/yaml). So the output follows go-yaml's encoder and its libyaml-derived
//! emitter: map keys in go-yaml's "natural" order, sequences inside mappings not indented,
//! strings quoted only when they would read back as something else (double quotes) or cannot be
//! plain (single quotes), multi-line strings in literal style, and long lines folded at spaces
//! once a line passes 80 columns.

use serde_json::Value;
use std::cmp::Ordering;

/// The emitter's preferred line width (libyaml `best_width`).
const BEST_WIDTH: usize = 80;
const INDENT: usize = 2;

/// Render a JSON value as `kubectl -o yaml` does (ends with a newline).
pub fn to_yaml(v: &Value) -> String {
    let mut e = Emitter::default();
    e.node(v, 0, Ctx::Root);
    if e.open_ended {
        e.out.push_str("...\n");
    }
    if !e.out.ends_with('\n') {
        e.out.push('\n');
    }
    e.out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Root,
    /// After `key:` in a block mapping.
    MapValue,
    /// After `- ` in a block sequence.
    SeqItem,
}

#[derive(Default)]
struct Emitter {
    out: String,
    /// Characters on the current line (libyaml counts characters, not bytes).
    column: usize,
    /// A `|+` scalar ended the document: libyaml then closes it with `...`.
    open_ended: bool,
}

impl Emitter {
    fn put(&mut self, s: &str) {
        self.out.push_str(s);
        self.column += s.chars().count();
        self.open_ended = false;
    }
    fn put_char(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }
    fn newline(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }
    /// Start a new line at `indent` (libyaml `write_indent` when not already there).
    fn indent(&mut self, indent: usize) {
        if self.column > 0 || !self.out.is_empty() && !self.out.ends_with('\n') {
            self.newline();
        }
        for _ in 0..indent {
            self.out.push(' ');
        }
        self.column = indent;
    }

    /// Emit a node whose parent's indentation is `indent`.
    fn node(&mut self, v: &Value, indent: usize, ctx: Ctx) {
        match v {
            Value::Object(m) if !m.is_empty() => {
                // A mapping's keys sit one step in from its parent; at the root, at column 0.
                let inner = if ctx == Ctx::Root { 0 } else { indent + INDENT };
                let mut keys: Vec<&String> = m.keys().collect();
                kubeplay_sort::sort_by(&mut keys, |a, b| natural_cmp(a, b));
                for (i, k) in keys.into_iter().enumerate() {
                    // The first key of a mapping in a sequence item follows the `- ` directly.
                    if !(i == 0 && ctx == Ctx::SeqItem) {
                        self.indent(inner);
                    } else {
                        self.pad_to(inner);
                    }
                    self.key(k, inner);
                    self.node(&m[k], inner, Ctx::MapValue);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                // Sequences in a mapping are "indentless": the `- ` sits at the key's column.
                let inner = match ctx {
                    Ctx::MapValue => indent,
                    Ctx::SeqItem => indent + INDENT,
                    Ctx::Root => 0,
                };
                for (i, item) in a.iter().enumerate() {
                    if !(i == 0 && ctx == Ctx::SeqItem) {
                        self.indent(inner);
                    } else {
                        self.pad_to(inner);
                    }
                    self.put("-");
                    self.node(item, inner, Ctx::SeqItem);
                }
            }
            Value::Object(_) => self.inline(" {}", "{}", ctx),
            Value::Array(_) => self.inline(" []", "[]", ctx),
            Value::Null => self.inline(" null", "null", ctx),
            Value::Bool(b) => {
                let s = if *b { "true" } else { "false" };
                self.inline(&format!(" {s}"), s, ctx)
            }
            Value::Number(n) => {
                let s = number(n);
                self.inline(&format!(" {s}"), &s, ctx)
            }
            Value::String(s) => {
                if ctx != Ctx::Root {
                    self.put(" ");
                }
                self.scalar(s, indent + INDENT, true);
            }
        }
    }

    fn pad_to(&mut self, col: usize) {
        while self.column < col {
            self.put_char(' ');
        }
    }

    fn inline(&mut self, with_space: &str, bare: &str, ctx: Ctx) {
        if ctx == Ctx::Root {
            self.put(bare)
        } else {
            self.put(with_space)
        }
    }

    fn key(&mut self, k: &str, indent: usize) {
        let simple = k.len() <= 128 && !k.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']);
        if simple {
            self.scalar_key(k, indent);
            self.put(":");
        } else {
            self.put("? ");
            self.scalar(k, indent + INDENT, true);
            self.indent(indent);
            self.put(":");
        }
    }

    fn scalar_key(&mut self, k: &str, indent: usize) {
        let a = analyze(k);
        let style = select_style(k, &a, true);
        self.write_scalar(k, style, indent, false);
    }

    /// A string value; `indent` is where continuation lines and block bodies go.
    fn scalar(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let a = analyze(s);
        let style = select_style(s, &a, false);
        self.write_scalar(s, style, indent, allow_breaks);
    }

    fn write_scalar(&mut self, s: &str, style: Style, indent: usize, allow_breaks: bool) {
        match style {
            Style::Plain => self.write_plain(s, indent, allow_breaks),
            Style::Single => self.write_single(s, indent, allow_breaks),
            Style::Double => self.write_double(s, indent, allow_breaks),
            Style::Literal => self.write_literal(s, indent),
        }
    }

    fn write_plain(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.indent(indent);
                } else {
                    self.put_char(c);
                }
                spaces = true;
            } else {
                self.put_char(c);
                spaces = false;
            }
        }
        self.open_ended = false;
    }

    fn write_single(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        self.put_char('\'');
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.indent(indent);
                } else {
                    self.put_char(c);
                }
                spaces = true;
            } else {
                if c == '\'' {
                    self.put_char('\'');
                }
                self.put_char(c);
                spaces = false;
            }
        }
        self.put_char('\'');
        self.open_ended = false;
    }

    fn write_double(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        self.put_char('"');
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        // go-yaml's is_bom(b, i) looks at b[0..3] whatever i is: a value that starts with a
        // BOM has every character escaped.
        let starts_bom = s.starts_with('\u{feff}');
        for (i, &c) in chars.iter().enumerate() {
            if starts_bom || !is_printable(c) || is_break(c) || c == '"' || c == '\\' {
                self.put_char('\\');
                let esc = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match esc {
                    Some(e) => self.put_char(e),
                    None => {
                        let v = c as u32;
                        let hex = if v <= 0xff {
                            format!("x{v:02X}")
                        } else if v <= 0xffff {
                            format!("u{v:04X}")
                        } else {
                            format!("U{v:08X}")
                        };
                        self.put(&hex);
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i + 1 != chars.len()
                {
                    self.indent(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.put_char('\\');
                    }
                } else {
                    self.put_char(c);
                }
                spaces = true;
            } else {
                self.put_char(c);
                spaces = false;
            }
        }
        self.put_char('"');
        self.open_ended = false;
    }

    fn write_literal(&mut self, s: &str, indent: usize) {
        self.put("|");
        let first = s.chars().next();
        if first.is_some_and(|c| c == ' ' || is_break(c)) {
            self.put(&INDENT.to_string());
        }
        let mut chars = s.chars().rev();
        let last = chars.next();
        let before_last = chars.next();
        let mut open_ended = false;
        match last {
            None => self.put("-"),
            Some(c) if !is_break(c) => self.put("-"),
            Some(_) => {
                if before_last.is_none() || before_last.is_some_and(is_break) {
                    self.put("+");
                    open_ended = true;
                }
            }
        }
        self.newline();
        let mut at_line_start = true;
        let mut it = s.chars().peekable();
        while let Some(c) = it.next() {
            if is_break(c) {
                // CR LF is one break.
                if c == '\r' && it.peek() == Some(&'\n') {
                    it.next();
                }
                self.newline();
                at_line_start = true;
            } else {
                if at_line_start {
                    for _ in 0..indent {
                        self.out.push(' ');
                    }
                    self.column = indent;
                    at_line_start = false;
                }
                self.put_char(c);
            }
        }
        self.open_ended = open_ended;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// What libyaml's `yaml_emitter_analyze_scalar` finds out about a string.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's `is_printable` over the UTF-8 bytes of `c`.
fn is_printable(c: char) -> bool {
    let v = c as u32;
    v == 0x0a
        || (0x20..=0x7e).contains(&v)
        || (0xa0..=0xd7ff).contains(&v)
        || ((0xe000..=0xfffd).contains(&v) && v != 0xfeff)
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_indicators = false;
    let mut line_breaks = false;
    let mut special = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;
    if s.starts_with("---") || s.starts_with("...") {
        block_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let n = chars.len();
    for i in 0..n {
        let c = chars[i];
        let followed_by_whitespace = i + 1 >= n || matches!(chars[i + 1], ' ' | '\t');
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = matches!(c, ' ' | '\t' | '\0') || is_break(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// go-yaml's `stringv` picks a style, then libyaml's `select_scalar_style` downgrades it.
fn select_style(s: &str, a: &Analysis, simple_key: bool) -> Style {
    let can_use_plain = resolves_to_str(s) && !is_base60_float(s);
    let mut style = if s.contains('\n') {
        Style::Literal
    } else if can_use_plain {
        Style::Plain
    } else {
        Style::Double
    };
    if style == Style::Plain {
        if !a.block_plain_allowed || (s.is_empty() && simple_key) {
            style = Style::Single;
        }
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key || a.multiline && simple_key) {
        style = Style::Double;
    }
    style
}

/// Whether go-yaml's `resolve` would read the plain scalar `s` back as a string.
fn resolves_to_str(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N",
        "no", "No", "NO", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    let Some(first) = s.bytes().next() else {
        return false;
    };
    // Only strings starting with one of these characters are looked at further.
    let hinted = matches!(first, b'+' | b'-' | b'.' | b'0'..=b'9')
        || b"yYnNtTfFoO~".contains(&first)
        || s == "<<";
    if !hinted {
        return true;
    }
    if SPECIAL.contains(&s) {
        return false;
    }
    match first {
        b'.' => parse_go_float(s).is_none(),
        b'+' | b'-' | b'0'..=b'9' => {
            if is_timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            if parse_go_int(&plain) || is_yaml_float(&plain) {
                return false;
            }
            if let Some(b) = plain
                .strip_prefix("0b")
                .or_else(|| plain.strip_prefix("-0b"))
            {
                if !b.is_empty() && b.bytes().all(|c| c == b'0' || c == b'1') {
                    return false;
                }
            }
            true
        }
        _ => true,
    }
}

/// `strconv.ParseInt(s, 0, 64)` or `ParseUint` succeeds.
fn parse_go_int(s: &str) -> bool {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, digits) = if let Some(h) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (16, h)
    } else if let Some(b) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (2, b)
    } else if let Some(o) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        (8, o)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return false;
    }
    match u64::from_str_radix(digits, radix) {
        Ok(v) => !neg || v <= i64::MAX as u64 + 1,
        Err(_) => false,
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat(s, 64)` for what a `.`-leading plain scalar can hold.
fn parse_go_float(s: &str) -> Option<f64> {
    if is_yaml_float(s) {
        s.parse().ok()
    } else {
        None
    }
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() && i - st < 2 {
            i += 1;
        }
        let n = i - st;
        if n == 0 || (n == 2 && b[st] > b'5') {
            // `[0-5]?[0-9]`: two digits need a first digit of 0-5; one digit is any.
            if n == 2 {
                // Try reading just one digit.
                i = st + 1;
            } else {
                return false;
            }
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml's `parseTimestamp`: `YYYY-M-D`, `YYYY-M-DTh:m:s[.frac](Z|±hh:mm)`, and the
/// space- or `t`-separated variants.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if lead != 4 || b.len() == 4 || b[4] != b'-' {
        return false;
    }
    let mut p = Parser { b, i: 5 };
    let date_ok = p.num(1, 2).is_some_and(|m| (1..=12).contains(&m))
        && p.lit(b'-')
        && p.num(1, 2).is_some_and(|d| (1..=31).contains(&d));
    if !date_ok {
        return false;
    }
    if p.i == b.len() {
        return true;
    }
    let sep = b[p.i];
    p.i += 1;
    let zone_required = match sep {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    let time_ok = p.num(1, 2).is_some_and(|h| h < 24)
        && p.lit(b':')
        && p.num(1, 2).is_some_and(|m| m < 60)
        && p.lit(b':')
        && p.num(1, 2).is_some_and(|s| s < 60);
    if !time_ok {
        return false;
    }
    if p.i < b.len() && b[p.i] == b'.' {
        p.i += 1;
        if p.num(1, 9).is_none() {
            return false;
        }
    }
    if p.i == b.len() {
        return !zone_required;
    }
    if !zone_required {
        return false;
    }
    match b[p.i] {
        b'Z' => p.i + 1 == b.len(),
        b'+' | b'-' => {
            p.i += 1;
            p.num(2, 2).is_some() && p.lit(b':') && p.num(2, 2).is_some() && p.i == b.len()
        }
        _ => false,
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn num(&mut self, min: usize, max: usize) -> Option<u32> {
        let st = self.i;
        while self.i < self.b.len() && self.b[self.i].is_ascii_digit() && self.i - st < max {
            self.i += 1;
        }
        if self.i - st < min {
            return None;
        }
        std::str::from_utf8(&self.b[st..self.i]).ok()?.parse().ok()
    }
    fn lit(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
}

/// go-yaml's `keyList.Less` for string keys: letters after non-letters, runs of digits compared
/// as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let less = |x: &[char], y: &[char]| -> bool {
        let mut i = 0;
        while i < x.len() && i < y.len() {
            if x[i] == y[i] {
                i += 1;
                continue;
            }
            let al = x[i].is_alphabetic();
            let bl = y[i].is_alphabetic();
            if al && bl {
                return x[i] < y[i];
            }
            if al || bl {
                return bl;
            }
            let (mut an, mut bn): (i64, i64) = (0, 0);
            if x[i] == '0' || y[i] == '0' {
                let mut j = i;
                while j > 0 && x[j - 1].is_ascii_digit() {
                    j -= 1;
                    if x[j] != '0' {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            let mut ai = i;
            while ai < x.len() && x[ai].is_ascii_digit() {
                an = an.wrapping_mul(10).wrapping_add(x[ai] as i64 - '0' as i64);
                ai += 1;
            }
            let mut bi = i;
            while bi < y.len() && y[bi].is_ascii_digit() {
                bn = bn.wrapping_mul(10).wrapping_add(y[bi] as i64 - '0' as i64);
                bi += 1;
            }
            if an != bn {
                return an < bn;
            }
            if ai != bi {
                return ai < bi;
            }
            return x[i] < y[i];
        }
        x.len() < y.len()
    };
    if less(&ar, &br) {
        Ordering::Less
    } else if less(&br, &ar) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// A JSON number as go-yaml prints what `json.Unmarshal`-via-YAML made of it.
fn number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    go_format_g(f)
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`.
pub fn go_format_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Shortest round-trip digits and decimal exponent.
    let e = format!("{:e}", f);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    let nd = digits.len() as i32;
    // Go uses %e when the exponent is < -4 or >= 6 for shortest formatting.
    if exp < -4 || exp >= 6 {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        let es = if exp < 0 { "-" } else { "+" };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    // Plain decimal.
    if exp >= nd - 1 {
        let zeros = (exp - (nd - 1)) as usize;
        format!("{sign}{digits}{}", "0".repeat(zeros))
    } else if exp >= 0 {
        let p = (exp + 1) as usize;
        format!("{sign}{}.{}", &digits[..p], &digits[p..])
    } else {
        format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_maps_and_indentless_sequences() {
        let v = json!({
            "kind": "Pod",
            "metadata": {"name": "x", "labels": {}},
            "spec": {"containers": [{"name": "a", "args": ["x", "y"], "ports": []}]},
        });
        assert_eq!(
            to_yaml(&v),
            "kind: Pod\nmetadata:\n  labels: {}\n  name: x\nspec:\n  containers:\n  - args:\n    - x\n    - \"y\"\n    name: a\n    ports: []\n"
        );
    }

    #[test]
    fn sequences_of_sequences_and_scalars() {
        let v = json!({"a": [[1, 2], [], {"b": null}], "t": true, "f": 1.5});
        assert_eq!(
            to_yaml(&v),
            "a:\n- - 1\n  - 2\n- []\n- b: null\nf: 1.5\nt: true\n"
        );
    }

    #[test]
    fn quoting_follows_go_yaml() {
        let cases = [
            ("plain", "plain"),
            ("true", "\"true\""),
            ("1", "\"1\""),
            ("1.5", "\"1.5\""),
            ("", "\"\""),
            ("null", "\"null\""),
            ("~", "\"~\""),
            ("yes", "\"yes\""),
            ("Off", "\"Off\""),
            ("y", "\"y\""),
            (" x", "' x'"),
            ("x ", "'x '"),
            ("- x", "'- x'"),
            ("-x", "-x"),
            ("a: b", "'a: b'"),
            ("a:b", "a:b"),
            ("a #b", "'a #b'"),
            ("a#b", "a#b"),
            ("'q", "'''q'"),
            ("@x", "'@x'"),
            ("`x", "'`x'"),
            ("0x1F", "\"0x1F\""),
            ("08", "\"08\""),
            ("1:20", "\"1:20\""),
            ("2026-01-01", "\"2026-01-01\""),
            ("2026-01-01T00:00:00Z", "\"2026-01-01T00:00:00Z\""),
            ("a\tb", "\"a\\tb\""),
            ("héllo 😀", "\"héllo \\U0001F600\""),
            ("<a>&", "<a>&"),
            ("1e3", "\"1e3\""),
            ("1_000", "\"1_000\""),
            (".5", "\".5\""),
            ("nginx:1.14.2", "nginx:1.14.2"),
            ("---", "'---'"),
        ];
        for (s, want) in cases {
            let got = to_yaml(&json!({ "k": s }));
            assert_eq!(got, format!("k: {want}\n"), "{s:?}");
        }
    }

    #[test]
    fn multi_line_strings() {
        let y = |s: &str| to_yaml(&json!({"d": {"k": s}}));
        assert_eq!(y("l1\nl2"), "d:\n  k: |-\n    l1\n    l2\n");
        assert_eq!(y("l1\nl2\n"), "d:\n  k: |\n    l1\n    l2\n");
        // libyaml closes a document that ends in a `|+` scalar with `...`.
        assert_eq!(y("a\n\n"), "d:\n  k: |+\n    a\n\n...\n");
        assert_eq!(
            to_yaml(&json!({"d": {"k": "a\n\n"}, "e": 1})),
            "d:\n  k: |+\n    a\n\ne: 1\n"
        );
        assert_eq!(y("l1 \nl2"), "d:\n  k: \"l1 \\nl2\"\n");
        assert_eq!(y(" lead\nx"), "d:\n  k: |2-\n     lead\n    x\n");
        assert_eq!(y("a\n\nb"), "d:\n  k: |-\n    a\n\n    b\n");
    }

    #[test]
    fn keys_sort_naturally() {
        let mut k = vec!["ab", "aB", "a10", "a9", "a_b", "A_b"];
        kubeplay_sort::sort_by(&mut k, |a, b| natural_cmp(a, b));
        assert_eq!(k, vec!["A_b", "a_b", "a9", "a10", "aB", "ab"]);
    }

    #[test]
    fn long_lines_fold_at_80_columns() {
        let long = vec!["word"; 40].join(" ");
        let got = to_yaml(&json!({"d": {"long": long}}));
        let want = "d:\n  long: word word word word word word word word word word word word word word word\n    word word word word word word word word word word word word word word word word\n    word word word word word word word word word\n";
        assert_eq!(got, want);
    }

    #[test]
    fn go_float_format() {
        assert_eq!(go_format_g(1.5), "1.5");
        assert_eq!(go_format_g(0.1), "0.1");
        assert_eq!(go_format_g(1e21), "1e+21");
        assert_eq!(go_format_g(123456789.5), "1.234567895e+08");
        assert_eq!(go_format_g(0.00001), "1e-05");
    }
}
