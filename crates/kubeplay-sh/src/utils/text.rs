//! Text filters: head, tail, wc, sort, uniq, cut, tr, grep, sed, base64, rev, nl, paste.

use super::files::split_flags;
use super::{exit, Cx, Outcome, Util};
use regex_lite::Regex;

pub(super) const TABLE: &[(&str, Util)] = &[
    ("head", head),
    ("tail", tail),
    ("wc", wc),
    ("sort", sort),
    ("uniq", uniq),
    ("cut", cut),
    ("tr", tr),
    ("grep", grep),
    ("egrep", egrep),
    ("sed", sed),
    ("base64", base64),
    ("rev", rev),
    ("paste", paste),
    ("awk", super::awk::awk),
    ("jq", super::jq::jq),
    ("diff", super::difftool::diff),
];

fn lines_of(d: &[u8]) -> Vec<String> {
    let s = String::from_utf8_lossy(d);
    s.split_inclusive('\n').map(str::to_string).collect()
}

fn strip_nl(l: &str) -> &str {
    l.strip_suffix('\n').unwrap_or(l)
}

/// Options that take a value: `-n 5`, `-n5`, `--lines=5`, and the old `-5`.
struct Opts {
    flags: Vec<char>,
    values: Vec<(char, String)>,
    ops: Vec<String>,
}

fn opts(args: &[String], with_value: &str, long: &[(&str, char)]) -> Result<Opts, String> {
    let mut o = Opts {
        flags: vec![],
        values: vec![],
        ops: vec![],
    };
    let mut it = args.iter();
    let mut only_ops = false;
    while let Some(a) = it.next() {
        if only_ops || a == "-" || !a.starts_with('-') {
            o.ops.push(a.clone());
            continue;
        }
        if a == "--" {
            only_ops = true;
            continue;
        }
        if let Some(l) = a.strip_prefix("--") {
            let (name, val) = match l.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (l, None),
            };
            match long.iter().find(|(n, _)| *n == name) {
                Some((_, c)) if with_value.contains(*c) => {
                    let v = match val {
                        Some(v) => v,
                        None => it
                            .next()
                            .cloned()
                            .ok_or_else(|| format!("option '--{name}' requires an argument"))?,
                    };
                    o.values.push((*c, v));
                }
                Some((_, c)) => o.flags.push(*c),
                None => return Err(format!("unrecognized option '{a}'")),
            }
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        if chars[0].is_ascii_digit() && with_value.contains('n') {
            o.values.push(('n', a[1..].to_string()));
            continue;
        }
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if with_value.contains(c) {
                let rest: String = chars[i + 1..].iter().collect();
                let v = if !rest.is_empty() {
                    rest
                } else {
                    it.next()
                        .cloned()
                        .ok_or_else(|| format!("option requires an argument -- '{c}'"))?
                };
                o.values.push((c, v));
                break;
            }
            o.flags.push(c);
            i += 1;
        }
    }
    Ok(o)
}

impl Opts {
    fn has(&self, c: char) -> bool {
        self.flags.contains(&c)
    }
    fn val(&self, c: char) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| *k == c)
            .map(|(_, v)| v.as_str())
    }
    fn vals(&self, c: char) -> Vec<String> {
        self.values
            .iter()
            .filter(|(k, _)| *k == c)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

fn usage_err(cx: &mut Cx, util: &str, e: &str) -> Outcome {
    cx.io.err(format!(
        "{util}: {e}\nTry '{util} --help' for more information.\n"
    ));
    exit(if util == "grep" { 2 } else { 1 })
}

fn check_flags(cx: &mut Cx, util: &str, o: &Opts, known: &str) -> Option<Outcome> {
    for f in &o.flags {
        if !known.contains(*f) {
            let code = if util == "grep" { 2 } else { 1 };
            if util == "grep" {
                cx.io.err(format!("grep: invalid option -- '{f}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"));
            } else {
                cx.io.err(format!(
                    "{util}: invalid option -- '{f}'\nTry '{util} --help' for more information.\n"
                ));
            }
            return Some(exit(code));
        }
    }
    None
}

/// A count for head/tail: (n, the "all but"/"from" sign).
fn count(v: &str) -> Option<(u64, bool)> {
    let (sign, num) = match v.strip_prefix('-') {
        Some(n) => (true, n),
        None => (v.starts_with('+'), v.trim_start_matches('+')),
    };
    let (num, mult) = match num.char_indices().last() {
        Some((i, 'k')) | Some((i, 'K')) => (&num[..i], 1024),
        Some((i, 'b')) => (&num[..i], 512),
        Some((i, 'M')) => (&num[..i], 1 << 20),
        _ => (num, 1),
    };
    num.parse::<u64>()
        .ok()
        .map(|n| (n.saturating_mul(mult), sign))
}

fn head_tail(cx: &mut Cx, util: &str) -> Outcome {
    let o = match opts(
        cx.args,
        "nc",
        &[
            ("lines", 'n'),
            ("bytes", 'c'),
            ("quiet", 'q'),
            ("silent", 'q'),
            ("verbose", 'v'),
            ("follow", 'f'),
        ],
    ) {
        Ok(o) => o,
        Err(e) => return usage_err(cx, util, &e),
    };
    if let Some(r) = check_flags(cx, util, &o, if util == "tail" { "qvfF" } else { "qv" }) {
        return r;
    }
    let bytes = o
        .values
        .iter()
        .rev()
        .find(|(k, _)| *k == 'c' || *k == 'n')
        .is_some_and(|(k, _)| *k == 'c');
    let spec = o
        .values
        .iter()
        .rev()
        .find(|(k, _)| *k == 'c' || *k == 'n')
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "10".into());
    let Some((n, sign)) = count(&spec) else {
        let what = if bytes { "bytes" } else { "lines" };
        return usage_err_plain(cx, util, &format!("invalid number of {what}: ‘{spec}’"));
    };
    let follow = util == "tail" && (o.has('f') || o.has('F'));
    let (inputs, bad) = cx.inputs(util, &o.ops);
    let headers = (inputs.len() > 1 || o.has('v')) && !o.has('q');
    let mut out = Vec::new();
    for (i, (name, d)) in inputs.iter().enumerate() {
        if headers {
            if i > 0 {
                out.push(b'\n');
            }
            let shown = if name == "-" { "standard input" } else { name };
            out.extend_from_slice(format!("==> {shown} <==\n").as_bytes());
        }
        let n = n as usize;
        if bytes {
            let slice: &[u8] = match (util, sign) {
                ("head", false) => &d[..n.min(d.len())],
                ("head", true) => &d[..d.len().saturating_sub(n)],
                (_, true) if spec.starts_with('+') => &d[n.saturating_sub(1).min(d.len())..],
                _ => &d[d.len().saturating_sub(n)..],
            };
            out.extend_from_slice(slice);
            continue;
        }
        let lines = split_lines_bytes(d);
        let sel: &[&[u8]] = match (util, sign) {
            ("head", false) => &lines[..n.min(lines.len())],
            ("head", true) => &lines[..lines.len().saturating_sub(n)],
            (_, true) if spec.starts_with('+') => &lines[n.saturating_sub(1).min(lines.len())..],
            _ => &lines[lines.len().saturating_sub(n)..],
        };
        for l in sel {
            out.extend_from_slice(l);
        }
    }
    cx.io.out(out);
    if follow && !bad {
        if let Some((name, d)) = inputs.last() {
            if name != "-" {
                return Outcome::Follow {
                    path: cx.path(name),
                    offset: d.len(),
                };
            }
        }
    }
    exit(bad as i32)
}

