//! Command-line flags as cobra/pflag parse them for kubectl: `--flag=value`, `--flag value`,
//! `-n ns`, `-nns`, combined short booleans (`-it`), flags before or after positionals, and
//! `--` ending the flags. Parsing only checks what was typed; what the flags mean is the
//! command's business.
//!
//! ```text
//! static FLAGS: &[Flag] = &[Flag::str("image", None), Flag::int("replicas", Some('r'))];
//! let args = flags::parse("kubectl create deployment", FLAGS, &argv)?;
//! let image = args.str("image");
//! ```

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    Bool,
    /// A single value; the last one given wins.
    Str,
    /// A 32-bit integer (pflag `Int32`), checked at parse time.
    Int,
    /// Repeatable; each occurrence is one value (pflag `StringArray`).
    Array,
    /// Repeatable; each occurrence is split at commas (pflag `StringSlice`).
    Slice,
}

#[derive(Clone, Copy, Debug)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
    /// The value a bare `--flag` takes (pflag `NoOptDefVal`), e.g. `--dry-run` → `unchanged`.
    /// Such a flag never consumes the next word as its value.
    pub no_opt: Option<&'static str>,
    /// The default the command's help shows, where it is not the kind's zero value (or the
    /// one most commands share, [`super::help`]): `--tail=-1`, `--replicas=1`.
    pub shown: Option<&'static str>,
}

impl Flag {
    const fn new(long: &'static str, short: Option<char>, kind: FlagKind) -> Flag {
        Flag {
            long,
            short,
            kind,
            no_opt: None,
            shown: None,
        }
    }
    pub const fn bool(long: &'static str, short: Option<char>) -> Flag {
        Flag::new(long, short, FlagKind::Bool)
    }
    pub const fn str(long: &'static str, short: Option<char>) -> Flag {
        Flag::new(long, short, FlagKind::Str)
    }
    pub const fn int(long: &'static str, short: Option<char>) -> Flag {
        Flag::new(long, short, FlagKind::Int)
    }
    pub const fn array(long: &'static str, short: Option<char>) -> Flag {
        Flag::new(long, short, FlagKind::Array)
    }
    pub const fn slice(long: &'static str, short: Option<char>) -> Flag {
        Flag::new(long, short, FlagKind::Slice)
    }
    pub const fn with_no_opt(mut self, v: &'static str) -> Flag {
        self.no_opt = Some(v);
        self
    }
    /// The default the help shows, as kubectl prints it (`'Always'`, `-1`, `1m0s`).
    pub const fn shows(mut self, default: &'static str) -> Flag {
        self.shown = Some(default);
        self
    }
}

/// Flags every kubectl command accepts.
pub static GLOBAL: &[Flag] = &[
    Flag::str("namespace", Some('n')),
    Flag::str("context", None),
    Flag::str("cluster", None),
    Flag::str("user", None),
    Flag::str("kubeconfig", None),
    Flag::str("server", Some('s')),
    Flag::str("request-timeout", None),
    Flag::str("as", None),
    Flag::str("token", None),
    Flag::str("cache-dir", None),
    Flag::bool("insecure-skip-tls-verify", None),
    Flag::bool("match-server-version", None),
    Flag::bool("warnings-as-errors", None),
    Flag::int("v", Some('v')),
    Flag::bool("help", Some('h')),
];

/// Flags kubectl still accepts but marks deprecated (cobra prints a warning when one is used).
const DEPRECATED: &[(&str, &str)] = &[("record", "--record will be removed in the future")];

/// Common flag sets, to be chained into a command's own list.
pub static DRY_RUN: Flag = Flag::str("dry-run", None).with_no_opt("unchanged");
pub static OUTPUT: Flag = Flag::str("output", Some('o'));
pub static FILENAME: Flag = Flag::slice("filename", Some('f'));
pub static SELECTOR: Flag = Flag::str("selector", Some('l'));
pub static ALL_NAMESPACES: Flag = Flag::bool("all-namespaces", Some('A'));

/// What was typed, sorted out.
#[derive(Clone, Debug, Default)]
pub struct Args {
    pub positional: Vec<String>,
    /// How many positionals came before `--` (cobra's `ArgsLenAtDash`), if `--` was typed.
    pub dash_at: Option<usize>,
    values: BTreeMap<&'static str, Vec<String>>,
    /// Every flag as typed, in order, by long name, with the value it got.
    seen: Vec<(&'static str, String)>,
}

/// Why parsing stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlagError {
    /// `-h`/`--help` was given: print the command's help.
    Help,
    /// A usage error, already worded as kubectl prints it (ends with a newline).
    Usage(String),
}

