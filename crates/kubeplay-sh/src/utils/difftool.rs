//! `diff` (GNU diffutils 3.8): two files (or `-`), in the normal or unified format, with its
//! exit status: 0 the same, 1 different, 2 trouble.

use super::{exit, Cx, Outcome};
use crate::diff;
use crate::vfs::Node;

const TRY: &str = "diff: Try 'diff --help' for more information.\n";

pub(super) fn diff(cx: &mut Cx) -> Outcome {
    let mut unified: Option<usize> = None;
    let (mut new_file, mut brief, mut same_report) = (false, false, false);
    let mut ops: Vec<String> = Vec::new();
    let mut it = cx.args.iter();
    let mut only_ops = false;
    while let Some(a) = it.next() {
        if only_ops || a == "-" || !a.starts_with('-') {
            ops.push(a.clone());
            continue;
        }
        let bad = |cx: &mut Cx, msg: String| {
            cx.io.err(format!("diff: {msg}\n{TRY}"));
            exit(2)
        };
        match a.as_str() {
            "--" => only_ops = true,
            "--unified" => unified = Some(3),
            "--new-file" => new_file = true,
            "--brief" => brief = true,
            "--report-identical-files" => same_report = true,
            _ if a.starts_with("--unified=") || a.starts_with("-U") => {
                let n = match a.strip_prefix("--unified=").or(a.strip_prefix("-U")) {
                    Some("") => it.next().map(String::as_str).unwrap_or(""),
                    Some(n) => n,
                    None => "",
                };
                match n.parse() {
                    Ok(n) => unified = Some(n),
                    Err(_) => return bad(cx, format!("invalid context length '{n}'")),
                }
            }
            _ if a.starts_with("--") => {
                return bad(cx, format!("unrecognized option '{a}'"));
            }
            _ => {
                for c in a[1..].chars() {
                    match c {
                        'u' => unified = Some(unified.unwrap_or(3)),
                        'N' => new_file = true,
                        'q' => brief = true,
                        's' => same_report = true,
                        _ => return bad(cx, format!("invalid option -- '{c}'")),
                    }
                }
            }
        }
    }
    match ops.len() {
        0 | 1 => {
            let after = ops.first().map_or("diff", String::as_str);
            cx.io
                .err(format!("diff: missing operand after '{after}'\n{TRY}"));
            return exit(2);
        }
        2 => {}
        _ => {
            cx.io
                .err(format!("diff: extra operand '{}'\n{TRY}", ops[2]));
            return exit(2);
        }
    }
    // A directory against a file compares the file of that name inside it.
    let mut names = [ops[0].clone(), ops[1].clone()];
    for i in 0..2 {
        let other = &names[1 - i];
        if other != "-"
            && names[i] != "-"
            && cx.fs.is_dir(&cx.path(&names[i]))
            && !cx.fs.is_dir(&cx.path(other))
        {
            let base = other.rsplit('/').next().unwrap_or(other).to_string();
            names[i] = format!("{}/{base}", names[i].trim_end_matches('/'));
        }
    }
    let mut texts = Vec::with_capacity(2);
    for name in &names {
        if name == "-" {
            let d = cx.stdin();
            texts.push((String::from_utf8_lossy(&d).into_owned(), cx.now_ms));
            continue;
        }
        match cx.fs.stat(&cx.path(name)) {
            Some(Node::File { data, mtime }) => {
                texts.push((String::from_utf8_lossy(&data).into_owned(), mtime * 1000))
            }
            Some(Node::Dir { .. }) => {
                cx.io.err(format!("diff: {name}: Is a directory\n"));
                return exit(2);
            }
            None if new_file => texts.push((String::new(), 0)),
            None => {
                cx.io
                    .err(format!("diff: {name}: No such file or directory\n"));
                return exit(2);
            }
        }
    }
    let ((a, at), (b, bt)) = (&texts[0], &texts[1]);
    if a == b {
        if same_report {
            cx.io.out(format!(
                "Files {} and {} are identical\n",
                names[0], names[1]
            ));
        }
        return exit(0);
    }
    if brief {
        cx.io
            .out(format!("Files {} and {} differ\n", names[0], names[1]));
        return exit(1);
    }
    let out = match unified {
        Some(context) => {
            format!(
                "--- {}\t{}\n+++ {}\t{}\n{}",
                names[0],
                diff::file_time(*at),
                names[1],
                diff::file_time(*bt),
                diff::unified(a, b, context)
            )
        }
        None => diff::normal(a, b),
    };
    cx.io.out(out);
    exit(1)
}
