//! ls, mkdir, rmdir, rm, cp, mv, touch, tee, chmod: GNU coreutils over the virtual files.

use super::{exit, Cx, Outcome, Util};
use crate::vfs::{base_name, FsError, Node};

pub(super) const TABLE: &[(&str, Util)] = &[
    ("ls", ls),
    ("mkdir", mkdir),
    ("rmdir", rmdir),
    ("rm", rm),
    ("cp", cp),
    ("mv", mv),
    ("touch", touch),
    ("tee", tee),
    ("chmod", chmod),
];

/// Split arguments into single-letter flags and operands (`--` ends flags). Long options
/// are returned with the flags as whole strings.
pub(crate) fn split_flags(args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut flags = Vec::new();
    let mut ops = Vec::new();
    let mut only_ops = false;
    for a in args {
        if only_ops || a == "-" || !a.starts_with('-') {
            ops.push(a.clone());
        } else if a == "--" {
            only_ops = true;
        } else if a.starts_with("--") {
            flags.push(a.clone());
        } else {
            for c in a[1..].chars() {
                flags.push(c.to_string());
            }
        }
    }
    (flags, ops)
}

fn has(flags: &[String], names: &[&str]) -> bool {
    flags.iter().any(|f| names.contains(&f.as_str()))
}

fn bad_option(cx: &mut Cx, util: &str, flags: &[String], known: &str, long: &[&str]) -> bool {
    for f in flags {
        if f.starts_with("--") {
            let name = f.split('=').next().unwrap_or(f);
            if !long.contains(&name) {
                cx.io.err(format!("{util}: unrecognized option '{f}'\nTry '{util} --help' for more information.\n"));
                return true;
            }
        } else if !known.contains(f.as_str()) {
            cx.io.err(format!(
                "{util}: invalid option -- '{f}'\nTry '{util} --help' for more information.\n"
            ));
            return true;
        }
    }
    false
}

