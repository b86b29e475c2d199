//! echo, printf, true, false, test, pwd, cat, env.

use super::{exit, Cx, Outcome, Util};

pub(super) const TABLE: &[(&str, Util)] = &[
    ("true", |_| exit(0)),
    (":", |_| exit(0)),
    ("false", |_| exit(1)),
    ("echo", echo),
    ("pwd", pwd),
    ("cat", cat),
    ("test", test),
    ("[", test),
    ("printf", printf),
    ("env", env),
    ("printenv", printenv),
    ("seq", seq),
    ("expr", super::expr::expr),
    ("yes", yes),
    ("clear", clear),
    ("date", date),
    ("hostname", |cx| {
        let h = cx
            .io
            .env
            .get("HOSTNAME")
            .cloned()
            .unwrap_or_else(|| "localhost".into());
        cx.io.out(format!("{h}\n"));
        exit(0)
    }),
    ("whoami", |cx| {
        cx.io.out("root\n");
        exit(0)
    }),
    ("basename", basename),
    ("dirname", dirname),
];

fn echo(cx: &mut Cx) -> Outcome {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = cx.args.get(i) {
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c)) {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let mut s = cx.args[i..].join(" ");
    if escapes {
        let (t, stop) = backslash_escapes(&s, true);
        s = t;
        if stop {
            newline = false;
        }
    }
    if newline {
        s.push('\n');
    }
    cx.io.out(s);
    exit(0)
}

/// Interpret `\n`-style escapes as `echo -e` (and printf's %b) do. The bool is true at `\c`.
pub(crate) fn backslash_escapes(s: &str, echo_octal: bool) -> (String, bool) {
    let mut o = String::new();
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < c.len() {
        if c[i] != '\\' || i + 1 >= c.len() {
            o.push(c[i]);
            i += 1;
            continue;
        }
        i += 1;
        match c[i] {
            'n' => o.push('\n'),
            't' => o.push('\t'),
            'r' => o.push('\r'),
            'a' => o.push('\x07'),
            'b' => o.push('\x08'),
            'f' => o.push('\x0c'),
            'v' => o.push('\x0b'),
            'e' | 'E' => o.push('\x1b'),
            '\\' => o.push('\\'),
            'c' => return (o, true),
            '0' if echo_octal => {
                let mut v = 0u32;
                let mut k = 0;
                while k < 3 && i + 1 < c.len() && ('0'..='7').contains(&c[i + 1]) {
                    i += 1;
                    v = v * 8 + c[i].to_digit(8).unwrap_or(0);
                    k += 1;
                }
                o.push(char::from_u32(v).unwrap_or('?'));
            }
            d @ '0'..='7' if !echo_octal => {
                let mut v = d.to_digit(8).unwrap_or(0);
                let mut k = 1;
                while k < 3 && i + 1 < c.len() && ('0'..='7').contains(&c[i + 1]) {
                    i += 1;
                    v = v * 8 + c[i].to_digit(8).unwrap_or(0);
                    k += 1;
                }
                o.push(char::from_u32(v).unwrap_or('?'));
            }
            'x' => {
                let mut v = 0u32;
                let mut k = 0;
                while k < 2 && i + 1 < c.len() && c[i + 1].is_ascii_hexdigit() {
                    i += 1;
                    v = v * 16 + c[i].to_digit(16).unwrap_or(0);
                    k += 1;
                }
                if k == 0 {
                    o.push_str("\\x");
                } else {
                    o.push(char::from_u32(v).unwrap_or('?'));
                }
            }
            other => {
                o.push('\\');
                o.push(other);
            }
        }
        i += 1;
    }
    (o, false)
}

fn pwd(cx: &mut Cx) -> Outcome {
    let d = cx.io.cwd.clone();
    cx.io.out(format!("{d}\n"));
    exit(0)
}

