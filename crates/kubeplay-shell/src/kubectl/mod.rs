//! kubectl: parses a command line the way cobra does, resolves it against the world, and
//! prints what kubectl prints.
//!
//! The dispatcher below finds the command word (global flags such as `-n dev` may come first,
//! as cobra allows), and hands the rest to the command. To add a command: one line in
//! [`dispatch`] and, if kubectl has it, it is already listed in [`help::COMMANDS`].

mod apply;
mod completion;
mod create_config;
mod create_deployment;
pub mod describe;
mod diff;
mod exec;
pub mod explain;
mod expose;
pub mod flags;
mod get;
pub mod help;
mod logs;
mod pods;
pub mod resource;
mod rollout;
mod run;
mod scale;
mod set_env;

pub mod create;
mod delete;
pub mod edit;
mod info;
mod label;
pub mod merge;
mod output;
mod patch;
mod replace;
mod wait;

use crate::fs::Vfs;
use crate::session::Output;
use kubeplay_api::{ApiError, Reason};
use kubeplay_core::time::Millis;
use kubeplay_core::World;

/// The annotation `--record` writes and `rollout history` shows.
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// `--record`'s `ChangeCauseRecorder`: the command line into the object's change-cause.
pub fn record(a: &flags::Args, command: &str, obj: &mut kubeplay_api::Object) {
    if a.bool("record") {
        obj.meta_mut()
            .annotations
            .get_or_insert_with(Default::default)
            .insert(CHANGE_CAUSE.into(), a.change_cause(command));
    }
}

/// The verbs that work on files alone (`--local`) refuse a server-side dry run so.
pub const LOCAL_SERVER_DRY_RUN: &str =
    "cannot specify --local and --dry-run=server - did you mean --dry-run=client?";

/// What a command gets to work with.
pub struct Cx<'a> {
    pub world: &'a mut World,
    pub fs: &'a mut Vfs,
    pub namespace: &'a mut String,
    pub out: &'a mut Output,
    /// Standard input, when something is piped or redirected in.
    pub stdin: Option<Vec<u8>>,
}

/// How a command ended, or that it is waiting for virtual time to pass.
pub enum Exec {
    Done(i32),
    Wait(Box<dyn Waiter>),
}

/// A command that waits on the world: polled after every change, and at the time it asks for.
pub trait Waiter {
    /// Look at the world; print what there is to print; `Some(status)` when finished.
    fn poll(&mut self, world: &World, out: &mut Output) -> Option<i32>;
    /// A time at which to be polled even if nothing changes.
    fn wake_at(&self) -> Option<Millis>;
    /// `kubectl exec -it POD -- sh`: the id of the container shell the terminal should now
    /// talk to (see [`crate::Session::prompt`]).
    fn attach(&self) -> Option<u64> {
        None
    }
    /// Once `poll` gave `status` (or, for a command attached to a container shell, that
    /// shell ended with it): what the command still does with the world before it ends
    /// (`kubectl run --rm` deletes its pod; `-it` attaches the terminal once the pod runs).
    fn finish(&mut self, _world: &mut World, status: i32, _out: &mut Output) -> Exec {
        Exec::Done(status)
    }
}

/// `sleep N`.
pub struct Sleep {
    pub until: Millis,
}

impl Waiter for Sleep {
    fn poll(&mut self, world: &World, _out: &mut Output) -> Option<i32> {
        (world.now() >= self.until).then_some(0)
    }
    fn wake_at(&self) -> Option<Millis> {
        Some(self.until)
    }
}

/// Global flags that take a value, so that `kubectl -n dev get pods` finds `get`.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "namespace",
    "context",
    "cluster",
    "user",
    "kubeconfig",
    "server",
    "request-timeout",
    "as",
    "as-group",
    "as-uid",
    "token",
    "cache-dir",
    "certificate-authority",
    "client-certificate",
    "client-key",
    "tls-server-name",
    "username",
    "password",
    "profile",
    "profile-output",
    "log-flush-frequency",
    "v",
];
const GLOBAL_SHORT_WITH_VALUE: &[char] = &['n', 's', 'v'];

