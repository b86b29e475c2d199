//! `kubectl completion SHELL`, a script that hooks kubectl's completion into a shell, and
//! the hidden `kubectl __complete ARGS... WORD` those scripts call: the candidates for WORD,
//! one per line, then `:N`, the directive of cobra's completion protocol. On the page the
//! Tab key completes kubectl by itself (`crate::complete`), from the same candidates.

use super::{fail, help, parse_flags, usage_error, Cx, Exec};
use crate::complete::{kubectl_words, View};

const BASH: &str = r#"# bash completion for kubectl                              -*- shell-script -*-
#
# Load it into this shell:   source <(kubectl completion bash)
# and into every new one:    echo 'source <(kubectl completion bash)' >> ~/.bashrc
# For an alias:              alias k=kubectl
#                            complete -o default -F __start_kubectl k
#
# The candidates come from kubectl itself: `kubectl __complete ARGS... WORD` prints those
# for WORD, one per line, then `:N` (what to do next: 4 = no file names, 8 = file names
# with the extensions listed).

__start_kubectl()
{
    kubectl __complete "$@"
}

complete -o default -F __start_kubectl kubectl
"#;

const ZSH: &str = r#"#compdef kubectl
compdef _kubectl kubectl

# zsh completion for kubectl: the candidates come from `kubectl __complete ARGS... WORD`,
# one per line, then `:N`, the directive.
_kubectl()
{
    local -a candidates
    candidates=(${(f)"$(kubectl __complete "${words[@]:1}" 2>/dev/null)"})
    candidates=(${candidates:#:*})
    _describe 'kubectl' candidates
}
"#;

const FISH: &str = r#"# fish completion for kubectl: the candidates come from `kubectl __complete ARGS... WORD`,
# one per line, then `:N`, the directive.
complete -c kubectl -f -a '(kubectl __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null | string match -v -r "^:")'
"#;

const POWERSHELL: &str = r#"# powershell completion for kubectl: the candidates come from
# `kubectl __complete ARGS... WORD`, one per line, then `:N`, the directive.
Register-ArgumentCompleter -CommandName 'kubectl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = $commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() }
    kubectl __complete @words $wordToComplete 2>$null | Where-Object { $_ -notlike ':*' } |
        ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
}
"#;

static DOC: help::Doc = help::Doc {
    path: "kubectl completion",
    long: "Output shell completion code for the specified shell (bash, zsh, fish, or powershell). The shell code must be evaluated to provide interactive completion of kubectl commands. This can be done by sourcing it from the .bash_profile.\n\n On the kubeplay page, Tab completes kubectl without it.",
    examples: "  # Load the kubectl completion code for bash into the current shell\n  source <(kubectl completion bash)\n\n  # Write bash completion code to a file and source it from .bash_profile\n  kubectl completion bash > ~/.kube/completion.bash.inc\n  printf \"\n  # kubectl shell completion\n  source '$HOME/.kube/completion.bash.inc'\n  \" >> $HOME/.bash_profile\n  source $HOME/.bash_profile",
    usage: "kubectl completion SHELL",
    subcommands: &[],
};

pub fn completion(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let path = DOC.path;
    let a = match parse_flags(cx, &DOC, &[], args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    match a.positional.as_slice() {
        [] => usage_error(cx.out, path, "Shell not specified."),
        [shell] => {
            let script = match shell.as_str() {
                "bash" => BASH,
                "zsh" => ZSH,
                "fish" => FISH,
                "powershell" => POWERSHELL,
                other => {
                    return usage_error(
                        cx.out,
                        path,
                        format!("Unsupported shell type \"{other}\"."),
                    )
                }
            };
            cx.out.out(script);
            Exec::Done(0)
        }
        _ => usage_error(
            cx.out,
            path,
            "Too many arguments. Expected only the shell type.",
        ),
    }
}

/// `kubectl __complete ARGS... WORD` (and `__completeNoDesc`, without the descriptions).
pub fn complete(cx: &mut Cx<'_>, args: &[String], descriptions: bool) -> Exec {
    let Some((word, before)) = args.split_last() else {
        return fail(cx.out, "__complete needs the word to complete");
    };
    let before: Vec<&str> = before.iter().map(String::as_str).collect();
    // A file name for -f: cobra hands it back to the shell, naming the extensions.
    if matches!(before.last(), Some(&("-f" | "--filename"))) {
        cx.out.out("json\nyaml\nyml\n:8\n");
        cx.out
            .err("Completion ended with directive: ShellCompDirectiveFilterFileExt\n");
        return Exec::Done(0);
    }
    let view = View {
        world: cx.world,
        fs: cx.fs,
        namespace: cx.namespace,
    };
    let mut candidates = kubectl_words(&view, &before, word);
    candidates.retain(|c| c.starts_with(word.as_str()));
    candidates.sort();
    candidates.dedup();
    let verb = before.iter().all(|a| a.starts_with('-'));
    let mut out = String::new();
    for c in candidates {
        out.push_str(&c);
        let short = help::COMMANDS.iter().find(|k| k.name == c).map(|k| k.short);
        if let (true, true, Some(short)) = (descriptions, verb, short) {
            out.push('\t');
            out.push_str(short);
        }
        out.push('\n');
    }
    out.push_str(":4\n");
    cx.out.out(out);
    cx.out
        .err("Completion ended with directive: ShellCompDirectiveNoFileComp\n");
    Exec::Done(0)
}
