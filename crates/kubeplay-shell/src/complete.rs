//! Tab completion for the terminal: commands, kubectl's verbs, subcommands and flags, resource
//! types, object names, namespaces and files.
//!
//! kubectl's verbs come from [`help::COMMANDS`]; subcommands and flags from the command's own
//! `--help` page (run once in a scratch session and remembered), so completion offers exactly
//! what the command accepts.

use crate::kubectl::flags::{self, FlagKind};
use crate::kubectl::help;
use crate::Session;
use kubeplay_api::registry::{self, RESOURCES};
use kubeplay_sort::Collect as _;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// What Tab can do with the word before the cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset in the line where the word being completed starts.
    pub start: usize,
    /// Every candidate for that word, sorted, without duplicates.
    pub candidates: Vec<String>,
}

impl Completion {
    /// The longest prefix all candidates share (what one Tab inserts).
    pub fn common_prefix(&self) -> &str {
        let Some(first) = self.candidates.first() else {
            return "";
        };
        let mut n = first.len();
        for c in &self.candidates[1..] {
            n = n.min(
                first
                    .char_indices()
                    .zip(c.chars())
                    .take_while(|((_, a), b)| a == b)
                    .last()
                    .map_or(0, |((i, a), _)| i + a.len_utf8()),
            );
        }
        &first[..n]
    }

    /// The line after one Tab: the word replaced by the single candidate (and a space), or by
    /// the candidates' common prefix.
    pub fn apply(&self, line: &str) -> String {
        let mut out = line[..self.start].to_string();
        match self.candidates.as_slice() {
            [] => return line.to_string(),
            [one] => {
                out.push_str(one);
                if !one.ends_with('/') && !one.ends_with('=') {
                    out.push(' ');
                }
            }
            _ => {
                let p = self.common_prefix();
                if p.len() < line.len() - self.start {
                    return line.to_string();
                }
                out.push_str(p);
            }
        }
        out
    }
}

/// Shell builtins and the utilities the shell has, for the command position. Utilities are
/// checked against the shell so none is offered that would not run.
const SHELL_WORDS: &[&str] = &[
    "alias", "awk", "base64", "cat", "cd", "chmod", "clear", "complete", "cp", "cut", "date",
    "declare", "diff", "echo", "env", "exit", "export", "expr", "false", "getopts", "grep", "head",
    "help", "history", "jobs", "jq", "kill", "let", "local", "ls", "mapfile", "mkdir", "mv",
    "nano", "paste", "printenv", "printf", "pwd", "read", "rm", "sed", "seq", "set", "sleep",
    "sort", "source", "tail", "tee", "touch", "tr", "trap", "true", "type", "uniq", "unset", "vi",
    "vim", "wait", "watch", "wc", "which", "xargs", "yes",
];

/// Words the shell itself runs (not utilities `kubeplay_sh::utils::exists` knows).
const SHELL_BUILTINS: &[&str] = &[
    "alias", "cd", "complete", "declare", "echo", "exit", "export", "false", "getopts", "help",
    "history", "jobs", "kill", "let", "local", "mapfile", "nano", "printf", "pwd", "read", "set",
    "sleep", "source", "trap", "true", "type", "unset", "vi", "vim", "wait", "watch",
];

const OUTPUT_FORMATS: &[&str] = &[
    "custom-columns=",
    "go-template=",
    "json",
    "jsonpath=",
    "name",
    "wide",
    "yaml",
];

/// Verbs whose first argument is a resource type and the next ones are names of that type.
const TYPE_THEN_NAMES: &[&str] = &[
    "annotate", "delete", "describe", "edit", "explain", "get", "label", "patch", "scale", "wait",
];

/// What a command's `--help` says it accepts.
#[derive(Clone, Default)]
struct HelpInfo {
    subcommands: Vec<String>,
    /// `--long` flags, and `-x` shorts, each with whether it takes a value.
    flags: Vec<(String, bool)>,
}

thread_local! {
    static HELP: RefCell<BTreeMap<String, HelpInfo>> = const { RefCell::new(BTreeMap::new()) };
}