fn cat(cx: &mut Cx) -> Outcome {
    let mut number = false;
    let mut files = Vec::new();
    for a in cx.args {
        match a.as_str() {
            "-n" => number = true,
            s if s.starts_with('-') && s.len() > 1 => {}
            _ => files.push(a.clone()),
        }
    }
    let (inputs, bad) = cx.inputs("cat", &files);
    let mut n = 0;
    for (_, d) in inputs {
        if number {
            let text = String::from_utf8_lossy(&d).into_owned();
            let mut o = String::new();
            for l in text.split_inclusive('\n') {
                n += 1;
                o.push_str(&format!("{n:>6}\t{l}"));
            }
            cx.io.out(o);
        } else {
            cx.io.out(d);
        }
    }
    exit(bad as i32)
}

fn test(cx: &mut Cx) -> Outcome {
    let mut args: Vec<String> = cx.args.to_vec();
    // `[` needs its closing bracket.
    let which = if args.last().map(String::as_str) == Some("]") {
        args.pop();
        "["
    } else {
        "test"
    };
    match eval_test(&args, cx) {
        Ok(true) => exit(0),
        Ok(false) => exit(1),
        Err(e) => {
            cx.io.err(format!("bash: {which}: {e}\n"));
            exit(2)
        }
    }
}

fn eval_test(a: &[String], cx: &mut Cx) -> Result<bool, String> {
    // Split on -o, then -a (lowest precedence first).
    if let Some(i) = a.iter().position(|x| x == "-o") {
        if i > 0 && i + 1 < a.len() {
            return Ok(eval_test(&a[..i], cx)? || eval_test(&a[i + 1..], cx)?);
        }
    }
    if let Some(i) = a.iter().position(|x| x == "-a") {
        if i > 0 && i + 1 < a.len() {
            return Ok(eval_test(&a[..i], cx)? && eval_test(&a[i + 1..], cx)?);
        }
    }
    match a.len() {
        0 => Ok(false),
        1 => Ok(!a[0].is_empty()),
        2 if a[0] == "!" => Ok(!eval_test(&a[1..], cx)?),
        2 => unary(&a[0], &a[1], cx),
        3 if a[0] == "!" => Ok(!eval_test(&a[1..], cx)?),
        3 if a[0] == "(" && a[2] == ")" => eval_test(&a[1..2], cx),
        3 => binary(&a[0], &a[1], &a[2]),
        _ if a[0] == "!" => Ok(!eval_test(&a[1..], cx)?),
        _ => Err("too many arguments".into()),
    }
}

fn unary(op: &str, x: &str, cx: &mut Cx) -> Result<bool, String> {
    match op {
        "-z" => Ok(x.is_empty()),
        "-n" => Ok(!x.is_empty()),
        _ => file_test(op, x, cx.fs, &cx.io.cwd)
            .ok_or_else(|| format!("{op}: unary operator expected")),
    }
}

/// A file test of `test` and `[[ ]]` (`-f path`...) on the virtual files; `None` for an
/// operator that is not one.
pub(crate) fn file_test(op: &str, x: &str, fs: &crate::Vfs, cwd: &str) -> Option<bool> {
    let node = || fs.stat(&crate::vfs::resolve(cwd, x));
    use crate::vfs::Node;
    Some(match op {
        "-e" | "-a" => node().is_some(),
        "-f" => matches!(node(), Some(Node::File { .. })),
        "-d" => matches!(node(), Some(Node::Dir { .. })),
        "-s" => matches!(node(), Some(Node::File { data, .. }) if !data.is_empty()),
        "-r" | "-w" => node().is_some(),
        "-x" => {
            let p = crate::vfs::resolve(cwd, x);
            fs.is_dir(&p) || fs.is_executable(&p)
        }
        "-L" | "-h" | "-p" | "-S" | "-b" | "-c" => false,
        "-t" => false,
        _ => return None,
    })
}

fn int(s: &str) -> Result<i64, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("{s}: integer expression expected"))
}

