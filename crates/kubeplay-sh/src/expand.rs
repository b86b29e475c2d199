//! Word expansion: braces, tilde, parameters, command substitution results, arithmetic,
//! field splitting, globbing and quote removal, in bash's order.
//!
//! Command substitutions are run by the interpreter before a word is expanded (they may have
//! to wait on virtual time); their outputs arrive here, in order, through [`Ex::subs`].

use crate::ast::*;
use crate::glob;
use crate::vfs::Vfs;
use crate::{Elem, Shell};

/// Most words one brace expansion may produce.
const MAX_BRACE_WORDS: usize = 100_000;

/// A word grown past [`crate::MAX_STRING`] is where bash would run out of memory.
fn too_long(len: usize) -> Result<(), String> {
    if len > crate::MAX_STRING {
        return Err(crate::out_of_memory(len));
    }
    Ok(())
}

pub struct Ex<'a> {
    pub sh: &'a mut Shell,
    pub fs: &'a Vfs,
    /// Outputs of the command substitutions, in the order they appear.
    pub subs: &'a [String],
    pub next_sub: usize,
}

#[derive(Default, Clone)]
struct Field {
    text: String,
    /// The text as a glob pattern (quoted characters escaped).
    pat: String,
    glob: bool,
    /// Something (even an empty quoted string) was put in this field.
    started: bool,
}

struct Fields {
    done: Vec<Field>,
    cur: Field,
}

impl Fields {
    fn quoted(&mut self, s: &str) {
        self.cur.text.push_str(s);
        self.cur.pat.push_str(&glob::escape(s));
        self.cur.started = true;
    }
    fn literal(&mut self, s: &str) {
        self.cur.text.push_str(s);
        self.cur.pat.push_str(s);
        if s.contains(['*', '?', '[']) {
            self.cur.glob = true;
        }
        if !s.is_empty() {
            self.cur.started = true;
        }
    }
    /// An unquoted expansion result: split on IFS whitespace.
    fn split(&mut self, s: &str, ifs: &str) {
        let mut first = true;
        let mut pieces = s.split(|c: char| ifs.contains(c)).peekable();
        let leading_sep = s.starts_with(|c: char| ifs.contains(c));
        if leading_sep && self.cur.started {
            self.end();
        }
        while let Some(p) = pieces.next() {
            if p.is_empty() {
                continue;
            }
            if !first {
                self.end();
            }
            first = false;
            self.literal(p);
        }
        if s.ends_with(|c: char| ifs.contains(c)) && self.cur.started {
            self.end();
        }
    }
    fn end(&mut self) {
        let f = std::mem::take(&mut self.cur);
        self.done.push(f);
    }
}