/// `ls -l`'s first column: the type, then rwx for owner, group and others, with the
/// set-id and sticky bits in the execute places (`s`/`S`, `t`/`T`).
fn mode_string(node: &Node, mode: u32) -> String {
    let mut s = String::with_capacity(10);
    s.push(if matches!(node, Node::Dir { .. }) {
        'd'
    } else {
        '-'
    });
    for (shift, special, mark) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(match (mode & special != 0, bits & 1 != 0) {
            (true, true) => mark,
            (true, false) => mark.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    s
}

fn ls_time(mtime: i64, now: i64) -> String {
    let days = mtime.div_euclid(86_400);
    let (y, m, d) = super::basic::civil(days);
    let sod = mtime.rem_euclid(86_400);
    let month = super::basic::MONTHS[m as usize - 1];
    // GNU shows the year instead of the time for files older than six months or in the future.
    if now - mtime > 15_778_476 || mtime - now > 0 {
        format!("{month} {d:>2}  {y}")
    } else {
        format!("{month} {d:>2} {:02}:{:02}", sod / 3600, sod / 60 % 60)
    }
}

/// GNU's column layout for a terminal 80 characters wide (vertical, as `ls -C`).
pub(crate) fn columns(names: &[String], width: usize) -> String {
    if names.is_empty() {
        return String::new();
    }
    let lens: Vec<usize> = names.iter().map(|n| n.chars().count()).collect();
    let n = names.len();
    let mut best_cols = 1;
    for cols in (1..=n.min(width / 3 + 1)).rev() {
        let rows = n.div_ceil(cols);
        let cols_used = n.div_ceil(rows);
        let mut total = 0;
        for c in 0..cols_used {
            let w = (c * rows..((c + 1) * rows).min(n))
                .map(|i| lens[i])
                .max()
                .unwrap_or(0);
            total += w + if c + 1 < cols_used { 2 } else { 0 };
        }
        if total < width {
            best_cols = cols;
            break;
        }
    }
    let rows = n.div_ceil(best_cols);
    let cols_used = n.div_ceil(rows);
    let widths: Vec<usize> = (0..cols_used)
        .map(|c| {
            (c * rows..((c + 1) * rows).min(n))
                .map(|i| lens[i])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in 0..rows {
        let mut pos = 0;
        let mut target = 0;
        for (c, w) in widths.iter().enumerate() {
            let i = c * rows + r;
            if i >= n {
                break;
            }
            indent(&mut out, pos, target);
            out.push_str(&names[i]);
            pos = target + lens[i];
            target += w + 2;
        }
        out.push('\n');
    }
    out
}

/// Pad from column `from` to `to` as GNU ls does: tabs where a tab stop (every 8) fits.
fn indent(out: &mut String, mut from: usize, to: usize) {
    while from < to {
        if to / 8 > (from + 1) / 8 {
            out.push('\t');
            from += 8 - from % 8;
        } else {
            out.push(' ');
            from += 1;
        }
    }
}

fn ls(cx: &mut Cx) -> Outcome {
    let (flags, mut ops) = split_flags(cx.args);
    if bad_option(
        cx,
        "ls",
        &flags,
        "laA1dhrtRSF",
        &[
            "--all",
            "--almost-all",
            "--human-readable",
            "--color",
            "--directory",
        ],
    ) {
        return exit(2);
    }
    let long = has(&flags, &["l"]);
    let all = has(&flags, &["a", "--all"]);
    let almost = has(&flags, &["A", "--almost-all"]);
    let one = has(&flags, &["1"]) || !cx.io.stdout_tty;
    let dir_only = has(&flags, &["d", "--directory"]);
    let reverse = has(&flags, &["r"]);
    let by_time = has(&flags, &["t"]);
    let classify = has(&flags, &["F"]);
    let human = has(&flags, &["h", "--human-readable"]);
    let now = cx.now_ms.div_euclid(1000);
    if ops.is_empty() {
        ops.push(".".into());
    }
    let mut code = 0;
    let mut files: Vec<(String, Node)> = Vec::new();
    let mut dirs: Vec<(String, String)> = Vec::new();
    for op in &ops {
        let abs = cx.path(op);
        match cx.fs.stat(&abs) {
            // Busybox's ls reports the path as perror does, and fails with 1.
            None if cx.busybox => {
                cx.io
                    .err(format!("ls: {op}: {}\n", FsError::NotFound.text()));
                code = 1;
            }
            None => {
                cx.io.err(format!(
                    "ls: cannot access '{op}': {}\n",
                    FsError::NotFound.text()
                ));
                code = 2;
            }
            Some(n @ Node::File { .. }) => files.push((op.clone(), n)),
            Some(n) if dir_only => files.push((op.clone(), n)),
            Some(Node::Dir { .. }) => dirs.push((op.clone(), abs)),
        }
    }
    let render =
        |cx: &mut Cx, base: &str, entries: Vec<(String, Node)>, show_total: bool| -> String {
            let mut entries = entries;
            if by_time {
                kubeplay_sort::sort_by_key(&mut entries, |(n, node)| {
                    let t = match node {
                        Node::File { mtime, .. } | Node::Dir { mtime } => *mtime,
                    };
                    (std::cmp::Reverse(t), n.clone())
                });
            }
            if reverse {
                entries.reverse();
            }
            let mode = |cx: &Cx, n: &str, node: &Node| {
                cx.fs
                    .mode(&crate::vfs::resolve(base, n))
                    .unwrap_or(match node {
                        Node::Dir { .. } => 0o755,
                        Node::File { .. } => 0o644,
                    })
            };
            let decorate = |cx: &Cx, n: &str, node: &Node| -> String {
                match node {
                    Node::Dir { .. } if classify => format!("{n}/"),
                    Node::File { .. } if classify && mode(cx, n, node) & 0o111 != 0 => {
                        format!("{n}*")
                    }
                    _ => n.to_string(),
                }
            };
            if !long {
                let names: Vec<String> = entries
                    .iter()
                    .map(|(n, node)| decorate(cx, n, node))
                    .collect();
                if one {
                    return names.iter().map(|n| format!("{n}\n")).collect();
                }
                return columns(&names, 80);
            }
            let mut rows = Vec::new();
            let mut blocks = 0u64;
            for (name, node) in &entries {
                let (size, mtime, links) = match node {
                    Node::File { data, mtime } => (data.len() as u64, *mtime, 1),
                    Node::Dir { mtime } => (4096, *mtime, 2 + subdirs(cx, base, name)),
                };
                blocks += size.div_ceil(4096) * 4;
                let size_s = match (human, cx.busybox) {
                    (true, true) => busybox_human(size, true),
                    (true, false) => human_size(size),
                    (false, _) => size.to_string(),
                };
                rows.push((
                    mode_string(node, mode(cx, name, node)),
                    links,
                    size_s,
                    ls_time(mtime, now),
                    decorate(cx, name, node),
                ));
            }
            let lw = rows
                .iter()
                .map(|r| r.1.to_string().len())
                .max()
                .unwrap_or(1);
            let sw = rows.iter().map(|r| r.2.len()).max().unwrap_or(1);
            let mut s = String::new();
            if show_total {
                let total = match (human, cx.busybox) {
                    (true, true) => format!("{:<7}", busybox_human(blocks * 1024, false)),
                    (true, false) => human_size(blocks * 1024),
                    (false, _) => blocks.to_string(),
                };
                s.push_str(&format!("total {total}\n"));
            }
            for (mode, links, size, time, name) in rows {
                // busybox's columns are fixed (coreutils/ls.c), GNU's as wide as the widest.
                if cx.busybox {
                    let sw = if human { 7 } else { 9 };
                    s.push_str(&format!(
                        "{mode:<10} {links:>4} root     root     {size:>sw$} {time} {name}\n"
                    ));
                } else {
                    s.push_str(&format!(
                        "{mode} {links:>lw$} root root {size:>sw$} {time} {name}\n"
                    ));
                }
            }
            s
        };
    kubeplay_sort::sort_by(&mut files, |a, b| a.0.cmp(&b.0));
    let mut out = String::new();
    let had_files = !files.is_empty();
    if had_files {
        let cwd = cx.io.cwd.clone();
        out.push_str(&render(cx, &cwd, files, false));
    }
    kubeplay_sort::sort(&mut dirs);
    let many = dirs.len() + usize::from(had_files) > 1 || code != 0 && ops.len() > 1;
    for (i, (shown, abs)) in dirs.iter().enumerate() {
        let mut entries = Vec::new();
        if all {
            for special in [".", ".."] {
                let p = crate::vfs::resolve(abs, special);
                if let Some(n) = cx.fs.stat(&p) {
                    entries.push((special.to_string(), n));
                }
            }
        }
        for (name, _) in cx.fs.list(abs).unwrap_or_default() {
            if name.starts_with('.') && !all && !almost {
                continue;
            }
            if let Some(n) = cx.fs.stat(&format!("{}/{name}", abs.trim_end_matches('/'))) {
                entries.push((name, n));
            }
        }
        if many {
            if i > 0 || had_files {
                out.push('\n');
            }
            out.push_str(&format!("{shown}:\n"));
        }
        out.push_str(&render(cx, abs, entries, true));
    }
    cx.io.out(out);
    exit(code)
}

/// How many directories are directly inside `name` (relative to `base`): a directory's link
/// count is 2 plus that.
fn subdirs(cx: &Cx, base: &str, name: &str) -> usize {
    let p = crate::vfs::resolve(base, name);
    cx.fs
        .list(&p)
        .map(|v| v.iter().filter(|(_, d)| *d).count())
        .unwrap_or(0)
}

/// busybox's `make_human_readable_str`: one rounded fractional digit past 1023 (`4.0K`), or
/// none (`8K`, as for ls's total).
fn busybox_human(n: u64, fraction: bool) -> String {
    const UNITS: [char; 8] = ['K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
    if n == 0 {
        return "0".into();
    }
    let (mut v, mut frac, mut unit) = (n, 0, None);
    while v >= 1024 {
        frac = ((v % 1024) * 10 + 512) / 1024;
        v /= 1024;
        unit = Some(unit.map_or(0, |u| u + 1));
    }
    if frac >= 10 {
        v += 1;
        frac = 0;
    }
    match unit {
        None => v.to_string(),
        Some(u) if fraction => format!("{v}.{frac}{}", UNITS[u]),
        Some(u) => format!("{}{}", v + u64::from(frac >= 5), UNITS[u]),
    }
}

fn human_size(n: u64) -> String {
    if n < 1024 {
        return n.to_string();
    }
    let units = ["K", "M", "G", "T"];
    let mut v = n as f64;
    let mut u = 0;
    v /= 1024.0;
    while v >= 1024.0 && u < 3 {
        v /= 1024.0;
        u += 1;
    }
    if v < 10.0 {
        format!("{:.1}{}", (v * 10.0).ceil() / 10.0, units[u])
    } else {
        format!("{}{}", v.ceil() as u64, units[u])
    }
}

fn mkdir(cx: &mut Cx) -> Outcome {
    let (flags, ops) = split_flags(cx.args);
    if bad_option(cx, "mkdir", &flags, "pv", &["--parents", "--verbose"]) {
        return exit(1);
    }
    let parents = has(&flags, &["p", "--parents"]);
    if ops.is_empty() {
        cx.io
            .err("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
        return exit(1);
    }
    let mut code = 0;
    for d in &ops {
        let p = cx.path(d);
        if let Err(e) = cx.fs.mkdir(&p, parents) {
            cx.io.err(if cx.busybox {
                format!("mkdir: can't create directory '{d}': {}\n", e.text())
            } else {
                format!("mkdir: cannot create directory ‘{d}’: {}\n", e.text())
            });
            code = 1;
        } else if has(&flags, &["v", "--verbose"]) {
            cx.io.out(format!("mkdir: created directory '{d}'\n"));
        }
    }
    exit(code)
}

fn rmdir(cx: &mut Cx) -> Outcome {
    let (_, ops) = split_flags(cx.args);
    if ops.is_empty() {
        cx.io
            .err("rmdir: missing operand\nTry 'rmdir --help' for more information.\n");
        return exit(1);
    }
    let mut code = 0;
    for d in &ops {
        let p = cx.path(d);
        let r = match cx.fs.stat(&p) {
            None => Err(FsError::NotFound),
            Some(Node::File { .. }) => Err(FsError::NotDir),
            Some(Node::Dir { .. }) => cx.fs.remove(&p, false),
        };
        if let Err(e) = r {
            cx.io
                .err(format!("rmdir: failed to remove '{d}': {}\n", e.text()));
            code = 1;
        }
    }
    exit(code)
}

fn rm(cx: &mut Cx) -> Outcome {
    let (flags, ops) = split_flags(cx.args);
    if bad_option(
        cx,
        "rm",
        &flags,
        "rRfvid",
        &["--recursive", "--force", "--verbose"],
    ) {
        return exit(1);
    }
    let recursive = has(&flags, &["r", "R", "--recursive"]);
    let force = has(&flags, &["f", "--force"]);
    let verbose = has(&flags, &["v", "--verbose"]);
    if ops.is_empty() && !force {
        cx.io
            .err("rm: missing operand\nTry 'rm --help' for more information.\n");
        return exit(1);
    }
    let mut code = 0;
    // Busybox's remove_file says "can't" where GNU's rm says "cannot".
    let cannot = if cx.busybox { "can't" } else { "cannot" };
    for f in &ops {
        let p = cx.path(f);
        match cx.fs.stat(&p) {
            None => {
                if !force {
                    cx.io.err(format!(
                        "rm: {cannot} remove '{f}': No such file or directory\n"
                    ));
                    code = 1;
                }
            }
            Some(Node::Dir { .. }) if !recursive => {
                cx.io.err(if cx.busybox {
                    format!("rm: '{f}' is a directory\n")
                } else {
                    format!("rm: cannot remove '{f}': Is a directory\n")
                });
                code = 1;
            }
            Some(_) if p == "/" => {
                cx.io.err("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
                code = 1;
            }
            Some(_) => {
                if let Err(e) = cx.fs.remove(&p, true) {
                    cx.io
                        .err(format!("rm: {cannot} remove '{f}': {}\n", e.text()));
                    code = 1;
                } else if verbose {
                    cx.io.out(format!("removed '{f}'\n"));
                }
            }
        }
    }
    exit(code)
}

fn copy_tree(cx: &mut Cx, from: &str, to: &str) -> Result<(), FsError> {
    match cx.fs.stat(from).ok_or(FsError::NotFound)? {
        Node::File { data, .. } => {
            // A new copy takes the source's permissions (less the umask); a file copied over
            // keeps its own.
            let new = !cx.fs.exists(to);
            cx.fs.write_file(to, data)?;
            match cx.fs.mode(from) {
                Some(m) if new => cx.fs.set_mode(to, m & !0o022),
                _ => Ok(()),
            }
        }
        Node::Dir { .. } => {
            if !cx.fs.is_dir(to) {
                cx.fs.mkdir(to, false)?;
            }
            for (name, _) in cx.fs.list(from)? {
                copy_tree(cx, &format!("{from}/{name}"), &format!("{to}/{name}"))?;
            }
            Ok(())
        }
    }
}

fn cp_mv(cx: &mut Cx, util: &str) -> Outcome {
    let (flags, ops) = split_flags(cx.args);
    let known = if util == "cp" { "rRfvaipn" } else { "fvin" };
    if bad_option(
        cx,
        util,
        &flags,
        known,
        &["--recursive", "--force", "--verbose"],
    ) {
        return exit(1);
    }
    let recursive = util == "mv" || has(&flags, &["r", "R", "a", "--recursive"]);
    match ops.len() {
        0 => {
            cx.io.err(format!(
                "{util}: missing file operand\nTry '{util} --help' for more information.\n"
            ));
            return exit(1);
        }
        1 => {
            cx.io.err(format!("{util}: missing destination file operand after '{}'\nTry '{util} --help' for more information.\n", ops[0]));
            return exit(1);
        }
        _ => {}
    }
    let (srcs, dest) = ops.split_at(ops.len() - 1);
    let dest = &dest[0];
    let dest_abs = cx.path(dest);
    let dest_is_dir = cx.fs.is_dir(&dest_abs);
    if srcs.len() > 1 && !dest_is_dir {
        cx.io
            .err(format!("{util}: target '{dest}': Not a directory\n"));
        return exit(1);
    }
    let mut code = 0;
    for s in srcs {
        let sp = cx.path(s);
        let Some(node) = cx.fs.stat(&sp) else {
            let verb = if util == "cp" { "stat" } else { "stat" };
            cx.io.err(format!(
                "{util}: cannot {verb} '{s}': No such file or directory\n"
            ));
            code = 1;
            continue;
        };
        if matches!(node, Node::Dir { .. }) && !recursive {
            cx.io
                .err(format!("cp: -r not specified; omitting directory '{s}'\n"));
            code = 1;
            continue;
        }
        let target = if dest_is_dir {
            format!("{}/{}", dest_abs.trim_end_matches('/'), base_name(&sp))
        } else {
            dest_abs.clone()
        };
        if target == sp {
            if util == "cp" {
                cx.io
                    .err(format!("cp: '{s}' and '{dest}' are the same file\n"));
                code = 1;
            }
            continue;
        }
        if matches!(node, Node::Dir { .. }) && target.starts_with(&format!("{sp}/")) {
            cx.io.err(format!(
                "{util}: cannot {} '{s}' to a subdirectory of itself, '{dest}'\n",
                if util == "cp" {
                    "copy a directory,"
                } else {
                    "move"
                }
            ));
            code = 1;
            continue;
        }
        let r = if util == "cp" {
            copy_tree(cx, &sp, &target)
        } else {
            cx.fs.rename(&sp, &target)
        };
        if let Err(e) = r {
            let shown = if dest_is_dir {
                format!("{}/{}", dest.trim_end_matches('/'), base_name(&sp))
            } else {
                dest.clone()
            };
            let what = if util == "cp" {
                "cannot create regular file"
            } else {
                "cannot move"
            };
            if util == "cp" {
                cx.io.err(format!("cp: {what} '{shown}': {}\n", e.text()));
            } else {
                cx.io
                    .err(format!("mv: {what} '{s}' to '{shown}': {}\n", e.text()));
            }
            code = 1;
        }
    }
    exit(code)
}

fn cp(cx: &mut Cx) -> Outcome {
    cp_mv(cx, "cp")
}

fn mv(cx: &mut Cx) -> Outcome {
    cp_mv(cx, "mv")
}

fn touch(cx: &mut Cx) -> Outcome {
    let (_, ops) = split_flags(cx.args);
    if ops.is_empty() {
        cx.io
            .err("touch: missing file operand\nTry 'touch --help' for more information.\n");
        return exit(1);
    }
    let mut code = 0;
    for f in &ops {
        let p = cx.path(f);
        if let Err(e) = cx.fs.touch(&p) {
            cx.io.err(if cx.busybox {
                // busybox's touch.c: bb_simple_perror_msg(file).
                format!("touch: {f}: {}\n", e.text())
            } else {
                format!("touch: cannot touch '{f}': {}\n", e.text())
            });
            code = 1;
        }
    }
    exit(code)
}

fn tee(cx: &mut Cx) -> Outcome {
    let (flags, ops) = split_flags(cx.args);
    let append = has(&flags, &["a", "--append"]);
    let data = cx.stdin();
    let mut code = 0;
    for f in &ops {
        let p = cx.path(f);
        let r = if append {
            cx.fs.append(&p, &data)
        } else {
            cx.fs.write_file(&p, data.clone())
        };
        if let Err(e) = r {
            cx.io.err(format!("tee: {f}: {}\n", e.text()));
            code = 1;
        }
    }
    cx.io.out(data);
    exit(code)
}

/// `chmod [-R] [-v] [-c] [-f] MODE[,MODE]... FILE...`. MODE is octal (up to four digits) or
/// symbolic: `[ugoa]*` then `+`, `-` or `=` with `rwxXst` or one of `ugo` to copy, as often
/// as wanted. Without `ugoa`, `+` and `=` leave the bits of root's umask (022) alone.
fn chmod(cx: &mut Cx) -> Outcome {
    let (mut recursive, mut verbose, mut changes, mut quiet) = (false, false, false, false);
    let mut mode: Option<String> = None;
    let mut files = Vec::new();
    let mut only_ops = false;
    for a in cx.args {
        let a = a.as_str();
        if only_ops || !a.starts_with('-') || a == "-" {
            if mode.is_none() {
                mode = Some(a.to_string());
            } else {
                files.push(a.to_string());
            }
            continue;
        }
        match a {
            "--" => only_ops = true,
            "--recursive" => recursive = true,
            "--verbose" => verbose = true,
            "--changes" => changes = true,
            "--silent" | "--quiet" => quiet = true,
            long if long.starts_with("--") => {
                cx.io.err(format!(
                    "chmod: unrecognized option '{long}'\nTry 'chmod --help' for more information.\n"
                ));
                return exit(1);
            }
            // `-x`, `-w`, `-rwx`...: a mode, as GNU chmod reads it.
            m if mode.is_none() && m[1..].bytes().all(|b| b"rwxXst".contains(&b)) => {
                mode = Some(m.to_string())
            }
            flags => {
                for c in flags[1..].chars() {
                    match c {
                        'R' => recursive = true,
                        'v' => verbose = true,
                        'c' => changes = true,
                        'f' => quiet = true,
                        c => {
                            cx.io.err(format!(
                                "chmod: invalid option -- '{c}'\nTry 'chmod --help' for more information.\n"
                            ));
                            return exit(1);
                        }
                    }
                }
            }
        }
    }
    let Some(mode) = mode else {
        cx.io
            .err("chmod: missing operand\nTry 'chmod --help' for more information.\n");
        return exit(1);
    };
    if files.is_empty() {
        cx.io.err(format!(
            "chmod: missing operand after ‘{mode}’\nTry 'chmod --help' for more information.\n"
        ));
        return exit(1);
    }
    if apply_mode(&mode, 0o644, false).is_none() {
        cx.io.err(format!(
            "chmod: invalid mode: ‘{mode}’\nTry 'chmod --help' for more information.\n"
        ));
        return exit(1);
    }
    let mut code = 0;
    for f in &files {
        let mut todo = vec![(f.clone(), cx.path(f))];
        while let Some((shown, abs)) = todo.pop() {
            let (Some(old), Some(node)) = (cx.fs.mode(&abs), cx.fs.stat(&abs)) else {
                if !quiet {
                    cx.io.err(format!(
                        "chmod: cannot access '{shown}': No such file or directory\n"
                    ));
                }
                code = 1;
                continue;
            };
            let dir = matches!(node, Node::Dir { .. });
            let new = apply_mode(&mode, old, dir).unwrap_or(old);
            let _ = cx.fs.set_mode(&abs, new);
            if verbose || (changes && new != old) {
                let how = if new == old {
                    "retained as"
                } else {
                    "changed from"
                };
                let to = if new == old {
                    String::new()
                } else {
                    format!(" to {new:04o} ({})", &mode_string(&node, new)[1..])
                };
                cx.io.out(format!(
                    "mode of '{shown}' {how} {old:04o} ({}){to}\n",
                    &mode_string(&node, old)[1..]
                ));
            }
            if recursive && dir {
                let mut children = cx.fs.list(&abs).unwrap_or_default();
                children.reverse();
                for (name, _) in children {
                    let sep = if shown.ends_with('/') { "" } else { "/" };
                    todo.push((
                        format!("{shown}{sep}{name}"),
                        format!("{}/{name}", abs.trim_end_matches('/')),
                    ));
                }
            }
        }
    }
    exit(code)
}

/// The permission bits `mode` (a `chmod` argument) makes of `old`; `None` when it is not a
/// mode.
fn apply_mode(mode: &str, old: u32, dir: bool) -> Option<u32> {
    if !mode.is_empty() && mode.bytes().all(|b| b.is_ascii_digit()) {
        if mode.len() > 4 || mode.bytes().any(|b| b > b'7') {
            return None;
        }
        return u32::from_str_radix(mode, 8).ok();
    }
    const UMASK: u32 = 0o022;
    let mut m = old;
    for clause in mode.split(',') {
        let b = clause.as_bytes();
        let mut i = 0;
        let mut who = 0u32;
        while let Some(c) = b.get(i) {
            who |= match c {
                b'u' => 0o4700,
                b'g' => 0o2070,
                b'o' => 0o1007,
                b'a' => 0o7777,
                _ => break,
            };
            i += 1;
        }
        let masked = who == 0;
        if masked {
            who = 0o7777;
        }
        if i == b.len() {
            return None;
        }
        while i < b.len() {
            let op = b[i];
            if !matches!(op, b'+' | b'-' | b'=') {
                return None;
            }
            i += 1;
            let mut bits = 0u32;
            // A copy of another class's bits: `g=u`.
            if let Some(&c @ (b'u' | b'g' | b'o')) = b.get(i) {
                let shift = match c {
                    b'u' => 6,
                    b'g' => 3,
                    _ => 0,
                };
                let rwx = (m >> shift) & 7;
                bits = rwx << 6 | rwx << 3 | rwx;
                i += 1;
            } else {
                while let Some(c) = b.get(i) {
                    bits |= match c {
                        b'r' => 0o444,
                        b'w' => 0o222,
                        b'x' => 0o111,
                        b'X' if dir || m & 0o111 != 0 => 0o111,
                        b'X' => 0,
                        b's' => 0o6000,
                        b't' => 0o1000,
                        _ => break,
                    };
                    i += 1;
                }
            }
            let mut bits = bits & who;
            if masked {
                bits &= !UMASK;
            }
            m = match op {
                b'+' => m | bits,
                b'-' => m & !bits,
                // `=` clears the class's permission bits (a directory keeps its set-id bits).
                _ => {
                    let keep = if dir { 0o6000 } else { 0 };
                    (m & !(who & (0o777 | (0o7000 & !keep)))) | bits
                }
            };
        }
    }
    Some(m)
}