fn binary(l: &str, op: &str, r: &str) -> Result<bool, String> {
    Ok(match op {
        "=" | "==" => l == r,
        "!=" => l != r,
        "<" => l < r,
        ">" => l > r,
        "-eq" => int(l)? == int(r)?,
        "-ne" => int(l)? != int(r)?,
        "-lt" => int(l)? < int(r)?,
        "-le" => int(l)? <= int(r)?,
        "-gt" => int(l)? > int(r)?,
        "-ge" => int(l)? >= int(r)?,
        _ => return Err(format!("{op}: binary operator expected")),
    })
}

fn printf(cx: &mut Cx) -> Outcome {
    let Some(fmt) = cx.args.first() else {
        cx.io
            .err("printf: usage: printf [-v var] format [arguments]\n");
        return exit(2);
    };
    let args = &cx.args[1..];
    let mut out = String::new();
    let mut code = 0;
    let mut ai = 0;
    loop {
        let (s, consumed, mut stop, errors) = format_once(fmt, &args[ai.min(args.len())..]);
        out.push_str(&s);
        for e in &errors {
            cx.io.err(format!("bash: printf: {e}\n"));
            code = 1;
        }
        if out.len() > crate::MAX_STRING {
            cx.io.err(format!(
                "bash: printf: {}\n",
                crate::out_of_memory(out.len())
            ));
            out.clear();
            (code, stop) = (1, true);
        }
        ai += consumed;
        if stop || consumed == 0 || ai >= args.len() {
            break;
        }
    }
    cx.io.out(out);
    exit(code)
}

/// `printf %q`: bash's quoting of a word to read back as `v`: `''` when empty, `$'...'` when
/// it holds control characters, else a backslash before each character the shell would
/// treat specially (`~` and `#` only where they would be).
fn printf_q(v: &str) -> String {
    if v.is_empty() {
        return "''".into();
    }
    if v.chars().any(|c| c.is_control()) {
        let mut o = String::from("$'");
        for c in v.chars() {
            match c {
                '\n' => o.push_str("\\n"),
                '\t' => o.push_str("\\t"),
                '\r' => o.push_str("\\r"),
                '\x1b' => o.push_str("\\E"),
                '\x07' => o.push_str("\\a"),
                '\x08' => o.push_str("\\b"),
                '\x0b' => o.push_str("\\v"),
                '\x0c' => o.push_str("\\f"),
                '\'' | '\\' => {
                    o.push('\\');
                    o.push(c);
                }
                c if c.is_control() => o.push_str(&format!("\\{:03o}", c as u32)),
                c => o.push(c),
            }
        }
        o.push('\'');
        return o;
    }
    let mut o = String::new();
    let mut prev: Option<char> = None;
    for c in v.chars() {
        let special = match c {
            '~' => matches!(prev, None | Some('=' | ':')),
            '#' => prev.is_none(),
            c => " '\"\\|&;()<>!{}*[]?^$`,".contains(c),
        };
        if special {
            o.push('\\');
        }
        o.push(c);
        prev = Some(c);
    }
    o
}

