//! Help pages, written for kubeplay in kubectl's layout (description, `Examples:`, `Options:`,
//! `Usage:`), the command overview that a bare `kubectl` prints, and cobra's handling of an
//! unknown command with its "Did you mean this?" suggestions.

use super::flags::{Flag, FlagKind};
use super::{Cx, Exec};

/// One kubectl command as the overview lists it.
pub struct Command {
    pub name: &'static str,
    pub group: &'static str,
    pub short: &'static str,
    /// kubeplay runs it.
    pub available: bool,
}

const fn c(
    name: &'static str,
    group: &'static str,
    short: &'static str,
    available: bool,
) -> Command {
    Command {
        name,
        group,
        short,
        available,
    }
}

const BEGINNER: &str = "Basic Commands (Beginner):";
const INTERMEDIATE: &str = "Basic Commands (Intermediate):";
const DEPLOY: &str = "Deploy Commands:";
const CLUSTER: &str = "Cluster Management Commands:";
const TROUBLE: &str = "Troubleshooting and Debugging Commands:";
const ADVANCED: &str = "Advanced Commands:";
const SETTINGS: &str = "Settings Commands:";
const OTHER: &str = "Other Commands:";

/// kubectl's commands in the order cobra registers them (which is the order suggestions are
/// listed in).
pub static COMMANDS: &[Command] = &[
    c(
        "create",
        BEGINNER,
        "Make a resource from a manifest or from flags",
        true,
    ),
    c(
        "expose",
        BEGINNER,
        "Put a Service in front of a deployment, replica set or pod",
        true,
    ),
    c("run", BEGINNER, "Start a pod running an image", true),
    c(
        "set",
        BEGINNER,
        "Change one feature of objects: image, env, resources...",
        true,
    ),
    c(
        "explain",
        INTERMEDIATE,
        "Show the fields of a resource and what they mean",
        true,
    ),
    c(
        "get",
        INTERMEDIATE,
        "List resources, or show one in detail",
        true,
    ),
    c("edit", INTERMEDIATE, "Change a resource in an editor", true),
    c(
        "delete",
        INTERMEDIATE,
        "Remove resources named by file, by name or by label selector",
        true,
    ),
    c(
        "rollout",
        DEPLOY,
        "Watch, pause, resume and undo rollouts",
        true,
    ),
    c(
        "scale",
        DEPLOY,
        "Change the replica count of a deployment or replica set",
        true,
    ),
    c(
        "autoscale",
        DEPLOY,
        "Scale a workload automatically (not simulated by kubeplay)",
        false,
    ),
    c(
        "certificate",
        CLUSTER,
        "Approve or deny certificate requests (not simulated)",
        false,
    ),
    c(
        "cluster-info",
        CLUSTER,
        "Show where the control plane runs",
        true,
    ),
    c(
        "top",
        CLUSTER,
        "Show CPU and memory use (not simulated)",
        false,
    ),
    c("cordon", CLUSTER, "Stop scheduling pods to a node", false),
    c(
        "uncordon",
        CLUSTER,
        "Allow scheduling pods to a node again",
        false,
    ),
    c(
        "drain",
        CLUSTER,
        "Evict a node's pods before maintenance",
        false,
    ),
    c("taint", CLUSTER, "Change the taints of nodes", false),
    c(
        "describe",
        TROUBLE,
        "Show a resource in detail, with its events",
        true,
    ),
    c("logs", TROUBLE, "Print what a container wrote", true),
    c(
        "attach",
        TROUBLE,
        "Connect to a container that is running",
        false,
    ),
    c("exec", TROUBLE, "Run a command inside a container", true),
    c(
        "port-forward",
        TROUBLE,
        "Forward local ports to a pod (not simulated)",
        false,
    ),
    c(
        "proxy",
        TROUBLE,
        "Proxy the API server locally (not simulated)",
        false,
    ),
    c("cp", TROUBLE, "Copy files to and from containers", false),
    c("auth", TROUBLE, "Check what you are allowed to do", false),
    c(
        "debug",
        TROUBLE,
        "Start a debugging container (not simulated)",
        false,
    ),
    c("events", TROUBLE, "List events", true),
    c("diff", ADVANCED, "Show what apply would change", true),
    c(
        "apply",
        ADVANCED,
        "Make resources match manifests (create or update)",
        true,
    ),
    c(
        "patch",
        ADVANCED,
        "Change fields of a resource with a patch",
        true,
    ),
    c(
        "replace",
        ADVANCED,
        "Swap a resource for the one in a manifest",
        true,
    ),
    c(
        "wait",
        ADVANCED,
        "Wait until resources meet a condition",
        true,
    ),
    c(
        "kustomize",
        ADVANCED,
        "Render a kustomization (not simulated)",
        false,
    ),
    c("label", SETTINGS, "Add, change or remove labels", true),
    c(
        "annotate",
        SETTINGS,
        "Add, change or remove annotations",
        true,
    ),
    c(
        "completion",
        SETTINGS,
        "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)",
        true,
    ),
    c("alpha", OTHER, "Commands for features in alpha", false),
    c(
        "api-resources",
        OTHER,
        "List the resource types the server serves",
        true,
    ),
    c(
        "api-versions",
        OTHER,
        "List the API versions the server serves, as group/version",
        true,
    ),
    c(
        "config",
        OTHER,
        "Show and change the kubeconfig: contexts and namespaces",
        true,
    ),
    c("plugin", OTHER, "Work with kubectl plugins", false),
    c("version", OTHER, "Print client and server versions", true),
    c(
        "options",
        OTHER,
        "List the flags every command accepts",
        true,
    ),
];