impl Ex<'_> {
    fn next_sub(&mut self) -> String {
        let s = self.subs.get(self.next_sub).cloned().unwrap_or_default();
        self.next_sub += 1;
        s
    }

    /// Expand words into fields: braces, then everything else, splitting and globbing.
    pub fn words(&mut self, words: &[Word]) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        for w in words {
            for w in brace_expand(w) {
                self.word_fields(&w, &mut out)?;
            }
        }
        Ok(out)
    }

    fn word_fields(&mut self, w: &Word, out: &mut Vec<String>) -> Result<(), String> {
        let mut f = Fields {
            done: Vec::new(),
            cur: Field::default(),
        };
        let ifs = self.sh.get("IFS").unwrap_or(" \t\n").to_string();
        for (i, part) in w.0.iter().enumerate() {
            self.part(part, i == 0, &mut f, false, &ifs)?;
            too_long(f.cur.text.len())?;
        }
        if f.cur.started {
            f.end();
        }
        for field in f.done {
            if field.glob {
                let matches = glob::expand(self.fs, &field.pat);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(field.text);
        }
        Ok(())
    }

    fn part(
        &mut self,
        part: &Part,
        first: bool,
        f: &mut Fields,
        dq: bool,
        ifs: &str,
    ) -> Result<(), String> {
        match part {
            Part::Lit(s) => {
                if first && s.starts_with('~') && !dq {
                    let end = s.find('/').unwrap_or(s.len());
                    if end == 1 {
                        let home = self.sh.get("HOME").unwrap_or(crate::vfs::HOME).to_string();
                        f.quoted(&home);
                        f.literal(&s[1..]);
                        return Ok(());
                    }
                }
                if dq {
                    f.quoted(s)
                } else {
                    f.literal(s)
                }
            }
            Part::Quoted(s) => f.quoted(s),
            Part::Double(parts) => {
                f.cur.started = true;
                for p in parts {
                    self.part(p, false, f, true, ifs)?;
                    too_long(f.cur.text.len())?;
                }
            }
            Part::Param(p)
                if (p.name == "@" && matches!(p.op, ParamOp::Plain | ParamOp::Substr(..)))
                    || all_fields(p) =>
            {
                let args = if p.name == "@" {
                    self.positional_fields(p)?
                } else {
                    self.array_fields(p)?
                };
                if !dq {
                    // Unquoted, each value is split again, and values are apart.
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 && f.cur.started {
                            f.end();
                        }
                        f.split(a, ifs);
                    }
                    return Ok(());
                }
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.end();
                        f.cur.started = true;
                    }
                    f.quoted(a);
                }
                if args.is_empty() && f.cur.text.is_empty() {
                    f.cur.started = false;
                }
            }
            Part::Param(p) => {
                let v = self.param(p)?;
                if dq {
                    f.quoted(&v)
                } else {
                    f.split(&v, ifs)
                }
            }
            // The file's path, one field whatever it holds.
            Part::ProcSub(_) => {
                let v = self.next_sub();
                f.quoted(&v)
            }
            Part::CmdSub(_) => {
                let v = self.next_sub();
                if dq {
                    f.quoted(&v)
                } else {
                    f.split(&v, ifs)
                }
            }
            Part::Arith(w) => {
                let v = self.arith(w)?;
                if dq {
                    f.quoted(&v)
                } else {
                    f.split(&v, ifs)
                }
            }
        }
        Ok(())
    }

    /// Expand a word to one string: no splitting, no globbing (assignments, redirection
    /// targets, heredoc bodies, `case` words).
    pub fn string(&mut self, w: &Word) -> Result<String, String> {
        let mut s = String::new();
        for (i, p) in w.0.iter().enumerate() {
            self.string_part(p, i == 0, &mut s)?;
        }
        Ok(s)
    }

    fn string_part(&mut self, p: &Part, first: bool, s: &mut String) -> Result<(), String> {
        too_long(s.len())?;
        match p {
            Part::Lit(t) if first && (t == "~" || t.starts_with("~/")) => {
                s.push_str(self.sh.get("HOME").unwrap_or(crate::vfs::HOME));
                s.push_str(&t[1..]);
            }
            Part::Lit(t) | Part::Quoted(t) => s.push_str(t),
            Part::Double(ps) => {
                for p in ps {
                    self.string_part(p, false, s)?;
                }
            }
            Part::Param(p) => s.push_str(&self.param(p)?),
            Part::CmdSub(_) | Part::ProcSub(_) => s.push_str(&self.next_sub()),
            Part::Arith(w) => s.push_str(&self.arith(w)?),
        }
        too_long(s.len())
    }

    /// Expand a word as a pattern (for `case` and `${x#pat}`): quoted parts match literally.
    pub fn pattern(&mut self, w: &Word) -> Result<String, String> {
        let mut s = String::new();
        for p in &w.0 {
            match p {
                Part::Lit(t) => s.push_str(t),
                Part::Quoted(t) => s.push_str(&glob::escape(t)),
                other => {
                    let mut t = String::new();
                    self.string_part(other, false, &mut t)?;
                    if matches!(other, Part::Double(_)) {
                        s.push_str(&glob::escape(&t))
                    } else {
                        s.push_str(&t)
                    }
                }
            }
        }
        Ok(s)
    }

    fn lookup(&self, name: &str) -> Option<String> {
        let sh = &*self.sh;
        match name {
            "?" => Some(sh.status.to_string()),
            "#" => Some(sh.positional.len().to_string()),
            "@" | "*" => Some(sh.positional.join(" ")),
            "$" => Some(sh.pid.to_string()),
            "!" => sh.last_bg.map(|p| p.to_string()),
            "-" => Some("hB".into()),
            "0" => Some(sh.arg0.clone()),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                sh.positional.get(i.checked_sub(1)?).cloned()
            }
            n => sh.value(n),
        }
    }

    /// The element a subscript names: a key of an associative array, else an index (an
    /// arithmetic expression).
    pub fn elem(&mut self, name: &str, w: &Word) -> Result<Elem, String> {
        let text = self.string(w)?;
        if self.sh.is_assoc(name) {
            Ok(Elem::Key(text))
        } else {
            crate::arith::eval(&text, self.sh).map(Elem::Index)
        }
    }

    /// `$@`, and `${@:i:n}` / `${*:i:n}`: the positional parameters, or a slice of them
    /// (offset 0 is `$0`).
    fn positional_fields(&mut self, p: &Param) -> Result<Vec<String>, String> {
        let ParamOp::Substr(off, len) = &p.op else {
            return Ok(self.sh.positional.clone());
        };
        let mut all = vec![self.sh.arg0.clone()];
        all.extend(self.sh.positional.iter().cloned());
        let (start, end) = self.slice(all.len(), off, len.as_ref(), false)?;
        Ok(all[start..end].to_vec())
    }

    /// Which of `n` items (characters, or a list's values) `${x:off:len}` takes: a negative
    /// offset counts from the end; a negative length does too for a string (`from_end`), and
    /// is an error for a list. bash's complaint quotes the length.
    fn slice(
        &mut self,
        n: usize,
        off: &Word,
        len: Option<&Word>,
        from_end: bool,
    ) -> Result<(usize, usize), String> {
        let o = self.string(off)?;
        let o = crate::arith::eval(&o, self.sh)?;
        let n = n as i64;
        let start = if o < 0 { (n + o).max(0) } else { o.min(n) };
        let end = match len {
            None => n,
            Some(l) => {
                let l = self.string(l)?;
                let l = crate::arith::eval(&l, self.sh)?;
                let end = match (l < 0, from_end) {
                    (false, _) => (start + l).min(n),
                    (true, true) => n + l,
                    (true, false) => -1,
                };
                if end < start {
                    return Err(format!("{l}: substring expression < 0"));
                }
                end
            }
        };
        Ok((start as usize, end as usize))
    }

    /// `${a[@]}`, `${!a[@]}`, `${a[@]:1:2}`: the values (or keys) one by one.
    fn array_fields(&mut self, p: &Param) -> Result<Vec<String>, String> {
        Ok(match &p.op {
            ParamOp::Keys => self.sh.keys(&p.name),
            ParamOp::Substr(off, len) => {
                let v = self.sh.values(&p.name);
                let (start, end) = self.slice(v.len(), off, len.as_ref(), false)?;
                v[start..end].to_vec()
            }
            ParamOp::Plain => self.sh.values(&p.name),
            // `${a[@]/x/y}`, `${a[@]#x}`, `${a[@]^^}`: on each value.
            _ => {
                let mut out = Vec::new();
                for v in self.sh.values(&p.name) {
                    out.push(self.apply(p, Some(v))?);
                }
                out
            }
        })
    }

    /// `set -u`: an unset variable (or positional parameter) is an error, unless an operator
    /// says what to use instead, or it is `$@`, `$*` or a whole array.
    fn check_set(&mut self, p: &Param) -> Result<(), String> {
        if !self.sh.opts.nounset
            || matches!(
                p.op,
                ParamOp::Default(..) | ParamOp::Assign(..) | ParamOp::Alt(..) | ParamOp::Error(..)
            )
            || matches!(p.name.as_str(), "@" | "*" | "#" | "?" | "$" | "-" | "0")
            || matches!(p.sub.as_deref(), Some(Subscript::All | Subscript::Star))
        {
            return Ok(());
        }
        if self.value(p)?.is_some() {
            return Ok(());
        }
        Err(
            if p.name.chars().all(|c| c.is_ascii_digit()) || p.name == "!" {
                format!("${}: unbound variable", p.name)
            } else {
                format!("{}: unbound variable", p.name)
            },
        )
    }

    /// A parameter's value before its operator: a variable, an array element, all of an
    /// array's values (`[@]`, `[*]`, joined), or the variable another names (`${!name}`).
    fn value(&mut self, p: &Param) -> Result<Option<String>, String> {
        Ok(match (p.sub.as_deref(), &p.op) {
            (None, ParamOp::Indirect) => match self.lookup(&p.name) {
                Some(target) => self.lookup(&target),
                None => None,
            },
            (None, _) => self.lookup(&p.name),
            (Some(Subscript::Index(w)), _) => {
                let e = self.elem(&p.name, w)?;
                self.sh.element(&p.name, &e)
            }
            (Some(Subscript::All | Subscript::Star), ParamOp::Keys) => {
                Some(self.sh.keys(&p.name).join(" "))
            }
            (Some(sub @ (Subscript::All | Subscript::Star)), _) => {
                let v = self.sh.values(&p.name);
                // `${a[*]}` joins with the first character of IFS.
                let sep = match (sub, self.sh.get("IFS")) {
                    (Subscript::Star, Some(ifs)) => {
                        ifs.chars().next().map(String::from).unwrap_or_default()
                    }
                    _ => " ".to_string(),
                };
                (!v.is_empty() || self.sh.is_set(&p.name)).then(|| v.join(&sep))
            }
        })
    }

    fn param(&mut self, p: &Param) -> Result<String, String> {
        self.check_set(p)?;
        if matches!(p.name.as_str(), "@" | "*") && matches!(p.op, ParamOp::Substr(..)) {
            return Ok(self.positional_fields(p)?.join(" "));
        }
        if matches!(p.sub.as_deref(), Some(Subscript::All | Subscript::Star)) {
            match &p.op {
                ParamOp::Length => return Ok(self.sh.values(&p.name).len().to_string()),
                ParamOp::Keys
                | ParamOp::Substr(..)
                | ParamOp::Replace(..)
                | ParamOp::TrimPrefix(..)
                | ParamOp::TrimSuffix(..)
                | ParamOp::Case { .. } => return Ok(self.array_fields(p)?.join(" ")),
                _ => {}
            }
        }
        let val = self.value(p)?;
        self.apply(p, val)
    }

    /// A parameter's operator on its value.
    fn apply(&mut self, p: &Param, val: Option<String>) -> Result<String, String> {
        let unset_or_empty = |colon: bool, v: &Option<String>| match v {
            None => true,
            Some(s) => colon && s.is_empty(),
        };
        Ok(match &p.op {
            ParamOp::Plain => val.unwrap_or_default(),
            ParamOp::Length => val.map(|v| v.chars().count()).unwrap_or(0).to_string(),
            ParamOp::Default(colon, w) => {
                if unset_or_empty(*colon, &val) {
                    self.string(w)?
                } else {
                    val.unwrap_or_default()
                }
            }
            ParamOp::Assign(colon, w) => {
                if unset_or_empty(*colon, &val) {
                    let v = self.string(w)?;
                    self.sh.set(&p.name, &v);
                    v
                } else {
                    val.unwrap_or_default()
                }
            }
            ParamOp::Alt(colon, w) => {
                if unset_or_empty(*colon, &val) {
                    String::new()
                } else {
                    self.string(w)?
                }
            }
            ParamOp::Error(colon, w) => {
                if unset_or_empty(*colon, &val) {
                    let msg = self.string(w)?;
                    let msg = if msg.is_empty() {
                        "parameter null or not set".to_string()
                    } else {
                        msg
                    };
                    return Err(format!("{}: {msg}", p.name));
                }
                val.unwrap_or_default()
            }
            ParamOp::TrimPrefix(longest, w) => {
                let v = val.unwrap_or_default();
                let pat = self.pattern(w)?;
                let idx: Vec<usize> = v.char_indices().map(|(i, _)| i).chain([v.len()]).collect();
                let cands: Box<dyn Iterator<Item = &usize>> = if *longest {
                    Box::new(idx.iter().rev())
                } else {
                    Box::new(idx.iter())
                };
                let mut out = v.clone();
                for &i in cands {
                    if glob::matches(&pat, &v[..i]) {
                        out = v[i..].to_string();
                        break;
                    }
                }
                out
            }
            ParamOp::TrimSuffix(longest, w) => {
                let v = val.unwrap_or_default();
                let pat = self.pattern(w)?;
                let idx: Vec<usize> = v.char_indices().map(|(i, _)| i).chain([v.len()]).collect();
                let cands: Box<dyn Iterator<Item = &usize>> = if *longest {
                    Box::new(idx.iter())
                } else {
                    Box::new(idx.iter().rev())
                };
                let mut out = v.clone();
                for &i in cands {
                    if glob::matches(&pat, &v[i..]) {
                        out = v[..i].to_string();
                        break;
                    }
                }
                out
            }
            ParamOp::Case { upper, all } => {
                let v = val.unwrap_or_default();
                let conv = |c: char| {
                    if *upper {
                        c.to_uppercase().collect::<String>()
                    } else {
                        c.to_lowercase().collect()
                    }
                };
                if *all {
                    v.chars().map(conv).collect()
                } else {
                    let mut it = v.chars();
                    match it.next() {
                        Some(f) => format!("{}{}", conv(f), it.as_str()),
                        None => String::new(),
                    }
                }
            }
            ParamOp::Substr(off, len) => {
                let v: Vec<char> = val.unwrap_or_default().chars().collect();
                let (start, end) = self.slice(v.len(), off, len.as_ref(), true)?;
                v[start..end].iter().collect()
            }
            ParamOp::Replace(all, pw, rw) => {
                let v = val.unwrap_or_default();
                let pat = self.pattern(pw)?;
                let rep = self.string(rw)?;
                replace(&v, &pat, &rep, *all)
            }
            ParamOp::Keys | ParamOp::Indirect => val.unwrap_or_default(),
        })
    }

    fn arith(&mut self, w: &Word) -> Result<String, String> {
        let text = self.string(w)?;
        crate::arith::eval(&text, self.sh).map(|n| n.to_string())
    }
}

