//! kubectl: parses a command line the way cobra does, resolves it against the world, and
//! prints what kubectl prints.

mod apply;
mod create_config;
pub mod describe;
pub mod flags;
pub mod get;

use crate::fs::Vfs;
use crate::session::Output;
use kubeplay_api::{ApiError, Reason};
use kubeplay_core::time::Millis;
use kubeplay_core::World;

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

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let Some(verb) = args.first() else {
        cx.out
            .out("kubectl controls the Kubernetes cluster manager.\n");
        return Exec::Done(0);
    };
    let rest = &args[1..];
    match verb.as_str() {
        "apply" => apply::run(cx, rest),
        "get" => get::run(cx, rest),
        "describe" => describe::run(cx, rest),
        "create" if matches!(rest.first().map(String::as_str), Some("configmap" | "cm")) => {
            create_config::configmap(cx, &rest[1..])
        }
        "create" if rest.first().map(String::as_str) == Some("secret") => {
            create_config::secret(cx, &rest[1..])
        }
        other => {
            cx.out.err(format!(
                "error: unknown command \"{other}\" for \"kubectl\"\n"
            ));
            Exec::Done(1)
        }
    }
}

/// Print an API error the way kubectl's `CheckErr` does. `source` is the `-f` file, if any,
/// for `error when creating "x.yaml": `.
pub fn print_api_error(out: &mut Output, e: &ApiError, source: Option<(&str, &str)>) {
    let prefix = source
        .map(|(verb, file)| format!("error when {verb} \"{file}\": "))
        .unwrap_or_default();
    match e.reason {
        Reason::Invalid => out.err(format!("{}\n", e.message)),
        r => out.err(format!(
            "Error from server ({}): {prefix}{}\n",
            r.as_str(),
            e.message
        )),
    }
}