fn usage_err_plain(cx: &mut Cx, util: &str, e: &str) -> Outcome {
    cx.io.err(format!("{util}: {e}\n"));
    exit(1)
}

fn split_lines_bytes(d: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut start = 0;
    for (i, &b) in d.iter().enumerate() {
        if b == b'\n' {
            v.push(&d[start..=i]);
            start = i + 1;
        }
    }
    if start < d.len() {
        v.push(&d[start..]);
    }
    v
}

fn head(cx: &mut Cx) -> Outcome {
    head_tail(cx, "head")
}

fn tail(cx: &mut Cx) -> Outcome {
    head_tail(cx, "tail")
}

fn wc(cx: &mut Cx) -> Outcome {
    let o = match opts(
        cx.args,
        "",
        &[
            ("lines", 'l'),
            ("words", 'w'),
            ("bytes", 'c'),
            ("chars", 'm'),
            ("max-line-length", 'L'),
        ],
    ) {
        Ok(o) => o,
        Err(e) => return usage_err(cx, "wc", &e),
    };
    if let Some(r) = check_flags(cx, "wc", &o, "lwcmL") {
        return r;
    }
    let mut which: Vec<char> = ['l', 'w', 'm', 'c', 'L']
        .into_iter()
        .filter(|c| o.has(*c))
        .collect();
    if which.is_empty() {
        which = vec!['l', 'w', 'c'];
    }
    let (inputs, bad) = cx.inputs("wc", &o.ops);
    let mut rows: Vec<(Vec<u64>, String)> = Vec::new();
    let mut total = vec![0u64; which.len()];
    for (name, d) in &inputs {
        let text = String::from_utf8_lossy(d);
        let counts: Vec<u64> = which
            .iter()
            .map(|c| match c {
                'l' => d.iter().filter(|&&b| b == b'\n').count() as u64,
                'w' => text.split_whitespace().count() as u64,
                'c' => d.len() as u64,
                'm' => text.chars().count() as u64,
                _ => text.lines().map(|l| l.chars().count()).max().unwrap_or(0) as u64,
            })
            .collect();
        for (t, c) in total.iter_mut().zip(&counts) {
            *t += c;
        }
        rows.push((
            counts,
            if name == "-" && o.ops.is_empty() {
                String::new()
            } else {
                name.clone()
            },
        ));
    }
    if rows.len() > 1 {
        rows.push((total, "total".into()));
    }
    let stdin_only = inputs.iter().any(|(n, _)| n == "-");
    let width = if which.len() == 1 && rows.len() == 1 {
        0
    } else if stdin_only {
        7
    } else {
        let bytes: u64 = inputs.iter().map(|(_, d)| d.len() as u64).sum();
        bytes.to_string().len()
    };
    let mut out = String::new();
    for (counts, name) in rows {
        let nums: Vec<String> = counts.iter().map(|c| format!("{c:>width$}")).collect();
        out.push_str(&nums.join(" "));
        if !name.is_empty() {
            out.push(' ');
            out.push_str(&name);
        }
        out.push('\n');
    }
    cx.io.out(out);
    exit(bad as i32)
}

fn sort(cx: &mut Cx) -> Outcome {
    let o = match opts(
        cx.args,
        "ktof",
        &[
            ("numeric-sort", 'n'),
            ("reverse", 'r'),
            ("unique", 'u'),
            ("key", 'k'),
            ("field-separator", 't'),
            ("ignore-case", 'f'),
            ("human-numeric-sort", 'h'),
        ],
    ) {
        Ok(o) => o,
        Err(e) => return usage_err(cx, "sort", &e),
    };
    if let Some(r) = check_flags(cx, "sort", &o, "nrubfhsV") {
        return r;
    }
    let numeric = o.has('n') || o.has('h');
    let fold = o.has('f');
    let sep = o.val('t').and_then(|s| s.chars().next());
    let mut keys = Vec::new();
    for k in o.vals('k') {
        let (a, b) = match k.split_once(',') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (k.clone(), None),
        };
        let parse = |s: &str| -> Option<usize> {
            s.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .split('.')
                .next()?
                .parse()
                .ok()
        };
        let Some(start) = parse(&a).filter(|n| *n > 0) else {
            return usage_err_plain(
                cx,
                "sort",
                &format!("invalid number at field start: invalid count at start of ‘{k}’"),
            );
        };
        let end = b.as_deref().and_then(parse);
        let knum = a.contains('n') || b.as_deref().is_some_and(|b| b.contains('n'));
        let krev = a.contains('r') || b.as_deref().is_some_and(|b| b.contains('r'));
        keys.push((start, end, knum, krev));
    }
    let (inputs, bad) = cx.inputs("sort", &o.ops);
    let mut lines: Vec<String> = Vec::new();
    for (_, d) in &inputs {
        for l in lines_of(d) {
            lines.push(strip_nl(&l).to_string());
        }
    }
    let field = |l: &str, start: usize, end: Option<usize>| -> String {
        let fields: Vec<&str> = match sep {
            Some(c) => l.split(c).collect(),
            None => blank_fields(l),
        };
        let e = end.unwrap_or(fields.len()).min(fields.len());
        if start > fields.len() || start > e {
            return String::new();
        }
        fields[start - 1..e].join(&sep.map(String::from).unwrap_or_default())
    };
    let cmp_str = |a: &str, b: &str, num: bool| -> std::cmp::Ordering {
        if num {
            let (x, y) = (num_prefix(a), num_prefix(b));
            x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
        } else if fold {
            a.to_uppercase().cmp(&b.to_uppercase())
        } else {
            a.cmp(b)
        }
    };
    let reverse = o.has('r');
    let stable = o.has('s');
    kubeplay_sort::sort_by(&mut lines, |a, b| {
        let mut ord = std::cmp::Ordering::Equal;
        if keys.is_empty() {
            ord = cmp_str(a, b, numeric);
        } else {
            for (s, e, kn, kr) in &keys {
                let o2 = cmp_str(&field(a, *s, *e), &field(b, *s, *e), numeric || *kn);
                let o2 = if *kr { o2.reverse() } else { o2 };
                if o2 != std::cmp::Ordering::Equal {
                    ord = o2;
                    break;
                }
            }
        }
        if ord == std::cmp::Ordering::Equal && !stable && !o.has('u') {
            ord = a.cmp(b);
        }
        if reverse {
            ord.reverse()
        } else {
            ord
        }
    });
    if o.has('u') {
        lines.dedup_by(|a, b| {
            if keys.is_empty() {
                cmp_str(a, b, numeric) == std::cmp::Ordering::Equal
            } else {
                keys.iter().all(|(s, e, kn, _)| {
                    cmp_str(&field(a, *s, *e), &field(b, *s, *e), numeric || *kn)
                        == std::cmp::Ordering::Equal
                })
            }
        });
    }
    let mut out = String::new();
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    cx.io.out(out);
    exit(if bad { 2 } else { 0 })
}