/// cobra's `Find`: split arguments into the (sub)command word and the rest, flags typed before
/// the word kept in order at the front of the rest. A flag without `=` takes the next word as
/// its value when it is a global flag with a value or one of `own` (the parent command's flags)
/// that is not boolean: `kubectl -n dev rollout status x`, `kubectl create -o yaml cm x`.
pub(crate) fn find_command(args: &[String], own: &[flags::Flag]) -> (Option<String>, Vec<String>) {
    let valued = |f: &flags::Flag| f.kind != flags::FlagKind::Bool && f.no_opt.is_none();
    let long_takes_value =
        |n: &str| GLOBAL_WITH_VALUE.contains(&n) || own.iter().any(|f| f.long == n && valued(f));
    let short_takes_value = |c: char| {
        GLOBAL_SHORT_WITH_VALUE.contains(&c) || own.iter().any(|f| f.short == Some(c) && valued(f))
    };
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            rest.extend(args[i - 1..].iter().cloned());
            return (None, rest);
        }
        let takes_value = if let Some(body) = a.strip_prefix("--") {
            !body.contains('=') && long_takes_value(body)
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            chars.len() == 1 && short_takes_value(chars[0])
        } else {
            rest.extend(args[i..].iter().cloned());
            return (Some(a.clone()), rest);
        };
        rest.push(a.clone());
        if takes_value {
            if let Some(v) = args.get(i) {
                rest.push(v.clone());
                i += 1;
            }
        }
    }
    (None, rest)
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    // The hidden command completion scripts call takes its words as they are.
    match args.first().map(String::as_str) {
        Some("__complete") => return completion::complete(cx, &args[1..], true),
        Some("__completeNoDesc") => return completion::complete(cx, &args[1..], false),
        _ => {}
    }
    let (verb, rest) = find_command(args, &[]);
    let Some(verb) = verb else {
        // `kubectl`, `kubectl -h`, `kubectl --foo`.
        return match flags::parse("kubectl", &[], &rest) {
            Ok(_) | Err(flags::FlagError::Help) => {
                cx.out.out(help::overview());
                Exec::Done(0)
            }
            Err(flags::FlagError::Usage(msg)) => {
                cx.out.err(msg);
                Exec::Done(1)
            }
        };
    };
    dispatch(cx, &verb, &rest)
}

fn dispatch(cx: &mut Cx<'_>, verb: &str, rest: &[String]) -> Exec {
    match verb {
        "annotate" => label::run(cx, rest, label::Which::Annotations),
        "api-resources" => info::api_resources(cx, rest),
        "api-versions" => info::api_versions(cx, rest),
        "apply" => apply::run(cx, rest),
        "diff" => diff::run(cx, rest),
        "logs" => logs::run(cx, rest),
        "run" => run::run(cx, rest),
        "expose" => expose::run(cx, rest),
        "exec" => exec::run(cx, rest),
        "cluster-info" => info::cluster_info(cx, rest),
        "completion" => completion::completion(cx, rest),
        "config" => info::config(cx, rest),
        "create" => create::run(cx, rest),
        "delete" => delete::run(cx, rest),
        "edit" => edit::run(cx, rest),
        "get" => get::run(cx, rest),
        "describe" => describe::run(cx, rest),
        "explain" => explain::run(cx, rest),
        "help" => help::help_command(cx, rest),
        "label" => label::run(cx, rest, label::Which::Labels),
        "patch" => patch::run(cx, rest),
        "replace" => replace::run(cx, rest),
        "rollout" => rollout::run(cx, rest),
        "scale" => scale::scale(cx, rest),
        "set" => scale::set(cx, rest),
        "version" => info::version(cx, rest),
        "wait" => wait::run(cx, rest),
        other => help::unknown_or_unavailable(cx, other, rest),
    }
}

/// Print `error: <msg>` (kubectl's `CheckErr` adds the prefix unless it is there) and fail.
pub fn fail(out: &mut Output, msg: impl AsRef<str>) -> Exec {
    let msg = msg.as_ref();
    let mut s = if msg.starts_with("error: ") {
        msg.to_string()
    } else {
        format!("error: {msg}")
    };
    if !s.ends_with('\n') {
        s.push('\n');
    }
    out.err(s);
    Exec::Done(1)
}

/// A usage error as `cmdutil.UsageErrorf` words it: `error: <msg>` then
/// `See 'kubectl create -h' for help and examples`.
pub fn usage_error(out: &mut Output, cmd: &str, msg: impl AsRef<str>) -> Exec {
    fail(
        out,
        format!("{}\nSee '{cmd} -h' for help and examples", msg.as_ref()),
    )
}

/// Parse a command's flags, printing help or the usage error when parsing stops. `doc` is the
/// command's help page.
pub fn parse_flags(
    cx: &mut Cx<'_>,
    doc: &help::Doc,
    flags_: &[flags::Flag],
    args: &[String],
) -> Result<flags::Args, Exec> {
    match flags::parse(doc.path, flags_, args) {
        Ok(a) => {
            for w in a.deprecation_warnings() {
                cx.out.err(w);
            }
            Ok(a)
        }
        Err(flags::FlagError::Help) => {
            cx.out.out(help::render(doc, flags_));
            Err(Exec::Done(0))
        }
        Err(flags::FlagError::Usage(msg)) => {
            cx.out.err(msg);
            Err(Exec::Done(1))
        }
    }
}

/// The object a write verb shows: `obj` itself when it only prints (`--local`, a list,
/// `--dry-run=client`), else what the server made of it (under `--dry-run=server`, without
/// storing it).
pub fn send_update(
    cx: &mut Cx<'_>,
    obj: kubeplay_api::Object,
    only_print: bool,
    dry: DryRun,
) -> Result<kubeplay_api::Object, VerbError> {
    if only_print {
        return Ok(obj);
    }
    cx.world
        .update(obj, dry == DryRun::Server)
        .map(|(o, _)| o)
        .map_err(|e| VerbError::Api(e, None))
}