impl Args {
    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }
    /// A boolean flag's value (`--watch`, `--watch=false`).
    pub fn bool(&self, long: &str) -> bool {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .is_some_and(|v| parse_bool(v) == Some(true))
    }
    pub fn str(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
    pub fn int(&self, long: &str) -> Option<i64> {
        self.str(long).and_then(|s| parse_int(s).ok())
    }
    /// Every value of a repeatable flag, in order (slices already split at commas).
    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }
    /// The namespace from `-n`, if given.
    pub fn namespace(&self) -> Option<&str> {
        self.str("namespace")
    }
    /// What `--record` writes into `kubernetes.io/change-cause` (cmdutil's
    /// `parseCommandArguments`): `kubectl`, the command words, the positional arguments, then
    /// every flag typed, in order, by long name with its value:
    /// `kubectl set image deploy/web nginx=nginx:1.26 --record=true`.
    pub fn change_cause(&self, command: &str) -> String {
        let mut s = format!("kubectl {command}");
        for p in &self.positional {
            s.push(' ');
            s.push_str(p);
        }
        for (name, value) in &self.seen {
            s.push_str(&format!(" --{name}={value}"));
        }
        s
    }
    /// The deprecated flags that were used, with cobra's warning for each.
    pub fn deprecation_warnings(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (name, _) in &self.seen {
            if let Some((_, why)) = DEPRECATED.iter().find(|(n, _)| n == name) {
                let w = format!("Flag --{name} has been deprecated, {why}\n");
                if !out.contains(&w) {
                    out.push(w);
                }
            }
        }
        out
    }
    /// Positionals before `--` and after it (`kubectl exec POD -- CMD...`).
    pub fn split_at_dash(&self) -> (&[String], &[String]) {
        match self.dash_at {
            Some(n) => self.positional.split_at(n.min(self.positional.len())),
            None => (&self.positional[..], &[]),
        }
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// `strconv.ParseInt(s, 0, 32)`.
fn parse_int(s: &str) -> Result<i64, &'static str> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, digits) =
        if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, h)
        } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, b)
        } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, o)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    let digits = digits.replace('_', "");
    if digits.is_empty() {
        return Err("invalid syntax");
    }
    let v = i64::from_str_radix(&digits, radix).map_err(|_| "invalid syntax")?;
    let v = if neg { -v } else { v };
    if v > i32::MAX as i64 || v < i32::MIN as i64 {
        return Err("value out of range");
    }
    Ok(v)
}

fn usage(cmd: &str, msg: String) -> FlagError {
    FlagError::Usage(format!("error: {msg}\nSee '{cmd} --help' for usage.\n"))
}

/// Parse `args` (the words after the command path `cmd`, e.g. `kubectl get`) against the
/// command's flags plus the global ones.
pub fn parse(cmd: &str, flags: &[Flag], args: &[String]) -> Result<Args, FlagError> {
    let all: Vec<&Flag> = flags.iter().chain(GLOBAL.iter()).collect();
    let by_long = |n: &str| all.iter().copied().find(|f| f.long == n);
    let by_short = |c: char| all.iter().copied().find(|f| f.short == Some(c));
    let mut out = Args::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            out.dash_at = Some(out.positional.len());
            out.positional.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(f) = by_long(name) else {
                return Err(usage(cmd, format!("unknown flag: --{name}")));
            };
            let value = match (inline, f.kind, f.no_opt) {
                (Some(v), _, _) => v,
                (None, FlagKind::Bool, _) => "true".into(),
                (None, _, Some(d)) => d.into(),
                (None, _, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => return Err(usage(cmd, format!("flag needs an argument: --{name}"))),
                },
            };
            set(&mut out, f, value, &format!("--{}", f.long), cmd)?;
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            // A run of shorthands: `-it`, `-n=ns`, `-nns`, `-o json`.
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                let Some(f) = by_short(c) else {
                    return Err(usage(cmd, format!("unknown shorthand flag: '{c}' in {a}")));
                };
                let rest: String = chars[j..].iter().collect();
                let value = if let Some(v) = rest.strip_prefix('=') {
                    j = chars.len();
                    v.to_string()
                } else if f.kind == FlagKind::Bool {
                    "true".into()
                } else if !rest.is_empty() {
                    j = chars.len();
                    rest
                } else if let Some(d) = f.no_opt {
                    d.into()
                } else {
                    match args.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => {
                            return Err(usage(cmd, format!("flag needs an argument: '{c}' in {a}")))
                        }
                    }
                };
                set(&mut out, f, value, &format!("-{c}"), cmd)?;
            }
            continue;
        }
        out.positional.push(a.clone());
    }
    if out.bool("help") {
        return Err(FlagError::Help);
    }
    Ok(out)
}