/// Fields as sort sees them without -t: each starts with the blanks before it.
fn blank_fields(l: &str) -> Vec<&str> {
    let mut v = Vec::new();
    let b = l.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        while i < b.len() && b[i] != b' ' && b[i] != b'\t' {
            i += 1;
        }
        v.push(&l[start..i]);
        start = i;
    }
    v
}

fn num_prefix(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() || c == '.' || (i == 0 && c == '-') {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    let mut v: f64 = t[..end].parse().unwrap_or(0.0);
    // -h: K, M, G suffixes
    match t[end..].chars().next() {
        Some('K') | Some('k') => v *= 1e3,
        Some('M') => v *= 1e6,
        Some('G') => v *= 1e9,
        _ => {}
    }
    v
}

fn uniq(cx: &mut Cx) -> Outcome {
    let o = match opts(
        cx.args,
        "",
        &[
            ("count", 'c'),
            ("repeated", 'd'),
            ("unique", 'u'),
            ("ignore-case", 'i'),
        ],
    ) {
        Ok(o) => o,
        Err(e) => return usage_err(cx, "uniq", &e),
    };
    if let Some(r) = check_flags(cx, "uniq", &o, "cdui") {
        return r;
    }
    let (inputs, bad) = cx.inputs("uniq", &o.ops[..o.ops.len().min(1)]);
    let mut groups: Vec<(String, usize)> = Vec::new();
    for (_, d) in &inputs {
        for l in lines_of(d) {
            let l = strip_nl(&l).to_string();
            match groups.last_mut() {
                Some((g, n)) if *g == l || (o.has('i') && g.to_lowercase() == l.to_lowercase()) => {
                    *n += 1
                }
                _ => groups.push((l, 1)),
            }
        }
    }
    let mut out = String::new();
    for (l, n) in groups {
        if (o.has('d') && n < 2) || (o.has('u') && n > 1) {
            continue;
        }
        if o.has('c') {
            out.push_str(&format!("{n:>7} {l}\n"));
        } else {
            out.push_str(&l);
            out.push('\n');
        }
    }
    cx.io.out(out);
    exit(bad as i32)
}

/// A cut list: `1,3-5,7-`.
fn ranges(spec: &str) -> Option<Vec<(usize, usize)>> {
    let mut v = Vec::new();
    for part in spec.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (
                if a.is_empty() { 1 } else { a.parse().ok()? },
                if b.is_empty() {
                    usize::MAX
                } else {
                    b.parse().ok()?
                },
            ),
            None => {
                let n = part.parse().ok()?;
                (n, n)
            }
        };
        if a == 0 || a > b {
            return None;
        }
        v.push((a, b));
    }
    Some(v)
}

fn cut(cx: &mut Cx) -> Outcome {
    let o = match opts(
        cx.args,
        "dfcb",
        &[
            ("delimiter", 'd'),
            ("fields", 'f'),
            ("characters", 'c'),
            ("bytes", 'b'),
            ("only-delimited", 's'),
        ],
    ) {
        Ok(o) => o,
        Err(e) => return usage_err(cx, "cut", &e),
    };
    if let Some(r) = check_flags(cx, "cut", &o, "s") {
        return r;
    }
    let delim = match o.val('d') {
        Some(d) if d.chars().count() != 1 => {
            return usage_err(cx, "cut", "the delimiter must be a single character")
        }
        Some(d) => d.chars().next().unwrap_or('\t'),
        None => '\t',
    };
    let (mode, spec) = if let Some(f) = o.val('f') {
        ('f', f.to_string())
    } else if let Some(c) = o.val('c').or(o.val('b')) {
        ('c', c.to_string())
    } else {
        return usage_err(
            cx,
            "cut",
            "you must specify a list of bytes, characters, or fields",
        );
    };
    let Some(rs) = ranges(&spec) else {
        let msg = if spec.contains('0') && !spec.contains("10") {
            "fields and positions are numbered from 1".to_string()
        } else {
            format!("invalid field range")
        };
        return usage_err(cx, "cut", &msg);
    };
    let inr = |i: usize| rs.iter().any(|(a, b)| i >= *a && i <= *b);
    let (inputs, bad) = cx.inputs("cut", &o.ops);
    let mut out = String::new();
    for (_, d) in &inputs {
        for l in lines_of(d) {
            let line = strip_nl(&l);
            if mode == 'c' {
                let s: String = line
                    .chars()
                    .enumerate()
                    .filter(|(i, _)| inr(i + 1))
                    .map(|(_, c)| c)
                    .collect();
                out.push_str(&s);
            } else if !line.contains(delim) {
                if o.has('s') {
                    continue;
                }
                out.push_str(line);
            } else {
                let f: Vec<&str> = line
                    .split(delim)
                    .enumerate()
                    .filter(|(i, _)| inr(i + 1))
                    .map(|(_, f)| f)
                    .collect();
                out.push_str(&f.join(&delim.to_string()));
            }
            out.push('\n');
        }
    }
    cx.io.out(out);
    exit(bad as i32)
}