/// `${a[@]}`-like: expands to one field per value (when quoted).
fn all_fields(p: &Param) -> bool {
    p.sub.as_deref() == Some(&Subscript::All)
        && matches!(
            p.op,
            ParamOp::Plain
                | ParamOp::Keys
                | ParamOp::Substr(..)
                | ParamOp::Replace(..)
                | ParamOp::TrimPrefix(..)
                | ParamOp::TrimSuffix(..)
                | ParamOp::Case { .. }
        )
}

fn replace(v: &str, pat: &str, rep: &str, all: bool) -> String {
    if pat.is_empty() {
        return v.to_string();
    }
    let idx: Vec<usize> = v.char_indices().map(|(i, _)| i).chain([v.len()]).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < idx.len() - 1 {
        let start = idx[i];
        let mut found = None;
        for j in (i + 1..idx.len()).rev() {
            if glob::matches(pat, &v[start..idx[j]]) {
                found = Some(j);
                break;
            }
        }
        match found {
            Some(j) => {
                out.push_str(rep);
                i = j;
                if !all {
                    out.push_str(&v[idx[i]..]);
                    return out;
                }
            }
            None => {
                out.push_str(&v[start..idx[i + 1]]);
                i += 1;
            }
        }
    }
    out
}

/// Brace expansion over the word's unquoted literal parts: `{a,b}` and `{1..3}` (with an
/// optional step, and letters).
pub fn brace_expand(w: &Word) -> Vec<Word> {
    let mut out = Vec::new();
    brace_into(w, &mut out);
    out
}