/// A command group (`rollout`, `set`, `config`) given a word that is none of its
/// subcommands: kubectl names all the words it was given that are not flags.
pub fn unknown_subcommand(out: &mut Output, group: &str, args: &[String]) -> Exec {
    let mut words = Vec::new();
    let mut rest = args.to_vec();
    while let (Some(word), after) = find_command(&rest, &[]) {
        words.push(word);
        rest = after;
    }
    fail(
        out,
        format!(
            "unknown command \"{}\"\nSee '{group} -h' for help and examples",
            words.join(" ")
        ),
    )
}

/// `--validate` as kubectl reads it (strict when not given).
pub fn validation_of(a: &flags::Args) -> Result<kubeplay_api::decode::Validation, String> {
    kubeplay_api::decode::Validation::parse(a.str("validate"))
}

/// The namespace a command works in: `-n`, else the context's.
pub fn namespace_of(cx: &Cx<'_>, a: &flags::Args) -> String {
    a.namespace()
        .filter(|n| !n.is_empty())
        .map(String::from)
        .unwrap_or_else(|| cx.namespace.clone())
}

/// `--dry-run` as kubectl reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

impl DryRun {
    /// The suffix of a printed operation: `created (dry run)`.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// `GetDryRunStrategy`. A bare `--dry-run` and the old boolean values still work (kubectl
/// logs a deprecation warning through klog, which kubeplay does not imitate).
pub fn dry_run_of(a: &flags::Args) -> Result<DryRun, String> {
    match a.str("dry-run") {
        None | Some("none") => Ok(DryRun::None),
        Some("client") | Some("unchanged") => Ok(DryRun::Client),
        Some("server") => Ok(DryRun::Server),
        Some("1" | "t" | "T" | "true" | "TRUE" | "True") => Ok(DryRun::Client),
        Some("0" | "f" | "F" | "false" | "FALSE" | "False") => Ok(DryRun::None),
        Some(other) => Err(format!(
            "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
        )),
    }
}

/// One failure of a verb that goes on after errors (`ContinueOnError`): kubectl prints them
/// all at the end, after the successes.
#[derive(Clone, Debug)]
pub enum VerbError {
    /// From the API server; with the `-f` source and the verb (`creating`) for
    /// `error when creating "x.yaml": `.
    Api(ApiError, Option<(&'static str, String)>),
    /// A client-side message, without the `error: ` prefix.
    Msg(String),
}

/// Print collected errors as `CheckErr` does: one error alone gets `error: ` (client) or the
/// server form; several are printed one per line (client ones without the prefix, each
/// followed by a newline even if its message ends in one).
/// Returns the exit status.
pub fn print_errors(out: &mut Output, errs: &[VerbError]) -> i32 {
    let single = errs.len() == 1;
    for e in errs {
        match e {
            VerbError::Api(e, src) => {
                print_api_error(out, e, src.as_ref().map(|(v, f)| (*v, f.as_str())))
            }
            VerbError::Msg(m) if single => {
                let mut m = if m.starts_with("error: ") {
                    m.clone()
                } else {
                    format!("error: {m}")
                };
                if !m.ends_with('\n') {
                    m.push('\n');
                }
                out.err(m);
            }
            // `MultipleErrors`: each message and a newline, even after one that has its own.
            VerbError::Msg(m) => out.err(format!("{m}\n")),
        }
    }
    i32::from(!errs.is_empty())
}

/// Print an API error the way kubectl's `CheckErr` does. `source` is the `-f` file, if any,
/// for `error when creating "x.yaml": `.
pub fn print_api_error(out: &mut Output, e: &ApiError, source: Option<(&str, &str)>) {
    let prefix = source
        .map(|(verb, file)| format!("error when {verb} \"{file}\": "))
        .unwrap_or_default();
    match e.reason {
        // CheckErr words a field-level rejection itself: `The <Kind> "<name>" is invalid: ...`.
        Reason::Invalid if !e.kind.is_empty() => out.err(format!("The {}\n", e.message)),
        Reason::Invalid => out.err(format!("{}\n", e.message)),
        r => out.err(format!(
            "Error from server ({}): {prefix}{}\n",
            r.as_str(),
            e.message
        )),
    }
}

/// Arguments for the tests, as a command line gives them.
#[cfg(test)]
pub(crate) fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::strs as s;

    #[test]
    fn global_flags_may_come_before_the_command() {
        let (c, rest) = find_command(&s(&["-n", "dev", "get", "pods"]), &[]);
        assert_eq!(c.as_deref(), Some("get"));
        assert_eq!(rest, s(&["-n", "dev", "pods"]));
        let (c, rest) = find_command(&s(&["--namespace=dev", "get", "pods"]), &[]);
        assert_eq!(c.as_deref(), Some("get"));
        assert_eq!(rest, s(&["--namespace=dev", "pods"]));
        let (c, _) = find_command(&s(&["-h"]), &[]);
        assert_eq!(c, None);
    }
}