/// Expand a tr set: ranges, classes, escapes.
fn tr_set(s: &str) -> Vec<char> {
    let c: Vec<char> = s.chars().collect();
    let mut v = Vec::new();
    let mut i = 0;
    let unesc = |i: &mut usize| -> char {
        if c[*i] == '\\' && *i + 1 < c.len() {
            *i += 1;
            match c[*i] {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '\\' => '\\',
                o => o,
            }
        } else {
            c[*i]
        }
    };
    while i < c.len() {
        if c[i] == '[' && c.get(i + 1) == Some(&':') {
            let rest: String = c[i..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let name = &rest[2..end];
                let range: Vec<char> = match name {
                    "upper" => ('A'..='Z').collect(),
                    "lower" => ('a'..='z').collect(),
                    "digit" => ('0'..='9').collect(),
                    "alpha" => ('A'..='Z').chain('a'..='z').collect(),
                    "alnum" => ('0'..='9').chain('A'..='Z').chain('a'..='z').collect(),
                    "space" => vec![' ', '\t', '\n', '\r', '\x0b', '\x0c'],
                    "blank" => vec![' ', '\t'],
                    "punct" => (33u8..127)
                        .map(|b| b as char)
                        .filter(|c| c.is_ascii_punctuation())
                        .collect(),
                    _ => vec![],
                };
                v.extend(range);
                i += end + 2;
                continue;
            }
        }
        let a = unesc(&mut i);
        if c.get(i + 1) == Some(&'-') && i + 2 < c.len() {
            let mut j = i + 2;
            let b = unesc(&mut j);
            if a <= b {
                v.extend(a..=b);
            }
            i = j + 1;
        } else {
            v.push(a);
            i += 1;
        }
    }
    v
}

fn tr(cx: &mut Cx) -> Outcome {
    let o = match opts(
        cx.args,
        "",
        &[
            ("delete", 'd'),
            ("squeeze-repeats", 's'),
            ("complement", 'c'),
        ],
    ) {
        Ok(o) => o,
        Err(e) => return usage_err(cx, "tr", &e),
    };
    if let Some(r) = check_flags(cx, "tr", &o, "dscC") {
        return r;
    }
    let del = o.has('d');
    let squeeze = o.has('s');
    let comp = o.has('c') || o.has('C');
    let need = if del && squeeze {
        2
    } else if del || squeeze {
        1
    } else {
        2
    };
    if o.ops.is_empty() {
        return usage_err(cx, "tr", "missing operand");
    }
    if o.ops.len() < need {
        return usage_err(
            cx,
            "tr",
            &format!(
                "missing operand after ‘{}’\nTwo strings must be given when translating.",
                o.ops[0]
            )
            .replace("\nTry", "\nTry"),
        );
    }
    let s1 = tr_set(&o.ops[0]);
    let s2 = o.ops.get(1).map(|s| tr_set(s)).unwrap_or_default();
    let in1 = |c: char| s1.contains(&c) != comp;
    let data = String::from_utf8_lossy(&cx.stdin()).into_owned();
    let mut out = String::new();
    let mut last: Option<char> = None;
    for c in data.chars() {
        let mapped = if del {
            if in1(c) {
                continue;
            }
            Some(c)
        } else if !squeeze || o.ops.len() > 1 {
            if in1(c) && !s2.is_empty() && !comp {
                let i = s1.iter().position(|&x| x == c).unwrap_or(0);
                Some(*s2.get(i).unwrap_or(s2.last().unwrap_or(&c)))
            } else if in1(c) && comp && !s2.is_empty() {
                Some(*s2.last().unwrap_or(&c))
            } else {
                Some(c)
            }
        } else {
            Some(c)
        };
        let Some(m) = mapped else { continue };
        if squeeze {
            let set: &Vec<char> = if o.ops.len() > 1 && !del {
                &s2
            } else if del {
                &s2
            } else {
                &s1
            };
            let member = if o.ops.len() > 1 || del {
                set.contains(&m)
            } else {
                in1(m)
            };
            if member && last == Some(m) {
                continue;
            }
        }
        out.push(m);
        last = Some(m);
    }
    cx.io.out(out);
    exit(0)
}

/// Translate a POSIX basic regular expression into the extended syntax regex-lite reads.
pub(crate) fn bre_to_ere(p: &str) -> String {
    let c: Vec<char> = p.chars().collect();
    let mut o = String::new();
    let mut i = 0;
    let mut in_class = false;
    while i < c.len() {
        let ch = c[i];
        if in_class {
            if ch == ']' {
                in_class = false;
            }
            if ch == '\\' {
                o.push_str("\\\\");
            } else {
                o.push(ch);
            }
            i += 1;
            continue;
        }
        match ch {
            '\\' if i + 1 < c.len() => {
                let n = c[i + 1];
                match n {
                    '(' | ')' | '{' | '}' | '|' | '+' | '?' => o.push(n),
                    '<' | '>' => o.push_str("\\b"),
                    _ => {
                        o.push('\\');
                        o.push(n);
                    }
                }
                i += 2;
                continue;
            }
            '(' | ')' | '{' | '}' | '|' | '+' | '?' => {
                o.push('\\');
                o.push(ch);
            }
            '[' => {
                in_class = true;
                o.push('[');
                if c.get(i + 1) == Some(&'^') {
                    o.push('^');
                    i += 1;
                }
                if c.get(i + 1) == Some(&']') {
                    o.push_str("\\]");
                    i += 1;
                }
            }
            '*' if o.is_empty() || o.ends_with('^') => o.push_str("\\*"),
            _ => o.push(ch),
        }
        i += 1;
    }
    o
}

/// Make an ERE acceptable to regex-lite: `[]...]`, and `{` that is not a repetition.
pub(crate) fn ere_fix(p: &str) -> String {
    let c: Vec<char> = p.chars().collect();
    let mut o = String::new();
    let mut i = 0;
    let mut in_class = false;
    while i < c.len() {
        let ch = c[i];
        if in_class {
            if ch == ']' {
                in_class = false;
                o.push(']');
            } else if ch == '\\' {
                o.push_str("\\\\");
            } else if ch == '[' && c.get(i + 1) == Some(&':') {
                let rest: String = c[i..].iter().collect();
                if let Some(end) = rest.find(":]") {
                    o.push_str(&rest[..end + 2]);
                    i += rest[..end + 2].chars().count();
                    continue;
                }
                o.push_str("\\[");
            } else {
                o.push(ch);
            }
            i += 1;
            continue;
        }
        match ch {
            '\\' if i + 1 < c.len() => {
                let n = c[i + 1];
                if n == '<' || n == '>' {
                    o.push_str("\\b");
                } else {
                    o.push('\\');
                    o.push(n);
                }
                i += 2;
                continue;
            }
            '[' => {
                in_class = true;
                o.push('[');
                if c.get(i + 1) == Some(&'^') {
                    o.push('^');
                    i += 1;
                }
                if c.get(i + 1) == Some(&']') {
                    o.push_str("\\]");
                    i += 1;
                }
            }
            '{' => {
                let rest: String = c[i..].iter().collect();
                let is_rep = rest.find('}').is_some_and(|e| {
                    rest[1..e].chars().all(|c| c.is_ascii_digit() || c == ',') && e > 1
                }) && !o.is_empty();
                if is_rep {
                    o.push('{');
                } else {
                    o.push_str("\\{");
                }
            }
            '}' => {
                // a `}` closing a repetition was pushed by the `{` branch's text; else escape it
                let open = o.rfind('{');
                let closed = o.rfind('}');
                if open.is_some_and(|a| closed.is_none_or(|b| a > b) && !o[..a].ends_with('\\')) {
                    o.push('}');
                } else {
                    o.push_str("\\}");
                }
            }
            _ => o.push(ch),
        }
        i += 1;
    }
    o
}