/// What a bare `kubectl` prints.
pub fn overview() -> String {
    let mut s = String::from(
        "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n",
    );
    let mut group = "";
    for cmd in COMMANDS
        .iter()
        .filter(|c| c.name != "alpha" && c.name != "options")
    {
        if cmd.group != group {
            if cmd.group == OTHER {
                s.push_str("\nSubcommands provided by plugins:\n");
            }
            s.push('\n');
            s.push_str(cmd.group);
            s.push('\n');
            group = cmd.group;
        }
        s.push_str(&format!("  {:<15} {}\n", cmd.name, cmd.short));
    }
    s.push_str("\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    s
}

/// A command's help page.
pub struct Doc {
    /// `kubectl create namespace`.
    pub path: &'static str,
    pub long: &'static str,
    pub examples: &'static str,
    /// After `Usage:`, without the leading two spaces.
    pub usage: &'static str,
    /// Subcommands, for a command that has them: (name, description).
    pub subcommands: &'static [(&'static str, &'static str)],
}

/// Render a help page: description, examples, subcommands, options, usage.
pub fn render(doc: &Doc, flags: &[Flag]) -> String {
    let mut s = String::new();
    s.push_str(doc.long.trim_end());
    s.push_str("\n\n");
    if !doc.examples.is_empty() {
        // `templates.Examples`: the lines' common indent taken off, then two spaces put on.
        let examples = doc.examples.trim_matches('\n');
        let indent = examples
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        s.push_str("Examples:\n");
        for line in examples.lines() {
            s.push_str("  ");
            s.push_str(line.get(indent..).unwrap_or("").trim_end());
            s.push('\n');
        }
        s.push('\n');
    }
    if !doc.subcommands.is_empty() {
        // cobra pads the names to the longest one, and to at least 11.
        let width = doc
            .subcommands
            .iter()
            .map(|(n, _)| n.len())
            .max()
            .unwrap_or(0)
            .max(11);
        s.push_str("Available Commands:\n");
        for (n, d) in doc.subcommands {
            s.push_str(&format!("  {n:<width$}   {d}\n"));
        }
        s.push('\n');
    }
    let mut sorted: Vec<&Flag> = flags.iter().collect();
    kubeplay_sort::sort_by_key(&mut sorted, |f| f.long);
    if !sorted.is_empty() {
        s.push_str("Options:\n");
        for f in sorted {
            let name = match f.short {
                Some(c) => format!("-{c}, --{}", f.long),
                None => format!("--{}", f.long),
            };
            s.push_str(&format!(
                "    {name}={}:\n\t{}\n\n",
                flag_default(doc.path, f),
                flag_doc(doc.path, f.long)
            ));
        }
    }
    s.push_str(&format!("Usage:\n  {}\n\n", doc.usage));
    if !doc.subcommands.is_empty() {
        s.push_str(&format!(
            "Use \"{} <command> --help\" for more information about a given command.\n",
            doc.path
        ));
    }
    s.push_str("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    s
}

fn flag_default(path: &str, f: &Flag) -> String {
    if let Some(d) = f.shown {
        return d.into();
    }
    if f.long == "field-manager" {
        // Each verb records its own manager name; apply's is the client-side apply one.
        let verb = path.split(' ').nth(1).unwrap_or("");
        return match verb {
            "apply" => "'kubectl-client-side-apply'".into(),
            "set" | "rollout" | "scale" => format!("'kubectl-{verb}'"),
            v => format!("'kubectl-{v}'"),
        };
    }
    let special = match f.long {
        "dry-run" => Some("'none'"),
        "grace-period" => Some("-1"),
        "cascade" => Some("'background'"),
        "validate" => Some("'strict'"),
        "allow-missing-template-keys" => Some("true"),
        "timeout" => Some("0s"),
        _ => None,
    };
    if let Some(s) = special {
        return s.into();
    }
    match f.kind {
        FlagKind::Bool => "false".into(),
        FlagKind::Str => "''".into(),
        FlagKind::Int => "0".into(),
        FlagKind::Array | FlagKind::Slice => "[]".into(),
    }
}

/// What each flag does, in kubeplay's words.
fn flag_doc(path: &str, long: &str) -> &'static str {
    // The flags whose meaning depends on the command.
    let verb = path.strip_prefix("kubectl ").unwrap_or(path);
    let specific = match (verb, long) {
        ("patch", "type") => "The patch type: strategic, merge or json.",
        ("expose", "type") => "The service's type: ClusterIP (the default), NodePort or LoadBalancer.",
        ("create secret generic", "type") => "The secret's type (Opaque when not given).",
        ("expose", "port") => "The port the service listens on (by default the port the pods declare).",
        ("run", "port") => "The port the container exposes.",
        ("create deployment", "port") => "The port the container exposes (-1: none).",
        ("create deployment", "image") => "The image of a container; give --image several times for several containers.",
        ("create deployment", "replicas") => "How many pods to run.",
        ("scale", "replicas") => "The number of pods wanted.",
        ("expose", "labels") => "Labels for the service (by default the resource's own).",
        ("run", "labels") => "Labels for the pod, as key=value,key2=value2 (by default run=NAME).",
        ("get", "watch") => "After listing, go on printing each change (Ctrl+C stops).",
        ("rollout status", "watch") => "Wait until the rollout is done; with --watch=false only print where it stands.",
        ("rollout history", "revision") => "Show one revision, with its pod template.",
        ("rollout status", "revision") => "Follow this revision's rollout; fail if the deployment moves to another (0: the latest).",
        ("rollout undo", "to-revision") => "The revision to go back to; 0 means the one before the current one.",
        ("set env", "env") => "Variables to set, as NAME=VALUE (or NAME- to remove one).",
        ("config view", "raw") => "Show the certificates and keys as they are, not as DATA+OMITTED.",
        ("config view", "merge") => "Merge the kubeconfig files named in KUBECONFIG (kubeplay has one).",
        ("config set-context", "cluster") => "The cluster the context talks to.",
        ("config set-context", "user") => "The user the context acts as.",
        ("config set-context", "namespace") => "The namespace commands use when no -n is given.",
        ("set env", "prefix") => "With --from, put this in front of each variable's name.",
        ("run", "env") => "Environment variables for the container, as NAME=VALUE.",
        ("exec", "container") | ("logs", "container") => {
            "The container to use; by default the one named in the pod's kubectl.kubernetes.io/default-container annotation, or the first."
        }
        _ => "",
    };
    if !specific.is_empty() {
        return specific;
    }
    match long {
        "all" => "Act on every object of the given types in the namespace.",
        "all-namespaces" => "Look in every namespace instead of the current one.",
        "allow-missing-template-keys" => "When a template or jsonpath refers to a field that is missing, print nothing for it instead of failing.",
        "annotations" => "Annotations to put on the object.",
        "cascade" => "What happens to objects the deleted one owns: \"background\" (removed after it), \"foreground\" (removed before it) or \"orphan\" (left behind).",
        "clusterip" => "The cluster IP to ask for; \"None\" makes a headless service.",
        "dry-run" => "\"client\" only prints what would be sent; \"server\" sends it without storing anything; \"none\" really does it.",
        "edit" => "Open the object in the editor before creating it.",
        "field-manager" => "The name recorded as the owner of the fields this command sets.",
        "field-selector" => "Filter on fields, e.g. metadata.name=web or status.phase=Running.",
        "filename" => "Manifest file, directory of manifests, or - for standard input.",
        "for" => "The condition to wait for: delete, condition=NAME[=VALUE], create, or jsonpath='{EXPR}'=VALUE.",
        "force" => "Remove at once without waiting for graceful termination (needs --grace-period=0 for pods).",
        "grace-period" => "Seconds a pod gets to stop. -1 uses the pod's own setting; 0 with --force removes it at once.",
        "ignore-not-found" => "Say nothing, and succeed, when the object does not exist.",
        "kustomize" => "A kustomization directory (not simulated by kubeplay).",
        "list" => "List the current labels or annotations instead of changing them.",
        "local" => "Work on the file only, without contacting the cluster.",
        "namespace" => "The namespace to work in.",
        "node-port" => "The port on every node that forwards to the service.",
        "now" => "Shorthand for --grace-period=1: stop pods almost at once.",
        "output" => "Output format: json, yaml, name, wide, jsonpath=..., custom-columns=... and more.",
        "overwrite" => "Allow replacing a value that is already set.",
        "patch" => "The patch itself, as JSON or YAML.",
        "patch-file" => "A file holding the patch.",
        "prune" => "Delete objects that are no longer in the manifests (not simulated).",
        "raw" => "Send the request to this raw URI instead (not simulated).",
        "record" => "Record the command line in the kubernetes.io/change-cause annotation (deprecated).",
        "recursive" => "Also read manifests in subdirectories of the -f directory.",
        "resource-version" => "Only change the object if it still has this resourceVersion.",
        "save-config" => "Keep the applied configuration in an annotation, so that a later apply can compute what to remove.",
        "selector" => "Label selector, e.g. -l app=web,tier!=cache.",
        "server-side" => "Let the server merge the change (server-side apply).",
        "show-managed-fields" => "Keep metadata.managedFields in YAML and JSON output.",
        "subresource" => "Act on a subresource such as status or scale.",
        "tcp" => "Ports as PORT or PORT:TARGET_PORT.",
        "template" => "The template for -o go-template or jsonpath output.",
        "timeout" => "How long to wait before giving up (0 means check once).",
        "type" => "The patch type: strategic, merge or json.",
        "validate" => "How to treat unknown or duplicate fields: strict (reject), warn or ignore.",
        "wait" => "Wait until the objects are really gone before returning.",
        "windows-line-endings" => "Use CRLF line endings in the editor.",
        "client" => "Only print the client version.",
        "current" => "Change the current context.",
        "minify" => "Only show what the current context uses.",
        "no-headers" => "Leave out the header row.",
        "api-group" => "Only show resources of this API group.",
        "namespaced" => "true: only namespaced resources; false: only cluster-wide ones.",
        "verbs" => "Only show resources that support these verbs.",
        "sort-by" => "Sort by this column: name or kind.",
        "cached" => "Use the cached list of resources.",
        "flatten" => "Inline file references in the output.",
        "raw-config" | "raw_config" => "Show secrets in the output.",
        "context" => "The kubeconfig context to use.",
        "cluster" => "The kubeconfig cluster to use.",
        "user" => "The kubeconfig user to use.",
        "help" => "Help for this command.",
        // logs
        "all-containers" => "The logs of every container of the pod, init containers too.",
        "follow" => "Keep printing new lines as they come (Ctrl+C stops).",
        "ignore-errors" => "With -f on several pods, keep going when one of them fails.",
        "limit-bytes" => "Stop after this many bytes (0: no limit).",
        "max-log-requests" => "With a selector, follow at most this many pods at once.",
        "pod-running-timeout" => "How long to wait for a pod to be running before giving up.",
        "prefix" => "Begin each line with the pod's and the container's name.",
        "previous" => "The logs of the container's previous run, e.g. before it crashed and restarted.",
        "since" => "Only lines newer than this, e.g. 5s, 2m or 3h (0s: all).",
        "tail" => "Only the last lines, this many (-1: all).",
        "timestamps" => "Begin each line with its RFC3339 timestamp.",
        // exec, run
        "stdin" => "Pass standard input to the container.",
        "tty" => "Give the container a terminal (with -i, for an interactive shell).",
        "quiet" => "Print only what the container prints.",
        "attach" => "Wait for the pod to start, then attach to it as kubectl attach does.",
        "command" => "The words after -- are the container's command (replacing the image's ENTRYPOINT), not its args.",
        "expose" => "Also create a ClusterIP service for the pod, on --port.",
        "image" => "The container image to run.",
        "image-pull-policy" => "When to pull the image: Always, IfNotPresent or Never.",
        "leave-stdin-open" => "Keep standard input open after the first attach ends.",
        "override-type" => "How --overrides is applied: json, merge or strategic.",
        "overrides" => "JSON to merge into the generated object, for fields that have no flag.",
        "privileged" => "Run the container privileged.",
        "restart" => "The pod's restartPolicy: Always, OnFailure or Never.",
        "rm" => "Delete the pod when the attached session ends.",
        // expose
        "cluster-ip" => "The cluster IP to ask for; \"None\" makes a headless service.",
        "external-name" => "The DNS name outside the cluster the service stands for.",
        "external-ip" => "An external IP the service also accepts traffic on.",
        "load-balancer-ip" => "The IP to ask the load balancer for (LoadBalancer services).",
        "name" => "The name of the new object.",
        "protocol" => "The protocol of the port: TCP, UDP or SCTP.",
        "session-affinity" => "None, or ClientIP to send a client to the same pod each time.",
        "target-port" => "The port on the pods the service sends traffic to.",
        // get, describe
        "chunk-size" => "Fetch long lists in chunks of this many objects (0: all at once).",
        "label-columns" => "Labels to show as columns of their own.",
        "output-watch-events" => "With --watch, print each change as a watch event (ADDED, MODIFIED, DELETED).",
        "server-print" => "Let the server say which columns to print.",
        "show-events" => "Show the object's recent events at the end.",
        "show-kind" => "Put the type in front of each name.",
        "show-labels" => "Show each object's labels as a last column.",
        "watch-only" => "Print only changes, not the list first.",
        "api-version" => "The API version to explain, e.g. apps/v1.",
        // create configmap, create secret
        "append-hash" => "Append a hash of the content to the name, so that a change makes a new object.",
        "from-env-file" => "A file of KEY=VALUE lines, each a key.",
        "from-file" => "A file whose content is one value, its key the file's name (or KEY=PATH); a directory gives a key for each file.",
        "from-literal" => "A key and its value, as KEY=VALUE.",
        "cert" => "The PEM certificate file (tls.crt).",
        "key" => "The PEM private key file (tls.key).",
        "docker-email" => "The email address for the registry.",
        "docker-password" => "The password for the registry.",
        "docker-server" => "The registry's address.",
        "docker-username" => "The user name for the registry.",
        // create token
        "audience" => "An audience the token is meant for (several may be given).",
        "bound-object-kind" => "The kind of object the token is bound to: Pod, Secret or Node.",
        "bound-object-name" => "The name of the object the token is bound to.",
        "bound-object-uid" => "The uid of the object the token is bound to.",
        "duration" => "How long the token is valid (0s: the server's default).",
        // set env
        "containers" => "The containers to change, by name; * and other wildcards match several.",
        "from" => "A configmap/NAME or secret/NAME whose keys become variables.",
        "keys" => "With --from, only these keys.",
        "resolve" => "With --list, show the values that come from configmaps and secrets.",
        // set resources
        "limits" => "The most each container may use, e.g. cpu=200m,memory=512Mi.",
        "requests" => "What each container asks for, e.g. cpu=100m,memory=256Mi.",
        // the rest
        "categories" => "Only resources of these categories, e.g. all.",
        "concurrency" => "How many objects to compare at once.",
        "current-replicas" => "Only scale if the current number of replicas is this (-1: any).",
        "force-conflicts" => "With --server-side, take over fields other managers own.",
        "interactive" => "Ask before deleting each object.",
        "openapi-patch" => "Compute the patch from the API's schema when the type is not built in.",
        "prune-allowlist" => "With --prune, the types that may be pruned.",
        _ => "See the kubectl documentation.",
    }
}

/// `kubectl help [command]`.
pub fn help_command(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    match args.first() {
        None => {
            cx.out.out(overview());
            Exec::Done(0)
        }
        Some(_) => {
            let mut a: Vec<String> = args.to_vec();
            a.push("--help".into());
            super::run(cx, &a)
        }
    }
}

/// cobra's `ld`: Levenshtein distance, optionally ignoring case.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// cobra's `SuggestionsFor` with kubectl's settings: distance at most 2, or a prefix.
pub fn suggestions_for(typed: &str) -> Vec<&'static str> {
    let lower = typed.to_lowercase();
    COMMANDS
        .iter()
        .filter(|c| c.name != "options" && c.name != "alpha")
        .filter(|c| levenshtein(typed, c.name) <= 2 || c.name.starts_with(&lower))
        .map(|c| c.name)
        .collect()
}