fn set(out: &mut Args, f: &Flag, value: String, _typed: &str, cmd: &str) -> Result<(), FlagError> {
    let invalid = |detail: String| {
        usage(
            cmd,
            format!(
                "invalid argument \"{value}\" for \"{}\" flag: {detail}",
                flag_display(f)
            ),
        )
    };
    match f.kind {
        FlagKind::Bool => {
            if parse_bool(&value).is_none() {
                return Err(invalid(format!(
                    "strconv.ParseBool: parsing \"{value}\": invalid syntax"
                )));
            }
        }
        FlagKind::Int => {
            if let Err(e) = parse_int(&value) {
                return Err(invalid(format!(
                    "strconv.ParseInt: parsing \"{value}\": {e}"
                )));
            }
        }
        _ => {}
    }
    out.seen.push((f.long, value.clone()));
    let slot = out.values.entry(f.long).or_default();
    match f.kind {
        FlagKind::Slice => slot.extend(value.split(',').map(String::from)),
        FlagKind::Array => slot.push(value),
        _ => {
            slot.clear();
            slot.push(value);
        }
    }
    Ok(())
}

/// pflag names a flag in errors as `-n, --namespace` when it has a shorthand.
fn flag_display(f: &Flag) -> String {
    match f.short {
        Some(c) => format!("-{c}, --{}", f.long),
        None => format!("--{}", f.long),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static F: &[Flag] = &[
        Flag::str("image", None),
        Flag::int("replicas", Some('r')),
        Flag::bool("stdin", Some('i')),
        Flag::bool("tty", Some('t')),
        Flag::str("output", Some('o')),
        Flag::array("from-literal", None),
        Flag::slice("filename", Some('f')),
        Flag::str("dry-run", None).with_no_opt("unchanged"),
    ];

    fn p(args: &[&str]) -> Result<Args, FlagError> {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse("kubectl test", F, &v)
    }

    #[test]
    fn long_short_and_combined() {
        let a = p(&[
            "web",
            "--image=nginx",
            "-r",
            "3",
            "-it",
            "-ojson",
            "-n",
            "dev",
            "extra",
        ])
        .unwrap();
        assert_eq!(a.positional, vec!["web", "extra"]);
        assert_eq!(a.str("image"), Some("nginx"));
        assert_eq!(a.int("replicas"), Some(3));
        assert!(a.bool("stdin") && a.bool("tty"));
        assert_eq!(a.str("output"), Some("json"));
        assert_eq!(a.namespace(), Some("dev"));
    }

    #[test]
    fn arrays_slices_and_dash() {
        let a = p(&[
            "--from-literal=a=1,2",
            "--from-literal",
            "b=3",
            "-f",
            "x.yaml,y.yaml",
            "pod",
            "--",
            "sh",
            "-c",
            "echo hi",
        ])
        .unwrap();
        assert_eq!(a.all("from-literal"), vec!["a=1,2", "b=3"]);
        assert_eq!(a.all("filename"), vec!["x.yaml", "y.yaml"]);
        let (before, after) = a.split_at_dash();
        assert_eq!(before, ["pod"]);
        assert_eq!(after, ["sh", "-c", "echo hi"]);
    }

    #[test]
    fn no_opt_default_does_not_eat_the_next_word() {
        let a = p(&["--dry-run", "client"]).unwrap();
        assert_eq!(a.str("dry-run"), Some("unchanged"));
        assert_eq!(a.positional, vec!["client"]);
        assert_eq!(
            p(&["--dry-run=client"]).unwrap().str("dry-run"),
            Some("client")
        );
    }

    #[test]
    fn errors_are_worded_as_kubectl() {
        assert_eq!(
            p(&["--foo"]).unwrap_err(),
            FlagError::Usage(
                "error: unknown flag: --foo\nSee 'kubectl test --help' for usage.\n".into()
            )
        );
        assert_eq!(
            p(&["-x"]).unwrap_err(),
            FlagError::Usage(
                "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl test --help' for usage.\n"
                    .into()
            )
        );
        assert_eq!(
            p(&["--image"]).unwrap_err(),
            FlagError::Usage(
                "error: flag needs an argument: --image\nSee 'kubectl test --help' for usage.\n"
                    .into()
            )
        );
        assert_eq!(
            p(&["-n"]).unwrap_err(),
            FlagError::Usage(
                "error: flag needs an argument: 'n' in -n\nSee 'kubectl test --help' for usage.\n"
                    .into()
            )
        );
        assert_eq!(
            p(&["--replicas=abc"]).unwrap_err(),
            FlagError::Usage("error: invalid argument \"abc\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl test --help' for usage.\n".into())
        );
        assert_eq!(p(&["-h"]).unwrap_err(), FlagError::Help);
    }
}