fn brace_into(w: &Word, out: &mut Vec<Word>) {
    if out.len() >= MAX_BRACE_WORDS {
        out.push(w.clone());
        return;
    }
    for (pi, part) in w.0.iter().enumerate() {
        let Part::Lit(s) = part else { continue };
        if let Some((open, close, alts)) = find_brace(s) {
            for alt in alts {
                let mut parts = w.0[..pi].to_vec();
                let text = format!("{}{}{}", &s[..open], alt, &s[close + 1..]);
                parts.push(Part::Lit(text));
                parts.extend(w.0[pi + 1..].iter().cloned());
                brace_into(&Word(parts), out);
                if out.len() >= MAX_BRACE_WORDS {
                    return;
                }
            }
            return;
        }
    }
    out.push(w.clone());
}

/// The first expandable `{...}` in `s`: its byte range and alternatives.
fn find_brace(s: &str) -> Option<(usize, usize, Vec<String>)> {
    let b = s.as_bytes();
    let mut start = 0;
    while let Some(rel) = s[start..].find('{') {
        let open = start + rel;
        // `${` is not a brace expansion
        if open > 0 && b[open - 1] == b'$' {
            start = open + 1;
            continue;
        }
        let mut depth = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (i, &c) in b.iter().enumerate().skip(open) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(i);
                        break;
                    }
                }
                b',' if depth == 1 => commas.push(i),
                _ => {}
            }
        }
        let Some(close) = close else { return None };
        let inner = &s[open + 1..close];
        if !commas.is_empty() {
            let mut alts = Vec::new();
            let mut prev = open + 1;
            for c in commas.iter().chain([&close]) {
                alts.push(s[prev..*c].to_string());
                prev = c + 1;
            }
            return Some((open, close, alts));
        }
        if let Some(alts) = sequence(inner) {
            return Some((open, close, alts));
        }
        start = open + 1;
    }
    None
}