pub(crate) fn compile(
    pat: &str,
    extended: bool,
    fixed: bool,
    icase: bool,
    word: bool,
    line: bool,
) -> Result<Regex, String> {
    let mut p = if fixed {
        regex_lite::escape(pat)
    } else if extended {
        ere_fix(pat)
    } else {
        ere_fix(&bre_to_ere(pat))
    };
    if word {
        p = format!(r"(?:^|\b)(?:{p})(?:\b|$)");
        // \b alone would accept `x-y` boundaries the way GNU -w does.
    }
    if line {
        p = format!("^(?:{p})$");
    }
    if icase {
        p = format!("(?i){p}");
    }
    Regex::new(&p).map_err(|e| {
        let s = e.to_string();
        if s.contains("unclosed") && s.contains("group") {
            "Unmatched ( or \\(".to_string()
        } else if s.contains("class") {
            "Unmatched [, [^, [:, [., or [=".to_string()
        } else {
            "Invalid regular expression".to_string()
        }
    })
}

fn grep(cx: &mut Cx) -> Outcome {
    grep_as(cx, false)
}

fn egrep(cx: &mut Cx) -> Outcome {
    grep_as(cx, true)
}

fn grep_as(cx: &mut Cx, egrep: bool) -> Outcome {
    let o = match opts(
        cx.args,
        "emABCf",
        &[
            ("ignore-case", 'i'),
            ("invert-match", 'v'),
            ("extended-regexp", 'E'),
            ("fixed-strings", 'F'),
            ("count", 'c'),
            ("only-matching", 'o'),
            ("line-number", 'n'),
            ("word-regexp", 'w'),
            ("line-regexp", 'x'),
            ("quiet", 'q'),
            ("silent", 'q'),
            ("files-with-matches", 'l'),
            ("no-filename", 'h'),
            ("with-filename", 'H'),
            ("regexp", 'e'),
            ("max-count", 'm'),
            ("after-context", 'A'),
            ("before-context", 'B'),
            ("context", 'C'),
            ("recursive", 'r'),
            ("color", 'z'),
            ("colour", 'z'),
        ],
    ) {
        Ok(o) => o,
        Err(e) => {
            cx.io.err(format!("grep: {e}\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"));
            return exit(2);
        }
    };
    if let Some(r) = check_flags(cx, "grep", &o, "ivEFcontwxqlhHrRsPz") {
        return r;
    }
    let mut ops = o.ops.clone();
    let mut pats: Vec<String> = o.vals('e');
    if pats.is_empty() {
        if ops.is_empty() {
            cx.io.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
            return exit(2);
        }
        pats = ops.remove(0).split('\n').map(str::to_string).collect();
    }
    let ext = egrep || o.has('E') || o.has('P');
    let res: Result<Vec<Regex>, String> = pats
        .iter()
        .map(|p| compile(p, ext, o.has('F'), o.has('i'), o.has('w'), o.has('x')))
        .collect();
    let res = match res {
        Ok(r) => r,
        Err(e) => {
            cx.io.err(format!("grep: {e}\n"));
            return exit(2);
        }
    };
    let max: Option<usize> = o.val('m').and_then(|m| m.parse().ok());
    let after: usize = o
        .val('A')
        .or(o.val('C'))
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    let before: usize = o
        .val('B')
        .or(o.val('C'))
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    let recursive = o.has('r') || o.has('R');
    if recursive && ops.is_empty() {
        ops.push(".".into());
    }
    let mut files = Vec::new();
    let mut bad = false;
    if recursive {
        for op in &ops {
            let p = cx.path(op);
            walk(cx, &p, op, &mut files);
        }
    } else {
        let (inputs, b) = cx.inputs("grep", &ops);
        bad = b;
        files = inputs;
    }
    let show_name = (files.len() > 1 || recursive || o.has('H')) && !o.has('h');
    let mut out = String::new();
    let mut any = false;
    for (name, d) in &files {
        if cx.fs.is_dir(&cx.path(name)) && !recursive {
            cx.io.err(format!("grep: {name}: Is a directory\n"));
            continue;
        }
        let shown = if name == "-" {
            "(standard input)"
        } else {
            name.as_str()
        };
        let lines = lines_of(d);
        let mut n = 0usize;
        let mut last_printed: Option<usize> = None;
        let mut after_left = 0usize;
        for (i, l) in lines.iter().enumerate() {
            let line = strip_nl(l);
            let hit = res.iter().any(|r| r.is_match(line)) != o.has('v');
            if hit {
                if max.is_some_and(|m| n >= m) {
                    break;
                }
                n += 1;
                any = true;
                if o.has('q') {
                    cx.io.out(out);
                    return exit(0);
                }
                if o.has('c') || o.has('l') {
                    continue;
                }
                // context before
                if before > 0 || after > 0 {
                    let from = i.saturating_sub(before);
                    if let Some(lp) = last_printed {
                        if from > lp + 1 {
                            out.push_str("--\n");
                        }
                    }
                    let start = last_printed.map(|lp| (lp + 1).max(from)).unwrap_or(from);
                    for (j, ctx) in lines.iter().enumerate().take(i).skip(start) {
                        prefix(&mut out, show_name, shown, o.has('n'), j + 1, '-');
                        out.push_str(strip_nl(ctx));
                        out.push('\n');
                    }
                }
                if o.has('o') && !o.has('v') {
                    for r in &res {
                        for m in r.find_iter(line) {
                            if m.as_str().is_empty() {
                                continue;
                            }
                            prefix(&mut out, show_name, shown, o.has('n'), i + 1, ':');
                            out.push_str(m.as_str());
                            out.push('\n');
                        }
                    }
                } else {
                    prefix(&mut out, show_name, shown, o.has('n'), i + 1, ':');
                    out.push_str(line);
                    out.push('\n');
                }
                last_printed = Some(i);
                after_left = after;
            } else if after_left > 0 && !o.has('c') && !o.has('l') {
                prefix(&mut out, show_name, shown, o.has('n'), i + 1, '-');
                out.push_str(line);
                out.push('\n');
                last_printed = Some(i);
                after_left -= 1;
            }
        }
        if o.has('c') {
            if show_name {
                out.push_str(&format!("{shown}:"));
            }
            out.push_str(&format!("{n}\n"));
        }
        if o.has('l') && n > 0 {
            out.push_str(&format!("{shown}\n"));
        }
    }
    cx.io.out(out);
    if bad && !o.has('q') {
        return exit(2);
    }
    exit(if any { 0 } else { 1 })
}