/// A command kubeplay does not know: cobra's unknown command error, or, for a real kubectl
/// command kubeplay does not simulate, a plain statement of that.
pub fn unknown_or_unavailable(cx: &mut Cx<'_>, verb: &str, _rest: &[String]) -> Exec {
    if let Some(cmd) = COMMANDS.iter().find(|c| c.name == verb) {
        if verb == "options" {
            cx.out.out(OPTIONS);
            return Exec::Done(0);
        }
        return super::fail(
            cx.out,
            format!(
                "\"kubectl {}\" is not available in kubeplay ({})",
                cmd.name,
                cmd.short.to_lowercase()
            ),
        );
    }
    let mut msg = format!("unknown command \"{verb}\" for \"kubectl\"");
    let sugg = suggestions_for(verb);
    if !sugg.is_empty() {
        msg.push_str("\n\nDid you mean this?\n");
        for s in sugg {
            msg.push_str(&format!("\t{s}\n"));
        }
    }
    super::fail(cx.out, msg)
}

const OPTIONS: &str = "The following options can be passed to any command:

    -n, --namespace='':
\tThe namespace to work in; without it, the current context's namespace.

    --context='':
\tThe kubeconfig context to use (kubeplay has one: kubeplay).

    -v, --v=0:
\tLog verbosity (accepted and ignored by kubeplay).

    -h, --help=false:
\tHelp for the command.

Usage:
  kubectl options [flags]
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_follow_cobra() {
        assert_eq!(suggestions_for("ge"), vec!["set", "get", "cp"]);
        assert_eq!(suggestions_for("delet"), vec!["delete"]);
        assert_eq!(suggestions_for("aply"), vec!["apply"]);
        assert!(suggestions_for("zzzzzzzz").is_empty());
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }

    #[test]
    fn overview_lists_groups_in_order() {
        let o = overview();
        let b = o.find("Basic Commands (Beginner):").unwrap();
        let s = o.find("Settings Commands:").unwrap();
        assert!(b < s);
        assert!(o.contains("  create          "));
        assert!(o.ends_with("(applies to all commands).\n"));
    }
}