fn sequence(inner: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    if parts.len() != 2 && parts.len() != 3 {
        return None;
    }
    let step: i64 = match parts.get(2) {
        Some(s) => s.parse().ok()?,
        None => 1,
    };
    let step = step.unsigned_abs().max(1) as i64;
    if let (Ok(a), Ok(b)) = (parts[0].parse::<i64>(), parts[1].parse::<i64>()) {
        let width = if (parts[0].starts_with('0') && parts[0].len() > 1)
            || (parts[1].starts_with('0') && parts[1].len() > 1)
        {
            parts[0].len().max(parts[1].len())
        } else {
            0
        };
        if (b - a).unsigned_abs() / step as u64 > MAX_BRACE_WORDS as u64 {
            return None;
        }
        let mut v = Vec::new();
        let mut x = a;
        loop {
            v.push(format!("{x:0width$}"));
            if x == b {
                break;
            }
            if a < b {
                x += step;
                if x > b {
                    break;
                }
            } else {
                x -= step;
                if x < b {
                    break;
                }
            }
        }
        return Some(v);
    }
    let (ca, cb) = (single_char(parts[0])?, single_char(parts[1])?);
    if !ca.is_ascii_alphabetic() || !cb.is_ascii_alphabetic() {
        return None;
    }
    let (a, b) = (ca as i64, cb as i64);
    let mut v = Vec::new();
    let mut x = a;
    loop {
        v.push(((x as u8) as char).to_string());
        if x == b {
            break;
        }
        x += if a < b { step } else { -step };
        if (a < b && x > b) || (a > b && x < b) {
            break;
        }
    }
    Some(v)
}

