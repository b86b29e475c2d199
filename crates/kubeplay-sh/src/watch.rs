//! `watch [options] command`: procps-ng's watch, as a shell loop. Each round clears the
//! screen (the page's terminal then shows only that round, as watch's full-screen view does),
//! prints watch's title line, then the command's output (run by `sh -c`, stderr with it), and
//! sleeps the interval in virtual time, until Ctrl+C.

use crate::interp::quote_single as quote;

/// The usage text procps-ng 4.0.2 prints (to stderr, exit 1) without a command.
const USAGE: &str = "
Usage:
 watch [options] command

Options:
  -b, --beep             beep if command has a non-zero exit
  -c, --color            interpret ANSI color and style sequences
  -d, --differences[=<permanent>]
                         highlight changes between updates
  -e, --errexit          exit if command has a non-zero exit
  -g, --chgexit          exit when output from command changes
  -q, --equexit <cycles>
                         exit when output from command does not change
  -n, --interval <secs>  seconds to wait between updates
  -p, --precise          attempt run command in precise intervals
  -t, --no-title         turn off header
  -w, --no-wrap          turn off line wrapping
  -x, --exec             pass command to exec instead of \"sh -c\"

 -h, --help     display this help and exit
 -v, --version  output version information and exit

For more details see watch(1).
";

/// What `watch ARGS` does: the script that runs it, or what to print and the exit status.
pub enum Watch {
    Script(String),
    Print { out: String, err: String, code: i32 },
}

/// `columns`: the terminal's width, which the title line's date is aligned to.
pub fn watch(args: &[String], columns: usize) -> Watch {
    let fail = |err: String| Watch::Print {
        out: String::new(),
        err,
        code: 1,
    };
    let mut interval = 2.0f64;
    let (mut title, mut chgexit, mut errexit) = (true, false, false);
    let mut exec = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if a.starts_with("--") => (f, Some(v.to_string())),
            _ => (a, None),
        };
        match flag {
            "--" => break,
            "-h" | "--help" => {
                return Watch::Print {
                    out: USAGE.to_string(),
                    err: String::new(),
                    code: 0,
                }
            }
            "-v" | "--version" => {
                return Watch::Print {
                    out: "watch from procps-ng 4.0.2\n".into(),
                    err: String::new(),
                    code: 0,
                }
            }
            "-t" | "--no-title" => title = false,
            "-g" | "--chgexit" => chgexit = true,
            "-e" | "--errexit" => errexit = true,
            "-x" | "--exec" => exec = true,
            "-b" | "--beep" | "-c" | "--color" | "-d" | "--differences" | "-p" | "--precise"
            | "-w" | "--no-wrap" => {}
            f if f == "-n" || f == "--interval" || (f.starts_with("-n") && f.len() > 2) => {
                let v = match (inline, f.strip_prefix("-n").filter(|v| !v.is_empty())) {
                    (Some(v), _) => v,
                    (None, Some(v)) => v.to_string(),
                    (None, None) => match args.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => {
                            return fail(format!(
                                "watch: option requires an argument -- 'n'\n{USAGE}"
                            ))
                        }
                    },
                };
                match v.trim().parse::<f64>() {
                    Ok(n) if n.is_finite() => interval = n.clamp(0.1, 2_678_400.0),
                    _ => {
                        return fail(format!(
                            "watch: failed to parse argument: '{v}': Invalid argument\n"
                        ))
                    }
                }
            }
            _ => {
                let c = flag.trim_start_matches('-').chars().next().unwrap_or('?');
                return fail(if flag.starts_with("--") {
                    format!("watch: unrecognized option '{flag}'\n{USAGE}")
                } else {
                    format!("watch: invalid option -- '{c}'\n{USAGE}")
                });
            }
        }
    }
    let command = &args[i..];
    if command.is_empty() {
        return fail(USAGE.to_string());
    }
    let shown = command.join(" ");
    // `-x` runs the words as they are; otherwise `sh -c` gets them joined by spaces.
    let run = if exec {
        command
            .iter()
            .map(|w| quote(w))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        format!("sh -c {}", quote(&shown))
    };
    let left = format!("Every {interval:.1}s: {shown}");
    // The right side is `host: Fri Nov 27 10:15:59 2026`: the host's name and 24 characters.
    let right_len = "controlplane: ".len() + 24;
    let pad = columns
        .saturating_sub(left.chars().count() + right_len)
        .max(1);
    let mut s = String::from("__prev=; __first=1\nwhile :; do\n");
    s.push_str(&format!("__out=$({run} 2>&1; printf x); __rc=$?\n"));
    s.push_str("printf '\\033[H\\033[2J'\n");
    if title {
        s.push_str(&format!(
            "printf '%s%{pad}s%s\\n\\n' {} '' \"$(hostname): $(date '+%a %b %e %H:%M:%S %Y')\"\n",
            quote(&left)
        ));
    }
    s.push_str("printf '%s' \"${__out%x}\"\n");
    if errexit {
        s.push_str("if [ \"$__rc\" != 0 ]; then exit 8; fi\n");
    }
    if chgexit {
        s.push_str("if [ -z \"$__first\" ] && [ \"$__out\" != \"$__prev\" ]; then exit 0; fi\n");
    }
    s.push_str(&format!(
        "__prev=$__out; __first=\nsleep {interval}\ndone\n"
    ));
    Watch::Script(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn options_and_their_errors_are_procps() {
        let Watch::Print { err, code, .. } = watch(&args(&["-n", "abc", "date"]), 80) else {
            panic!("an error");
        };
        assert_eq!(
            (err.as_str(), code),
            (
                "watch: failed to parse argument: 'abc': Invalid argument\n",
                1
            )
        );
        let Watch::Print { err, code, .. } = watch(&[], 80) else {
            panic!("usage");
        };
        assert!(err.starts_with("\nUsage:\n watch [options] command\n"));
        assert_eq!(code, 1);
        let Watch::Script(s) = watch(&args(&["-n1", "kubectl", "get", "pods"]), 80) else {
            panic!("a script");
        };
        assert!(s.contains("sh -c 'kubectl get pods'"), "{s}");
        assert!(s.contains("'Every 1.0s: kubectl get pods'"), "{s}");
        assert!(s.contains("sleep 1\n"), "{s}");
    }
}