/// One pass of a printf format over `args`: (text, args used, stop, complaints). Stops at `\c`,
/// and at a field wider than [`crate::MAX_STRING`] (with bash's complaint when memory runs
/// out, rather than a tab that runs out of it).
fn format_once(fmt: &str, args: &[String]) -> (String, usize, bool, Vec<String>) {
    let c: Vec<char> = fmt.chars().collect();
    let mut o = String::new();
    let mut ai = 0;
    let mut i = 0;
    let mut errors = Vec::new();
    let next = |ai: &mut usize| -> Option<String> {
        let v = args.get(*ai).cloned();
        *ai += 1;
        v
    };
    while i < c.len() {
        match c[i] {
            '\\' => {
                let mut j = i + 1;
                if j < c.len() && ('0'..='7').contains(&c[j]) {
                    let mut k = 0;
                    while k < 3 && j < c.len() && ('0'..='7').contains(&c[j]) {
                        j += 1;
                        k += 1;
                    }
                } else {
                    j += 1;
                }
                let esc: String = c[i..j.min(c.len())].iter().collect();
                let (t, stop) = backslash_escapes(&esc, false);
                o.push_str(&t);
                if stop {
                    return (o, ai, true, errors);
                }
                i = j;
            }
            '%' => {
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
                        width.push_str(&next(&mut ai).unwrap_or_default());
                    } else {
                        width.push(c[j]);
                    }
                    j += 1;
                }
                let mut prec: Option<String> = None;
                if c.get(j) == Some(&'.') {
                    j += 1;
                    let mut p = String::new();
                    while j < c.len() && (c[j].is_ascii_digit() || c[j] == '*') {
                        if c[j] == '*' {
                            p.push_str(&next(&mut ai).unwrap_or_default());
                        } else {
                            p.push(c[j]);
                        }
                        j += 1;
                    }
                    prec = Some(p);
                }
                let Some(&conv) = c.get(j) else {
                    o.push_str(&c[i..].iter().collect::<String>());
                    break;
                };
                let w: usize = width.parse().unwrap_or(0);
                let left = flags.contains('-');
                let zero = flags.contains('0') && !left;
                let p: Option<usize> = prec.as_ref().map(|p| p.parse().unwrap_or(0));
                if let Some(n) = [w, p.unwrap_or(0)]
                    .into_iter()
                    .find(|n| *n > crate::MAX_STRING)
                {
                    errors.push(crate::out_of_memory(o.len() + n));
                    return (o, ai.min(args.len()), true, errors);
                }
                let body = match conv {
                    's' => {
                        let mut v = next(&mut ai).unwrap_or_default();
                        if let Some(p) = p {
                            v = v.chars().take(p).collect();
                        }
                        v
                    }
                    'b' => backslash_escapes(&next(&mut ai).unwrap_or_default(), true).0,
                    'c' => next(&mut ai)
                        .unwrap_or_default()
                        .chars()
                        .next()
                        .map(String::from)
                        .unwrap_or_default(),
                    'q' => printf_q(&next(&mut ai).unwrap_or_default()),
                    'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                        let raw = next(&mut ai).unwrap_or_default();
                        let (n, err) = parse_num(&raw);
                        errors.extend(err);
                        let mut s = match conv {
                            'x' => format!("{n:x}"),
                            'X' => format!("{n:X}"),
                            'o' => format!("{n:o}"),
                            _ => n.unsigned_abs().to_string(),
                        };
                        if let Some(p) = p {
                            while s.len() < p {
                                s.insert(0, '0');
                            }
                        }
                        let sign = if n < 0 && matches!(conv, 'd' | 'i') {
                            "-"
                        } else if flags.contains('+') && matches!(conv, 'd' | 'i') {
                            "+"
                        } else if flags.contains(' ') && matches!(conv, 'd' | 'i') {
                            " "
                        } else {
                            ""
                        };
                        if zero && p.is_none() {
                            while s.len() + sign.len() < w {
                                s.insert(0, '0');
                            }
                        }
                        format!("{sign}{s}")
                    }
                    'f' | 'F' | 'e' | 'g' => {
                        let raw = next(&mut ai).unwrap_or_default();
                        let v: f64 = raw.trim().parse().unwrap_or_else(|_| {
                            if !raw.is_empty() {
                                errors.push(format!("{raw}: invalid number"));
                            }
                            0.0
                        });
                        let p = p.unwrap_or(6);
                        let mut s = match conv {
                            'e' => format!("{v:.p$e}"),
                            'g' => format!("{v}"),
                            _ => format!("{v:.p$}"),
                        };
                        if zero {
                            while s.len() < w {
                                let at = if s.starts_with('-') { 1 } else { 0 };
                                s.insert(at, '0');
                            }
                        }
                        s
                    }
                    _ => {
                        o.push_str(&c[i..=j].iter().collect::<String>());
                        i = j + 1;
                        continue;
                    }
                };
                let len = body.chars().count();
                if len < w {
                    let pad = " ".repeat(w - len);
                    if left {
                        o.push_str(&body);
                        o.push_str(&pad);
                    } else {
                        o.push_str(&pad);
                        o.push_str(&body);
                    }
                } else {
                    o.push_str(&body);
                }
                i = j + 1;
            }
            ch => {
                o.push(ch);
                i += 1;
            }
        }
    }
    (o, ai.min(args.len()), false, errors)
}