fn single_char(s: &str) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    it.next().is_none().then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn expand(src: &str, sh: &mut Shell) -> Vec<String> {
        let list = parse(src).unwrap();
        let Command::Simple(s) = &*list[0].first.cmds[0] else {
            panic!()
        };
        let fs = Vfs::default();
        let mut ex = Ex {
            sh,
            fs: &fs,
            subs: &[],
            next_sub: 0,
        };
        ex.words(&s.words).unwrap()
    }

    #[test]
    fn braces_params_and_splitting() {
        let mut sh = Shell::new("bash");
        sh.set("X", "a  b");
        sh.set("E", "");
        for (src, want) in [
            ("echo {1..3}", vec!["echo", "1", "2", "3"]),
            ("echo x{a,b}y", vec!["echo", "xay", "xby"]),
            ("echo {3..1}", vec!["echo", "3", "2", "1"]),
            ("echo {01..03}", vec!["echo", "01", "02", "03"]),
            ("echo {a..c}", vec!["echo", "a", "b", "c"]),
            ("echo {a}", vec!["echo", "{a}"]),
            ("echo $X", vec!["echo", "a", "b"]),
            ("echo \"$X\"", vec!["echo", "a  b"]),
            ("echo $E", vec!["echo"]),
            ("echo \"$E\"", vec!["echo", ""]),
            ("echo ${U:-def}", vec!["echo", "def"]),
            ("echo ${X:+yes}", vec!["echo", "yes"]),
            ("echo ${#X}", vec!["echo", "4"]),
            ("echo ~", vec!["echo", "/root"]),
            ("echo ~/x", vec!["echo", "/root/x"]),
            ("echo '~'", vec!["echo", "~"]),
            ("echo $((1+2*3))", vec!["echo", "7"]),
            ("echo a$X'q'", vec!["echo", "aa", "bq"]),
        ] {
            assert_eq!(expand(src, &mut sh), want, "{src}");
        }
    }

    #[test]
    fn trims_and_replace() {
        let mut sh = Shell::new("bash");
        sh.set("F", "dir/file.tar.gz");
        for (src, want) in [
            ("echo ${F#*/}", "file.tar.gz"),
            ("echo ${F%.*}", "dir/file.tar"),
            ("echo ${F%%.*}", "dir/file"),
            ("echo ${F##*.}", "gz"),
            ("echo ${F/tar/zip}", "dir/file.zip.gz"),
            ("echo ${F//./_}", "dir/file_tar_gz"),
        ] {
            assert_eq!(expand(src, &mut sh)[1], want, "{src}");
        }
    }
}
