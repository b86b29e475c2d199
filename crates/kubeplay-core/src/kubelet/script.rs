//! `sh -c SCRIPT` inside a container, run by kubeplay-sh's resumable interpreter.

use super::process::{Poll, ProcCx};

/// A shell script process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    pub text: String,
    pub args: Vec<String>,
}

impl Script {
    pub fn new(text: &str, args: &[String]) -> Script {
        Script {
            text: text.to_string(),
            args: args.to_vec(),
        }
    }

    pub fn resume(&mut self, cx: &mut ProcCx<'_>) -> Poll {
        cx.out.push_str("sh: scripts are not supported yet\n");
        Poll::Exit(2)
    }
}