fn prefix(out: &mut String, show_name: bool, name: &str, number: bool, n: usize, sep: char) {
    if show_name {
        out.push_str(name);
        out.push(sep);
    }
    if number {
        out.push_str(&n.to_string());
        out.push(sep);
    }
}

fn walk(cx: &mut Cx, abs: &str, shown: &str, files: &mut Vec<(String, Vec<u8>)>) {
    match cx.fs.stat(abs) {
        Some(crate::vfs::Node::File { data, .. }) => files.push((shown.to_string(), data)),
        Some(crate::vfs::Node::Dir { .. }) => {
            for (name, _) in cx.fs.list(abs).unwrap_or_default() {
                let child_shown = if shown == "." {
                    name.clone()
                } else {
                    format!("{}/{name}", shown.trim_end_matches('/'))
                };
                walk(
                    cx,
                    &format!("{}/{name}", abs.trim_end_matches('/')),
                    &child_shown,
                    files,
                );
            }
        }
        None => cx
            .io
            .err(format!("grep: {shown}: No such file or directory\n")),
    }
}

// ------------------------------------------------------------------- sed

enum Addr {
    Line(usize),
    Last,
    Re(Regex),
}

struct SedCmd {
    a1: Option<Addr>,
    a2: Option<Addr>,
    negate: bool,
    op: SedOp,
}

enum SedOp {
    Subst {
        re: Regex,
        rep: String,
        global: bool,
        nth: usize,
        print: bool,
    },
    Print,
    Delete,
    Quit,
    Translit(Vec<char>, Vec<char>),
    Append(String),
    Insert(String),
    Change(String),
    LineNo,
}

fn sed_parse(script: &str, ext: bool, cmds: &mut Vec<SedCmd>) -> Result<(), String> {
    let c: Vec<char> = script.chars().collect();
    let mut i = 0;
    let regex_until = |i: &mut usize, delim: char| -> Result<String, String> {
        let mut s = String::new();
        while *i < c.len() && c[*i] != delim {
            if c[*i] == '\\' && *i + 1 < c.len() {
                if c[*i + 1] == delim {
                    s.push(delim);
                } else if c[*i + 1] == 'n' {
                    s.push('\n');
                } else {
                    s.push('\\');
                    s.push(c[*i + 1]);
                }
                *i += 2;
                continue;
            }
            s.push(c[*i]);
            *i += 1;
        }
        if *i >= c.len() {
            return Err("unterminated `s' command".into());
        }
        *i += 1;
        Ok(s)
    };
    let mk = |p: &str, icase: bool| -> Result<Regex, String> {
        let p = if ext {
            ere_fix(p)
        } else {
            ere_fix(&bre_to_ere(p))
        };
        let p = if icase { format!("(?i){p}") } else { p };
        Regex::new(&p).map_err(|_| "Invalid regular expression".to_string())
    };
    let addr = |i: &mut usize| -> Result<Option<Addr>, String> {
        if *i >= c.len() {
            return Ok(None);
        }
        if c[*i].is_ascii_digit() {
            let s = *i;
            while *i < c.len() && c[*i].is_ascii_digit() {
                *i += 1;
            }
            let n: String = c[s..*i].iter().collect();
            return Ok(Some(Addr::Line(n.parse().unwrap_or(0))));
        }
        if c[*i] == '$' {
            *i += 1;
            return Ok(Some(Addr::Last));
        }
        if c[*i] == '/' {
            *i += 1;
            let r = regex_until(i, '/').map_err(|_| "unterminated address regex".to_string())?;
            return Ok(Some(Addr::Re(mk(&r, false)?)));
        }
        Ok(None)
    };
    while i < c.len() {
        while i < c.len() && (c[i].is_whitespace() || c[i] == ';') {
            i += 1;
        }
        if i >= c.len() {
            break;
        }
        let a1 = addr(&mut i)?;
        let mut a2 = None;
        if a1.is_some() && i < c.len() && c[i] == ',' {
            i += 1;
            a2 = addr(&mut i)?;
        }
        while i < c.len() && c[i] == ' ' {
            i += 1;
        }
        let mut negate = false;
        if i < c.len() && c[i] == '!' {
            negate = true;
            i += 1;
        }
        let Some(&cmd) = c.get(i) else {
            return Err("missing command".into());
        };
        i += 1;
        let op = match cmd {
            's' => {
                let delim = *c.get(i).ok_or("unterminated `s' command")?;
                i += 1;
                let pat = regex_until(&mut i, delim)?;
                let rep = regex_until(&mut i, delim)?;
                let mut global = false;
                let mut nth = 1;
                let mut print = false;
                let mut icase = false;
                while i < c.len() && c[i] != ';' && c[i] != '\n' && c[i] != '}' {
                    match c[i] {
                        'g' => global = true,
                        'p' => print = true,
                        'i' | 'I' => icase = true,
                        d if d.is_ascii_digit() => nth = d.to_digit(10).unwrap_or(1) as usize,
                        ' ' => {}
                        other => {
                            return Err(format!(
                                "unknown option to `s'{}",
                                if other == 'x' { "" } else { "" }
                            ))
                        }
                    }
                    i += 1;
                }
                SedOp::Subst {
                    re: mk(&pat, icase)?,
                    rep,
                    global,
                    nth,
                    print,
                }
            }
            'y' => {
                let delim = *c.get(i).ok_or("unterminated `y' command")?;
                i += 1;
                let a: Vec<char> = regex_until(&mut i, delim)?.chars().collect();
                let b: Vec<char> = regex_until(&mut i, delim)?.chars().collect();
                if a.len() != b.len() {
                    return Err("strings for `y' command are different lengths".into());
                }
                SedOp::Translit(a, b)
            }
            'p' => SedOp::Print,
            'd' => SedOp::Delete,
            'q' => SedOp::Quit,
            '=' => SedOp::LineNo,
            'a' | 'i' | 'c' => {
                while i < c.len() && (c[i] == ' ' || c[i] == '\\') {
                    i += 1;
                    if i < c.len() && c[i] == '\n' {
                        i += 1;
                        break;
                    }
                }
                let s = i;
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
                let text: String = c[s..i].iter().collect();
                match cmd {
                    'a' => SedOp::Append(text),
                    'i' => SedOp::Insert(text),
                    _ => SedOp::Change(text),
                }
            }
            other => return Err(format!("unknown command: `{other}'")),
        };
        cmds.push(SedCmd { a1, a2, negate, op });
    }
    Ok(())
}