/// A number as bash's printf reads one (`strtoimax` in base 0: leading blanks, a sign, `0x`
/// hex or `0` octal): the value of the longest valid prefix, and bash's complaint when
/// anything is left over (`sh_invalidnum`). `'c` is the code of the character c.
fn parse_num(s: &str) -> (i64, Option<String>) {
    if s.is_empty() {
        return (0, None);
    }
    if let Some(c) = s.strip_prefix('\'').or_else(|| s.strip_prefix('"')) {
        return (c.chars().next().map_or(0, |c| c as i64), None);
    }
    let t = s.trim_start_matches([' ', '\t', '\n']);
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let hex = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X"));
    let (radix, digits) = match hex {
        Some(h) if h.starts_with(|c: char| c.is_ascii_hexdigit()) => (16, h),
        _ if body.starts_with('0') => (8, body),
        _ => (10, body),
    };
    let len = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    let v = digits[..len].chars().fold(0i64, |v, c| {
        v.saturating_mul(radix as i64)
            .saturating_add(c.to_digit(radix).unwrap_or(0) as i64)
    });
    let v = if neg { -v } else { v };
    if len > 0 && len == digits.len() {
        return (v, None);
    }
    let b = s.as_bytes();
    let what = match (b.first(), b.get(1)) {
        (Some(b'0'), Some(d)) if d.is_ascii_digit() => "invalid octal number",
        (Some(b'0'), Some(b'x')) => "invalid hex number",
        _ => "invalid number",
    };
    (v, Some(format!("{s}: {what}")))
}

fn env(cx: &mut Cx) -> Outcome {
    let mut env = cx.io.env.clone();
    let mut i = 0;
    while let Some(a) = cx.args.get(i) {
        if a == "-i" {
            env.clear();
        } else if let Some(n) = a.strip_prefix("-u") {
            let n = if n.is_empty() {
                i += 1;
                cx.args.get(i).cloned().unwrap_or_default()
            } else {
                n.to_string()
            };
            env.remove(&n);
        } else if let Some((k, v)) = a.split_once('=') {
            env.insert(k.to_string(), v.to_string());
        } else {
            break;
        }
        i += 1;
    }
    if i < cx.args.len() {
        // `env VAR=x cmd`: only utilities can be run from here.
        let argv = cx.args[i..].to_vec();
        let mut io = crate::Io {
            stdin: cx.io.stdin.take(),
            cwd: cx.io.cwd.clone(),
            env,
            out: Default::default(),
            stdout_tty: cx.io.stdout_tty,
        };
        let r = super::run(&argv, &mut io, cx.fs, cx.now_ms, cx.busybox);
        for (fd, d) in io.out.take() {
            cx.io.out.write(fd, &d);
        }
        return match r {
            Some(o) => o,
            None => {
                cx.io
                    .err(format!("env: '{}': No such file or directory\n", argv[0]));
                exit(127)
            }
        };
    }
    let mut s = String::new();
    for (k, v) in env {
        s.push_str(&format!("{k}={v}\n"));
    }
    cx.io.out(s);
    exit(0)
}

fn printenv(cx: &mut Cx) -> Outcome {
    if cx.args.is_empty() {
        let mut s = String::new();
        for (k, v) in &cx.io.env {
            s.push_str(&format!("{k}={v}\n"));
        }
        cx.io.out(s);
        return exit(0);
    }
    let mut code = 0;
    let mut s = String::new();
    for a in cx.args {
        match cx.io.env.get(a) {
            Some(v) => s.push_str(&format!("{v}\n")),
            None => code = 1,
        }
    }
    cx.io.out(s);
    exit(code)
}