/// Parse a kubectl help page: the names under `Available Commands:` and the flags under
/// `Options:` (`    -f, --filename=[]:`).
fn parse_help(text: &str) -> HelpInfo {
    let mut info = HelpInfo::default();
    let mut section = "";
    for line in text.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            section = line;
            continue;
        }
        match section {
            "Available Commands:" => {
                if let Some(w) = line.split_whitespace().next() {
                    info.subcommands.push(w.to_string());
                }
            }
            "Options:" => {
                let t = line.trim_start();
                if !t.starts_with('-') || !t.ends_with(':') {
                    continue;
                }
                let t = &t[..t.len() - 1];
                for part in t.split(", ") {
                    let (name, value) = match part.split_once('=') {
                        Some((n, v)) => (n, !v.starts_with("false") && !v.starts_with("true")),
                        None => (part, false),
                    };
                    if name.starts_with('-') {
                        info.flags.push((name.to_string(), value));
                    }
                }
            }
            _ => {}
        }
    }
    info
}

/// The help page of `kubectl <path>`, parsed, from a scratch session (remembered).
fn help_of(path: &[&str]) -> HelpInfo {
    let key = path.join(" ");
    if let Some(h) = HELP.with(|m| m.borrow().get(&key).cloned()) {
        return h;
    }
    let mut s = Session::new(0);
    s.feed_line(&format!("kubectl {key} --help"));
    let text: String = s
        .take_output()
        .into_iter()
        .filter(|c| c.stream == crate::Stream::Out)
        .map(|c| c.text)
        .collect();
    let info = parse_help(&text);
    HELP.with(|m| m.borrow_mut().insert(key, info.clone()));
    info
}

fn resource_words() -> Vec<String> {
    let mut v = Vec::new();
    for r in RESOURCES {
        v.push(r.plural.to_string());
        v.push(r.singular.to_string());
        v.extend(r.short_names.iter().map(|s| s.to_string()));
    }
    v
}

/// What completing kubectl's words looks at: the cluster, the files and the namespace.
pub(crate) struct View<'a> {
    pub world: &'a kubeplay_core::World,
    pub fs: &'a kubeplay_sh::Vfs,
    pub namespace: &'a str,
}