fn expand_rep(rep: &str, caps: &regex_lite::Captures) -> String {
    let mut o = String::new();
    let c: Vec<char> = rep.chars().collect();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '&' => o.push_str(caps.get(0).map(|m| m.as_str()).unwrap_or("")),
            '\\' if i + 1 < c.len() => {
                i += 1;
                match c[i] {
                    d @ '0'..='9' => o.push_str(
                        caps.get(d.to_digit(10).unwrap_or(0) as usize)
                            .map(|m| m.as_str())
                            .unwrap_or(""),
                    ),
                    'n' => o.push('\n'),
                    't' => o.push('\t'),
                    other => o.push(other),
                }
            }
            ch => o.push(ch),
        }
        i += 1;
    }
    o
}

fn sed(cx: &mut Cx) -> Outcome {
    let o = match opts(
        cx.args,
        "ef",
        &[
            ("quiet", 'n'),
            ("silent", 'n'),
            ("in-place", 'i'),
            ("expression", 'e'),
            ("regexp-extended", 'E'),
        ],
    ) {
        Ok(o) => o,
        Err(e) => return usage_err(cx, "sed", &e),
    };
    if let Some(r) = check_flags(cx, "sed", &o, "niErsu") {
        return r;
    }
    let mut ops = o.ops.clone();
    let mut scripts = o.vals('e');
    if scripts.is_empty() {
        if ops.is_empty() {
            cx.io
                .err("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n");
            return exit(1);
        }
        scripts.push(ops.remove(0));
    }
    let ext = o.has('E') || o.has('r');
    let mut cmds = Vec::new();
    for (k, s) in scripts.iter().enumerate() {
        if let Err(e) = sed_parse(s, ext, &mut cmds) {
            cx.io.err(format!(
                "sed: -e expression #{}, char {}: {e}\n",
                k + 1,
                s.chars().count()
            ));
            return exit(1);
        }
    }
    let quiet = o.has('n');
    if o.has('i') {
        let mut code = 0;
        for f in &ops {
            let p = cx.path(f);
            match cx.fs.read_file(&p) {
                Ok(d) => {
                    let out = sed_run(&cmds, &lines_of(&d), quiet);
                    let _ = cx.fs.write_file(&p, out.into_bytes());
                }
                Err(e) => {
                    cx.io.err(format!("sed: can't read {f}: {}\n", e.text()));
                    code = 2;
                }
            }
        }
        return exit(code);
    }
    let (inputs, bad) = cx.inputs("sed", &ops);
    let mut all = Vec::new();
    for (_, d) in &inputs {
        all.extend(lines_of(d));
    }
    let out = sed_run(&cmds, &all, quiet);
    cx.io.out(out);
    exit(if bad { 2 } else { 0 })
}

fn sed_run(cmds: &[SedCmd], lines: &[String], quiet: bool) -> String {
    let mut out = String::new();
    let mut active = vec![false; cmds.len()];
    let n = lines.len();
    'lines: for (idx, raw) in lines.iter().enumerate() {
        let lineno = idx + 1;
        let had_nl = raw.ends_with('\n');
        let mut pat = strip_nl(raw).to_string();
        let mut append = String::new();
        let matches = |a: &Addr, pat: &str| match a {
            Addr::Line(k) => *k == lineno,
            Addr::Last => lineno == n,
            Addr::Re(r) => r.is_match(pat),
        };
        let mut deleted = false;
        let mut quit = false;
        for (ci, cmd) in cmds.iter().enumerate() {
            let sel = match (&cmd.a1, &cmd.a2) {
                (None, _) => true,
                (Some(a), None) => matches(a, &pat),
                (Some(a), Some(b)) => {
                    if active[ci] {
                        let end = match b {
                            Addr::Line(k) => lineno >= *k,
                            other => matches(other, &pat),
                        };
                        if end {
                            active[ci] = false;
                        }
                        true
                    } else if matches(a, &pat) {
                        let end_now = matches!(b, Addr::Line(k) if *k <= lineno);
                        active[ci] = !end_now;
                        true
                    } else {
                        false
                    }
                }
            };
            if sel == cmd.negate {
                continue;
            }
            match &cmd.op {
                SedOp::Subst {
                    re,
                    rep,
                    global,
                    nth,
                    print,
                } => {
                    let mut result = String::new();
                    let mut last = 0;
                    let mut count = 0;
                    let mut did = false;
                    for caps in re.captures_iter(&pat) {
                        let Some(m) = caps.get(0) else { continue };
                        count += 1;
                        if count < *nth {
                            continue;
                        }
                        result.push_str(&pat[last..m.start()]);
                        result.push_str(&expand_rep(rep, &caps));
                        last = m.end();
                        did = true;
                        if !global {
                            break;
                        }
                    }
                    if did {
                        result.push_str(&pat[last..]);
                        pat = result;
                        if *print {
                            out.push_str(&pat);
                            out.push('\n');
                        }
                    }
                }
                SedOp::Print => {
                    out.push_str(&pat);
                    out.push('\n');
                }
                SedOp::Delete => {
                    deleted = true;
                    break;
                }
                SedOp::Quit => {
                    quit = true;
                    break;
                }
                SedOp::Translit(a, b) => {
                    pat = pat
                        .chars()
                        .map(|ch| a.iter().position(|&x| x == ch).map(|i| b[i]).unwrap_or(ch))
                        .collect();
                }
                SedOp::Append(t) => {
                    append.push_str(t);
                    append.push('\n');
                }
                SedOp::Insert(t) => {
                    out.push_str(t);
                    out.push('\n');
                }
                SedOp::Change(t) => {
                    out.push_str(t);
                    out.push('\n');
                    deleted = true;
                    break;
                }
                SedOp::LineNo => out.push_str(&format!("{lineno}\n")),
            }
        }
        if !deleted && !quiet {
            out.push_str(&pat);
            if had_nl {
                out.push('\n');
            }
        }
        out.push_str(&append);
        if quit {
            break 'lines;
        }
    }
    out
}

// ---------------------------------------------------------------- base64

fn base64(cx: &mut Cx) -> Outcome {
    let o = match opts(
        cx.args,
        "w",
        &[("decode", 'd'), ("ignore-garbage", 'i'), ("wrap", 'w')],
    ) {
        Ok(o) => o,
        Err(e) => return usage_err(cx, "base64", &e),
    };
    if let Some(r) = check_flags(cx, "base64", &o, "di") {
        return r;
    }
    let wrap: usize = match o.val('w') {
        None => 76,
        Some(w) => match w.parse() {
            Ok(n) => n,
            Err(_) => {
                cx.io.err(format!("base64: invalid wrap size: ‘{w}’\n"));
                return exit(1);
            }
        },
    };
    if o.ops.len() > 1 {
        return usage_err(cx, "base64", &format!("extra operand ‘{}’", o.ops[1]));
    }
    let (inputs, bad) = cx.inputs("base64", &o.ops);
    if bad {
        return exit(1);
    }
    let data: Vec<u8> = inputs.into_iter().flat_map(|(_, d)| d).collect();
    if o.has('d') {
        let (dec, ok) = b64_decode(&data, o.has('i'));
        cx.io.out(dec);
        if !ok {
            cx.io.err("base64: invalid input\n");
            return exit(1);
        }
        return exit(0);
    }
    use base64::Engine as _;
    let enc = base64::engine::general_purpose::STANDARD.encode(&data);
    let mut out = String::new();
    if wrap == 0 {
        out = enc;
    } else {
        for (i, ch) in enc.chars().enumerate() {
            if i > 0 && i % wrap == 0 {
                out.push('\n');
            }
            out.push(ch);
        }
        if !out.is_empty() {
            out.push('\n');
        }
    }
    cx.io.out(out);
    exit(0)
}