fn seq(cx: &mut Cx) -> Outcome {
    let mut sep = "\n".to_string();
    let mut width = false;
    let mut nums = Vec::new();
    let mut it = cx.args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-s" => sep = it.next().cloned().unwrap_or_default(),
            "-w" => width = true,
            s if s.starts_with("-s") => sep = s[2..].to_string(),
            s => match s.parse::<f64>() {
                Ok(v) => nums.push((v, s.to_string())),
                Err(_) => {
                    cx.io.err(format!("seq: invalid floating point argument: '{s}'\nTry 'seq --help' for more information.\n"));
                    return exit(1);
                }
            },
        }
    }
    let (first, step, last) = match nums.len() {
        1 => (1.0, 1.0, nums[0].0),
        2 => (nums[0].0, 1.0, nums[1].0),
        3 => (nums[0].0, nums[1].0, nums[2].0),
        0 => {
            cx.io
                .err("seq: missing operand\nTry 'seq --help' for more information.\n");
            return exit(1);
        }
        _ => {
            cx.io.err(format!(
                "seq: extra operand '{}'\nTry 'seq --help' for more information.\n",
                nums[3].1
            ));
            return exit(1);
        }
    };
    if step == 0.0 {
        cx.io.err(format!(
            "seq: invalid Zero increment value: '{}'\nTry 'seq --help' for more information.\n",
            nums[1].1
        ));
        return exit(1);
    }
    let decimals = nums
        .iter()
        .map(|(_, s)| s.split_once('.').map(|(_, d)| d.len()).unwrap_or(0))
        .max()
        .unwrap_or(0);
    let fmt = |v: f64| format!("{v:.decimals$}");
    let w = if width {
        fmt(first).len().max(fmt(last).len())
    } else {
        0
    };
    let mut out = String::new();
    let mut x = first;
    let mut n = 0u64;
    let mut full = false;
    while (step > 0.0 && x <= last + 1e-9) || (step < 0.0 && x >= last - 1e-9) {
        if n > 0 {
            out.push_str(&sep);
        }
        let s = fmt(x);
        out.push_str(&format!("{s:0>w$}"));
        n += 1;
        // Output is held whole, not streamed: past MAX_STRING it stops, and says so as seq
        // does when its output cannot be written (rather than a silently short count).
        if out.len() > crate::MAX_STRING {
            full = true;
            break;
        }
        x = first + step * n as f64;
    }
    if n > 0 {
        out.push('\n');
    }
    cx.io.out(out);
    if full {
        cx.io.err("seq: write error: No space left on device\n");
        return exit(1);
    }
    exit(0)
}

/// `yes`: writes 64 KiB of its line (a pipe's worth), as if its reader then went away.
fn yes(cx: &mut Cx) -> Outcome {
    let line = if cx.args.is_empty() {
        "y".to_string()
    } else {
        cx.args.join(" ")
    };
    let line = format!("{line}\n");
    let n = (64 * 1024 / line.len()).max(1);
    cx.io.out(line.repeat(n));
    exit(0)
}

fn clear(cx: &mut Cx) -> Outcome {
    cx.io.out("\x1b[H\x1b[2J\x1b[3J");
    exit(0)
}