impl<'a> View<'a> {
    fn of(s: &'a Session) -> View<'a> {
        View {
            world: &s.world,
            fs: &s.fs,
            namespace: &s.namespace,
        }
    }
}

/// Names of objects of `typed` (any spelling kubectl accepts) in `ns`.
fn object_names(s: &View<'_>, typed: &str, ns: &str) -> Vec<String> {
    let Some(info) = registry::lookup(typed) else {
        return Vec::new();
    };
    let ns = if info.namespaced { Some(ns) } else { None };
    s.world
        .store
        .keys(info.kind, ns)
        .into_iter()
        .map(|(_, name)| name.into())
        .collect()
}

/// Files and directories (with a trailing `/`) that complete `word`.
fn file_words(s: &View<'_>, word: &str) -> Vec<String> {
    let (dir, _) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    let list_dir = if dir.is_empty() { "." } else { dir };
    match s.fs.list(list_dir) {
        Ok(entries) => entries
            .into_iter()
            .map(|(name, is_dir)| format!("{dir}{name}{}", if is_dir { "/" } else { "" }))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The words of `line` (split on blanks; a trailing blank starts an empty word), each with its
/// byte offset, from the last `|`, `;` or `&&` on.
fn words(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() || c == '|' || c == ';' || c == '&' {
            if let Some(st) = start.take() {
                out.push((st, &line[st..i]));
            }
            if c != ' ' && c != '\t' {
                out.clear();
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    match start {
        Some(st) => out.push((st, &line[st..])),
        None => out.push((line.len(), "")),
    }
    out
}

/// Completions for the last word of `line` (the text before the cursor).
pub fn complete(s: &Session, line: &str) -> Completion {
    let ws = words(line);
    let (start, word) = *ws.last().expect("words() always gives the current word");
    let before: Vec<&str> = ws[..ws.len() - 1].iter().map(|(_, w)| *w).collect();
    let mut cands: Vec<String> = if before.is_empty() {
        let mut v: Vec<String> = ["kubectl", "k", "docker"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(
            SHELL_WORDS
                .iter()
                .filter(|w| SHELL_BUILTINS.contains(w) || kubeplay_sh::utils::exists(w))
                .map(|w| w.to_string()),
        );
        v.extend(s.shell().aliases.keys().cloned());
        v
    } else if before[0] == "docker" {
        docker_words(&View::of(s), &before[1..], word)
    } else if let Some(args) = kubectl_args(s, &before) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        kubectl_words(&View::of(s), &args, word)
    } else {
        file_words(&View::of(s), word)
    };
    cands.retain(|c| c.starts_with(word));
    let set: BTreeSet<String> = cands.into_iter().collect_set();
    Completion {
        start,
        candidates: set.into_iter().collect(),
    }
}

/// Candidates for `word` after `docker` and `args`: its commands, `run`'s flags and the images
/// it can run (the first word that is not a flag), and files for `build`.
fn docker_words(s: &View<'_>, args: &[&str], word: &str) -> Vec<String> {
    const RUN_FLAGS: &[&str] = &[
        "--entrypoint",
        "--env",
        "--help",
        "--hostname",
        "--name",
        "--pull",
        "--quiet",
        "--rm",
        "--tty",
        "-e",
        "-h",
        "-q",
        "-t",
    ];
    const TAKES_VALUE: &[&str] = &[
        "--entrypoint",
        "--env",
        "--hostname",
        "--name",
        "--pull",
        "-e",
        "-h",
    ];
    match args.first() {
        None => ["build", "images", "run"].map(String::from).to_vec(),
        Some(&"run") => {
            let mut rest = args[1..].iter();
            while let Some(a) = rest.next() {
                if !a.starts_with('-') {
                    return Vec::new(); // the image is typed: its command is the container's
                }
                if TAKES_VALUE.contains(a) {
                    rest.next();
                }
            }
            if word.starts_with('-') {
                RUN_FLAGS.iter().map(|f| f.to_string()).collect()
            } else if args.last().is_some_and(|a| TAKES_VALUE.contains(a)) {
                Vec::new()
            } else {
                s.world.image_catalog().names()
            }
        }
        Some(&"build") if word.starts_with('-') => {
            ["--file", "--tag", "-f", "-t"].map(String::from).to_vec()
        }
        Some(&"build") => file_words(s, word),
        Some(_) => Vec::new(),
    }
}

/// kubectl's arguments in a line whose command is kubectl: by name (`kubectl`, `k`), through
/// an alias (`alias kgp='kubectl get pods'`), or completed as kubectl
/// (`complete -o default -F __start_kubectl kc`).
fn kubectl_args(s: &Session, before: &[&str]) -> Option<Vec<String>> {
    let (cmd, rest) = before.split_first()?;
    let sh = s.shell();
    let mut args: Vec<String> = match *cmd {
        "kubectl" | "k" => Vec::new(),
        _ if sh
            .completions
            .get(*cmd)
            .is_some_and(|spec| spec.split(' ').any(|w| w == "__start_kubectl")) =>
        {
            Vec::new()
        }
        _ => {
            let alias = sh.aliases.get(*cmd)?;
            let mut words = alias.split_whitespace();
            if words.next()? != "kubectl" {
                return None;
            }
            words.map(str::to_string).collect()
        }
    };
    args.extend(rest.iter().map(|w| w.to_string()));
    Some(args)
}

/// Candidates for `word` after kubectl's arguments `args`.
pub(crate) fn kubectl_words(s: &View<'_>, args: &[&str], word: &str) -> Vec<String> {
    // Split what was typed into positionals and the namespace flag, skipping flag values.
    let mut ns = s.namespace.to_string();
    let mut pos: Vec<&str> = Vec::new();
    let mut path: Vec<&str> = Vec::new();
    let mut i = 0;
    let mut value_of: Option<&str> = None;
    while i < args.len() {
        let a = args[i];
        if let Some(f) = value_of.take() {
            if f == "-n" || f == "--namespace" {
                ns = a.to_string();
            }
        } else if let Some(v) = a.strip_prefix("--namespace=") {
            ns = v.to_string();
        } else if a.starts_with('-') && a.len() > 1 {
            if !a.contains('=') && takes_value(&path, a) {
                value_of = Some(a);
            }
        } else {
            pos.push(a);
            // The verb, and a subcommand of a verb that has them, name the help page.
            if path.is_empty()
                || (path.len() == 1 && help_of(&path).subcommands.iter().any(|c| c == a))
            {
                path.push(a);
            }
        }
        i += 1;
    }
    // The word is a flag's value.
    if let Some(f) = value_of {
        return match f {
            "-n" | "--namespace" => object_names(s, "namespaces", ""),
            "-o" | "--output" => OUTPUT_FORMATS.iter().map(|x| x.to_string()).collect(),
            "-f" | "--filename" => file_words(s, word),
            "-c" | "--container" => Vec::new(),
            _ => Vec::new(),
        };
    }
    if word.starts_with('-') {
        if path.is_empty() {
            return Vec::new();
        }
        // The command's own flags (from its help page) and the global ones, which every
        // command takes.
        let global = flags::GLOBAL.iter().map(|f| {
            let value = !matches!(f.kind, FlagKind::Bool) && f.no_opt.is_none();
            (format!("--{}", f.long), value)
        });
        return help_of(&path)
            .flags
            .into_iter()
            .chain(global)
            .filter(|(f, _)| f.starts_with("--"))
            .map(|(f, value)| if value { format!("{f}=") } else { f })
            .collect();
    }
    let Some(&verb) = pos.first() else {
        return help::COMMANDS
            .iter()
            .filter(|c| c.available && c.name != "options")
            .map(|c| c.name.to_string())
            .chain(std::iter::once("options".to_string()))
            .collect();
    };
    let after = &pos[path.len()..];
    let h = help_of(&path);
    if path.len() == 1 && !h.subcommands.is_empty() {
        return h.subcommands;
    }
    let typed_resource = |after: &[&str]| -> Vec<String> {
        match after {
            [] => {
                // A type, or TYPE/NAME.
                if let Some((t, _)) = word.split_once('/') {
                    object_names(s, t, &ns)
                        .into_iter()
                        .map(|n| format!("{t}/{n}"))
                        .collect()
                } else {
                    resource_words()
                }
            }
            [t, ..] if !t.contains('/') => {
                t.split(',').flat_map(|t| object_names(s, t, &ns)).collect()
            }
            _ => Vec::new(),
        }
    };
    match verb {
        "logs" | "exec" | "attach" | "port-forward" => match after {
            [] => object_names(s, "pods", &ns),
            _ => Vec::new(),
        },
        "rollout" => match after {
            [] if !word.contains('/') => vec!["deployment".into(), "deploy".into()],
            _ => typed_resource(after),
        },
        "set" => typed_resource(after),
        "apply" | "create" | "replace" if path.len() == 1 => Vec::new(),
        v if TYPE_THEN_NAMES.contains(&v) => typed_resource(after),
        _ => Vec::new(),
    }
}

/// Whether flag `a` of `kubectl <path>` takes the next word as its value.
fn takes_value(path: &[&str], a: &str) -> bool {
    if matches!(
        a,
        "-n" | "--namespace" | "-o" | "--output" | "-f" | "--filename"
    ) {
        return true;
    }
    if path.is_empty() {
        return false;
    }
    help_of(path).flags.iter().any(|(f, v)| f == a && *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        let mut s = Session::new(1);
        s.fs.write(
            "web.yaml",
            b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"
                .to_vec(),
        );
        s.feed_line("kubectl apply -f web.yaml");
        s.take_output();
        s
    }

    fn cands(s: &Session, line: &str) -> Vec<String> {
        complete(s, line).candidates
    }

    #[test]
    fn commands_at_the_start() {
        let s = session();
        assert_eq!(cands(&s, "kub"), ["kubectl"]);
        assert!(cands(&s, "").contains(&"sleep".to_string()));
        assert_eq!(cands(&s, "wat"), ["watch"]);
        assert_eq!(cands(&s, "pas"), ["paste"]);
        assert_eq!(complete(&s, "kub").apply("kub"), "kubectl ");
        // After a pipe, the command position again.
        assert_eq!(cands(&s, "kubectl get pods | gre"), ["grep"]);
    }

    #[test]
    fn docker_commands_flags_and_images() {
        let mut s = session();
        assert_eq!(cands(&s, "dock"), ["docker"]);
        assert_eq!(cands(&s, "docker "), ["build", "images", "run"]);
        assert_eq!(cands(&s, "docker run --ent"), ["--entrypoint"]);
        assert_eq!(cands(&s, "docker run ubun"), ["ubuntu"]);
        // A flag's value, and the container's own words after the image, are not images.
        assert!(cands(&s, "docker run --name ").is_empty());
        assert!(cands(&s, "docker run --rm busybox ").is_empty());
        s.feed_line("docker run busybox:1.36 true");
        s.take_output();
        assert_eq!(cands(&s, "docker run -t busy"), ["busybox", "busybox:1.36"]);
    }

    #[test]
    fn aliases_and_complete_specs_complete_as_kubectl() {
        let mut s = session();
        for line in [
            "alias kgp='kubectl get pods'",
            "alias kc=kubectl",
            "complete -o default -F __start_kubectl kk",
        ] {
            s.feed_line(line);
        }
        assert_eq!(cands(&s, "kg"), ["kgp"]);
        assert_eq!(cands(&s, "kc ro"), ["rollout"]);
        assert_eq!(cands(&s, "kk rollout und"), ["undo"]);
        // `kgp` is `kubectl get pods`: what follows is a pod's name.
        let pods = cands(&s, "kgp web-");
        assert!(
            !pods.is_empty() && pods.iter().all(|p| p.starts_with("web-")),
            "{pods:?}"
        );
        // Not kubectl: files.
        assert_eq!(cands(&s, "cat we"), ["web.yaml"]);
    }

    #[test]
    fn verbs_subcommands_and_flags() {
        let s = session();
        assert_eq!(cands(&s, "kubectl ro"), ["rollout"]);
        assert_eq!(cands(&s, "k appl"), ["apply"]);
        let roll = cands(&s, "kubectl rollout ");
        for sub in ["history", "status", "undo"] {
            assert!(roll.contains(&sub.to_string()), "{roll:?}");
        }
        assert!(cands(&s, "kubectl create ").contains(&"deployment".to_string()));
        assert_eq!(cands(&s, "kubectl apply --filen"), ["--filename="]);
        // Global flags go with every command.
        assert_eq!(cands(&s, "kubectl get --namesp"), ["--namespace="]);
        assert_eq!(cands(&s, "kubectl apply --dry"), ["--dry-run="]);
    }

    #[test]
    fn resource_types_and_names() {
        let s = session();
        let t = cands(&s, "kubectl get dep");
        assert!(t.contains(&"deployments".to_string()) && t.contains(&"deploy".to_string()));
        assert_eq!(cands(&s, "kubectl get deploy "), ["web"]);
        assert_eq!(
            cands(&s, "kubectl describe deployment/w"),
            ["deployment/web"]
        );
        assert_eq!(cands(&s, "kubectl rollout status deploy "), ["web"]);
        assert_eq!(cands(&s, "kubectl -n default get deploy w"), ["web"]);
        assert_eq!(
            cands(&s, "kubectl get deploy -n kube-system "),
            Vec::<String>::new()
        );
        assert!(cands(&s, "kubectl get pods -n ").contains(&"kube-system".to_string()));
        assert_eq!(cands(&s, "kubectl get pods -o ya"), ["yaml"]);
    }

    #[test]
    fn files_after_f_and_for_other_commands() {
        let s = session();
        assert_eq!(cands(&s, "kubectl apply -f w"), ["web.yaml"]);
        assert_eq!(cands(&s, "cat we"), ["web.yaml"]);
        assert_eq!(complete(&s, "cat we").apply("cat we"), "cat web.yaml ");
    }

    #[test]
    fn several_candidates_complete_their_common_prefix() {
        let c = Completion {
            start: 4,
            candidates: vec!["deployment".into(), "deployments".into()],
        };
        assert_eq!(c.common_prefix(), "deployment");
        assert_eq!(c.apply("get dep"), "get deployment");
        let none = Completion::default();
        assert_eq!(none.apply("x"), "x");
    }
}