/// Decode as GNU base64 -d does (its handling of bad input is its own, so this is not the
/// base64 crate's decoder): newlines are skipped; anything else outside the alphabet is
/// invalid (skipped with -i). Output up to the error is still written.
fn b64_decode(d: &[u8], ignore: bool) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut quad = Vec::with_capacity(4);
    let mut pad = 0;
    for &b in d {
        if b == b'\n' {
            continue;
        }
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                if quad.len() < 2 {
                    if ignore {
                        continue;
                    }
                    return (out, false);
                }
                pad += 1;
                quad.push(0);
                if quad.len() == 4 {
                    flush_quad(&quad, pad, &mut out);
                    quad.clear();
                    // After padding, only more padding-complete quads may follow.
                    pad = 0;
                }
                continue;
            }
            _ => {
                if ignore {
                    continue;
                }
                // GNU writes the bytes of a partial group before giving up.
                if quad.len() >= 2 {
                    let n = quad.len();
                    while quad.len() < 4 {
                        quad.push(0);
                    }
                    flush_quad(&quad, 4 - n, &mut out);
                }
                return (out, false);
            }
        };
        if pad > 0 {
            if ignore {
                continue;
            }
            return (out, false);
        }
        quad.push(v);
        if quad.len() == 4 {
            flush_quad(&quad, 0, &mut out);
            quad.clear();
        }
    }
    if !quad.is_empty() {
        // Unpadded tail: decode what there is, but it is invalid input.
        let n = quad.len();
        while quad.len() < 4 {
            quad.push(0);
        }
        flush_quad(&quad, 4 - n, &mut out);
        if n == 1 {
            out.pop();
        }
        return (out, false);
    }
    (out, true)
}

fn flush_quad(q: &[u8], pad: usize, out: &mut Vec<u8>) {
    let n = (q[0] as u32) << 18 | (q[1] as u32) << 12 | (q[2] as u32) << 6 | q[3] as u32;
    let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
    out.extend_from_slice(&bytes[..3 - pad.min(2)]);
}

fn rev(cx: &mut Cx) -> Outcome {
    let (_, ops) = split_flags(cx.args);
    let (inputs, bad) = cx.inputs("rev", &ops);
    let mut out = String::new();
    for (_, d) in inputs {
        for l in lines_of(&d) {
            let nl = l.ends_with('\n');
            out.push_str(&strip_nl(&l).chars().rev().collect::<String>());
            if nl {
                out.push('\n');
            }
        }
    }
    cx.io.out(out);
    exit(bad as i32)
}

/// `paste [-s] [-d LIST] [FILE...]`: lines of the files side by side (or, with `-s`, each
/// file's lines on one line), separated by the delimiters of LIST in turn (a tab by default;
/// `\n`, `\t`, `\\` and `\0`, nothing, as escapes).
fn paste(cx: &mut Cx) -> Outcome {
    let mut serial = false;
    let mut delims = "\t".to_string();
    let mut files = Vec::new();
    let mut it = cx.args.iter();
    let mut only_files = false;
    while let Some(a) = it.next() {
        if only_files || !a.starts_with('-') || a == "-" {
            files.push(a.clone());
            continue;
        }
        if a == "--" {
            only_files = true;
        } else if a == "--serial" {
            serial = true;
        } else if let Some(d) = a.strip_prefix("--delimiters=") {
            delims = d.to_string();
        } else if a.starts_with("--") {
            cx.io.err(format!(
                "paste: unrecognized option '{a}'\nTry 'paste --help' for more information.\n"
            ));
            return exit(1);
        } else {
            let mut chars = a[1..].char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    's' => serial = true,
                    'z' => {}
                    'd' => {
                        let rest = &a[1 + i + 1..];
                        delims = if !rest.is_empty() {
                            rest.to_string()
                        } else if let Some(v) = it.next() {
                            v.clone()
                        } else {
                            cx.io.err("paste: option requires an argument -- 'd'\nTry 'paste --help' for more information.\n");
                            return exit(1);
                        };
                        break;
                    }
                    c => {
                        cx.io.err(format!("paste: invalid option -- '{c}'\nTry 'paste --help' for more information.\n"));
                        return exit(1);
                    }
                }
            }
        }
    }
    // The delimiters, each a string (`\0` is none).
    let mut list: Vec<String> = Vec::new();
    let mut chars = delims.chars();
    while let Some(c) = chars.next() {
        list.push(match c {
            '\\' => match chars.next() {
                Some('n') => "\n".into(),
                Some('t') => "\t".into(),
                Some('0') => String::new(),
                Some(o) => o.to_string(),
                None => "\\".into(),
            },
            c => c.to_string(),
        });
    }
    if list.is_empty() {
        list.push(String::new());
    }
    let (inputs, bad) = cx.inputs("paste", &files);
    let mut texts: Vec<Vec<String>> = inputs
        .iter()
        .map(|(_, d)| {
            lines_of(d)
                .iter()
                .map(|l| strip_nl(l).to_string())
                .collect()
        })
        .collect();
    // `paste - - -`: the columns that read stdin take its lines in turn.
    let dashes: Vec<usize> = (0..inputs.len()).filter(|&k| inputs[k].0 == "-").collect();
    if dashes.len() > 1 && !serial {
        let stdin = std::mem::take(&mut texts[dashes[0]]);
        for (j, &k) in dashes.iter().enumerate() {
            texts[k] = stdin
                .iter()
                .skip(j)
                .step_by(dashes.len())
                .cloned()
                .collect();
        }
    }
    let mut out = String::new();
    if serial {
        for lines in &texts {
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    out.push_str(&list[(i - 1) % list.len()]);
                }
                out.push_str(l);
            }
            out.push('\n');
        }
    } else {
        let rows = texts.iter().map(Vec::len).max().unwrap_or(0);
        for r in 0..rows {
            for (k, lines) in texts.iter().enumerate() {
                if k > 0 {
                    out.push_str(&list[(k - 1) % list.len()]);
                }
                out.push_str(lines.get(r).map_or("", String::as_str));
            }
            out.push('\n');
        }
    }
    cx.io.out(out);
    exit(bad as i32)
}