fn date(cx: &mut Cx) -> Outcome {
    let mut fmt = None;
    let mut it = cx.args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            // The clock is in UTC already.
            "-u" | "--utc" | "--universal" => {}
            s if s.starts_with('+') => fmt = Some(s[1..].to_string()),
            s if s.starts_with("-d") || s.starts_with("--date") => {
                if s == "-d" {
                    it.next();
                }
            }
            "-R" | "--rfc-email" => fmt = Some("%a, %d %b %Y %H:%M:%S %z".into()),
            "-I" | "--iso-8601" => fmt = Some("%Y-%m-%d".into()),
            s => {
                cx.io.err(format!("date: invalid date '{s}'\n"));
                return exit(1);
            }
        }
    }
    let secs = cx.now_ms.div_euclid(1000);
    let fmt = fmt.unwrap_or_else(|| "%a %b %e %H:%M:%S %Z %Y".into());
    cx.io.out(format!(
        "{}\n",
        strftime(&fmt, secs, cx.now_ms.rem_euclid(1000))
    ));
    exit(0)
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const FULL_DAYS: [&str; 7] = [
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
];
pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const FULL_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// GNU date's format directives, in UTC.
pub(crate) fn strftime(fmt: &str, secs: i64, ms: i64) -> String {
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let (hh, mm, ss) = (sod / 3600, sod / 60 % 60, sod % 60);
    let wd = days.rem_euclid(7) as usize;
    let mut o = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            o.push(c);
            continue;
        }
        match it.next() {
            Some('Y') => o.push_str(&y.to_string()),
            Some('y') => o.push_str(&format!("{:02}", y % 100)),
            Some('m') => o.push_str(&format!("{m:02}")),
            Some('d') => o.push_str(&format!("{d:02}")),
            Some('e') => o.push_str(&format!("{d:>2}")),
            Some('H') => o.push_str(&format!("{hh:02}")),
            Some('I') => o.push_str(&format!("{:02}", if hh % 12 == 0 { 12 } else { hh % 12 })),
            Some('p') => o.push_str(if hh < 12 { "AM" } else { "PM" }),
            Some('M') => o.push_str(&format!("{mm:02}")),
            Some('S') => o.push_str(&format!("{ss:02}")),
            Some('N') => o.push_str(&format!("{:09}", ms * 1_000_000)),
            Some('s') => o.push_str(&secs.to_string()),
            Some('a') => o.push_str(DAYS[wd]),
            Some('A') => o.push_str(FULL_DAYS[wd]),
            Some('b') | Some('h') => o.push_str(MONTHS[m as usize - 1]),
            Some('B') => o.push_str(FULL_MONTHS[m as usize - 1]),
            Some('Z') => o.push_str("UTC"),
            Some('z') => o.push_str("+0000"),
            Some('j') => {
                let (y0, _, _) = civil(days);
                let jan1 = days_from_civil(y0, 1, 1);
                o.push_str(&format!("{:03}", days - jan1 + 1));
            }
            Some('F') => o.push_str(&format!("{y}-{m:02}-{d:02}")),
            Some('T') => o.push_str(&format!("{hh:02}:{mm:02}:{ss:02}")),
            Some('D') => o.push_str(&format!("{m:02}/{d:02}/{:02}", y % 100)),
            Some('R') => o.push_str(&format!("{hh:02}:{mm:02}")),
            Some('n') => o.push('\n'),
            Some('t') => o.push('\t'),
            Some('%') => o.push('%'),
            Some(x) => {
                o.push('%');
                o.push(x);
            }
            None => o.push('%'),
        }
    }
    o
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn basename(cx: &mut Cx) -> Outcome {
    let Some(p) = cx.args.first() else {
        cx.io
            .err("basename: missing operand\nTry 'basename --help' for more information.\n");
        return exit(1);
    };
    let mut b = if p.chars().all(|c| c == '/') && !p.is_empty() {
        "/".to_string()
    } else {
        crate::vfs::base_name(p).to_string()
    };
    if let Some(suf) = cx.args.get(1) {
        if b != *suf {
            if let Some(s) = b.strip_suffix(suf.as_str()) {
                b = s.to_string();
            }
        }
    }
    cx.io.out(format!("{b}\n"));
    exit(0)
}

fn dirname(cx: &mut Cx) -> Outcome {
    let Some(p) = cx.args.first() else {
        cx.io
            .err("dirname: missing operand\nTry 'dirname --help' for more information.\n");
        return exit(1);
    };
    let t = p.trim_end_matches('/');
    let d = match t.rfind('/') {
        None => ".".to_string(),
        Some(0) => "/".to_string(),
        Some(i) => t[..i].trim_end_matches('/').to_string(),
    };
    let d = if d.is_empty() { "/".to_string() } else { d };
    cx.io.out(format!("{d}\n"));
    exit(0)
}
