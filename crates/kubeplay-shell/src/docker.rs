//! `docker build`, `docker images` and `docker run`, on a host beside the cluster. Images built
//! from a Dockerfile in the session's files become pullable by the cluster, so a learner can
//! build the notes' `ubuntu-sleeper` and run it in a pod; `docker run` runs an image's
//! ENTRYPOINT and CMD (or `--entrypoint` and the words after the image) in the foreground, in
//! virtual time, with the processes the kubelet's containers run, so that Docker's two fields
//! can be compared with a pod's `command` and `args`.

use crate::kubectl::{Cx, Exec, Waiter};
use crate::session::Output;
use kubeplay_core::images::{self, Built, Image, Reference};
use kubeplay_core::kubelet::process::{self, EnvPair, Files, Net, NetError, Poll, ProcCx, Program};
use kubeplay_core::time::Millis;
use kubeplay_core::World;
use rand_core::RngCore;

fn short_id(seed: &str) -> String {
    let h = kubeplay_core::names::fnv32a(seed.as_bytes()) as u64;
    let h2 = kubeplay_core::names::fnv32a(format!("{seed}#").as_bytes()) as u64;
    format!("{:012x}", ((h << 32) | h2) & 0xffff_ffff_ffff)
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    match args.first().map(String::as_str) {
        Some("build") => build(cx, &args[1..]),
        Some("images") => images_ls(cx, &args[1..]),
        Some("image") if args.get(1).is_some_and(|a| a == "ls") => images_ls(cx, &args[2..]),
        Some("run") => run_container(cx, &args[1..]),
        Some("container") if args.get(1).is_some_and(|a| a == "run") => {
            run_container(cx, &args[2..])
        }
        None | Some("--help" | "-h" | "help") => {
            cx.out.out(USAGE);
            Exec::Done(0)
        }
        Some(other) if DOCKER_COMMANDS.contains(&other) => {
            cx.out.err(format!("docker: \"docker {other}\" is not available in kubeplay (its docker builds images, lists them and runs containers in the foreground: docker build, docker images, docker run)\n"));
            Exec::Done(1)
        }
        Some(other) => {
            cx.out.err(format!("docker: unknown command: docker {other}\n\nRun 'docker --help' for more information\n"));
            Exec::Done(1)
        }
    }
}

/// Docker's other commands: a real docker has them, kubeplay's does not.
const DOCKER_COMMANDS: &[&str] = &[
    "attach",
    "buildx",
    "builder",
    "commit",
    "compose",
    "container",
    "context",
    "cp",
    "create",
    "diff",
    "events",
    "exec",
    "export",
    "history",
    "image",
    "import",
    "info",
    "inspect",
    "kill",
    "load",
    "login",
    "logout",
    "logs",
    "network",
    "pause",
    "port",
    "ps",
    "pull",
    "push",
    "rename",
    "restart",
    "rm",
    "rmi",
    "save",
    "search",
    "start",
    "stats",
    "stop",
    "system",
    "tag",
    "top",
    "unpause",
    "update",
    "version",
    "volume",
    "wait",
];

/// `docker --help`, for the commands there are here.
const USAGE: &str = "Usage:  docker [OPTIONS] COMMAND

A self-sufficient runtime for containers

Common Commands:
  run         Create and run a new container from an image
  build       Build an image from a Dockerfile
  images      List images

Run 'docker COMMAND --help' for more information on a command.
";

fn build(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let mut tags = Vec::new();
    let mut file: Option<String> = None;
    let mut context: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-t" | "--tag" => {
                i += 1;
                tags.extend(args.get(i).cloned());
            }
            "-f" | "--file" => {
                i += 1;
                file = args.get(i).cloned();
            }
            s if s.starts_with("--tag=") => tags.push(s[6..].to_string()),
            s if s.starts_with("-t") && s.len() > 2 => tags.push(s[2..].to_string()),
            s if s.starts_with("--file=") => file = Some(s[7..].to_string()),
            s if s.starts_with('-') => {}
            s => context = Some(s.to_string()),
        }
        i += 1;
    }
    let Some(context) = context else {
        cx.out.err("ERROR: docker: 'docker buildx build' requires 1 argument\n\nUsage:  docker buildx build [OPTIONS] PATH | URL | -\n\nStart a build\n");
        return Exec::Done(1);
    };
    let path = match &file {
        Some(f) => f.clone(),
        None => format!("{}/Dockerfile", context.trim_end_matches('/')),
    };
    let Some(text) = cx.fs.read(&path) else {
        cx.out.err(format!("ERROR: failed to solve: failed to read dockerfile: open {}: no such file or directory\n", file.as_deref().unwrap_or("Dockerfile")));
        return Exec::Done(1);
    };
    let text = String::from_utf8_lossy(&text).into_owned();
    let target = tags
        .first()
        .cloned()
        .unwrap_or_else(|| "sha256:untagged".into());
    for t in &tags {
        if images::parse_reference(t).is_err() {
            cx.out.err(format!(
                "ERROR: invalid tag \"{t}\": repository name must be lowercase\n"
            ));
            return Exec::Done(1);
        }
    }
    let img = match images::build(
        cx.world.image_catalog(),
        &text,
        if tags.is_empty() { "untagged" } else { &target },
    ) {
        Ok(img) => img,
        Err(e) => {
            cx.out.err(format!("{e}\n"));
            return Exec::Done(1);
        }
    };
    // The classic builder's step log.
    let steps: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let mut out = format!(
        "Sending build context to Docker daemon  {}B\n",
        format_size(text.len() + 2048)
    );
    let mut layer = String::new();
    for (n, s) in steps.iter().enumerate() {
        let word = s
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let shown = format!("{word}{}", &s[word.len().min(s.len())..]);
        out.push_str(&format!("Step {}/{} : {shown}\n", n + 1, steps.len()));
        if n == 0 {
            // The base image comes to the host first, if it is not there yet.
            let base = shown.split_whitespace().nth(1).unwrap_or("");
            match images::parse_reference(base) {
                Ok(r) if !cx.world.image_catalog().on_host(&r) => out.push_str(&pull(cx.world, &r)),
                _ => {}
            }
        }
        // A layer is named by the steps up to it: another Dockerfile that starts the same way
        // shares it.
        let upto = steps[..=n].join("\n");
        layer = match images::parse_reference(shown.split_whitespace().nth(1).unwrap_or("")) {
            Ok(base) if n == 0 => config_id(&base),
            _ => short_id(&format!("{upto}:{n}")),
        };
        if n > 0 {
            if cx.world.image_catalog().has_layer(&layer) {
                out.push_str(" ---> Using cache\n");
            } else {
                let run = short_id(&format!("{upto}:{n}:run"));
                out.push_str(&format!(" ---> Running in {run}\n"));
                cx.world.image_catalog_mut().add_layer(&layer);
            }
        }
        out.push_str(&format!(" ---> {layer}\n"));
    }
    out.push_str(&format!("Successfully built {layer}\n"));
    let now = cx.world.now();
    for t in &tags {
        let r = images::parse_reference(t).expect("checked");
        out.push_str(&format!(
            "Successfully tagged {}:{}\n",
            r.short_repo(),
            r.tag
        ));
        let mut image = img.clone();
        image.repo = r.repo.clone();
        image.tag = r.tag.clone();
        // The same Dockerfile builds the same image from the cache: it keeps its age.
        let created = cx
            .world
            .image_catalog()
            .built()
            .find(|b| b.id == layer && b.image.repo == r.repo && b.image.tag == r.tag)
            .map_or(now, |b| b.created);
        cx.world.image_catalog_mut().add_built(Built {
            image,
            id: layer.clone(),
            created,
        });
    }
    cx.out.out(out);
    Exec::Done(0)
}

fn format_size(n: usize) -> String {
    if n < 1000 {
        format!("{n}")
    } else {
        format!("{:.3}k", n as f64 / 1000.0)
    }
}

/// Bring `r` to the docker host: the pull's lines as Docker prints them when its output is
/// not a terminal (only the digest when the host has the image already). `r` must be an image
/// the registry has.
fn pull(w: &mut World, r: &Reference) -> String {
    let digest = digest_of(r);
    let tag = &r.tag;
    let name = r.short_repo();
    let mut o = format!(
        "{tag}: Pulling from {}\n",
        r.repo.strip_prefix("docker.io/").unwrap_or(&r.repo)
    );
    if w.image_catalog().on_host(r) {
        o.push_str(&format!(
            "Digest: sha256:{digest}\nStatus: Image is up to date for {name}:{tag}\n"
        ));
        return o;
    }
    let now = w.now();
    w.image_catalog_mut().add_pulled(r, now);
    let layer = short_id(&format!("{}#layer", r.full()));
    for step in [
        "Pulling fs layer",
        "Verifying Checksum",
        "Download complete",
        "Pull complete",
    ] {
        o.push_str(&format!("{layer}: {step}\n"));
    }
    o.push_str(&format!(
        "Digest: sha256:{digest}\nStatus: Downloaded newer image for {name}:{tag}\n"
    ));
    o
}

/// `docker images`' IMAGE ID of a registry image: the digest of its configuration, which is
/// not the digest the registry gives the image (`Digest:`, and a container status' image ID).
fn config_id(r: &Reference) -> String {
    short_id(&format!("{}#config", r.full()))
}

/// The hex digest of `r`, as container statuses show it in their image IDs.
fn digest_of(r: &Reference) -> String {
    let id = images::image_id(&r.full());
    id.rsplit_once("sha256:")
        .map_or(id.clone(), |(_, d)| d.to_string())
}

/// `docker images`: what the host has, built or pulled, newest first.
fn images_ls(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    if let Some(a) = args.iter().find(|a| a.starts_with('-')) {
        cx.out.err(format!("unknown flag: {a}\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n"));
        return Exec::Done(125);
    }
    let catalog = cx.world.image_catalog();
    let now = cx.world.now();
    // (created, repo, tag, id, size)
    let mut rows: Vec<(i64, String, String, String, u64)> = catalog
        .built()
        .map(|b| {
            (
                b.created as i64,
                b.image.repo.clone(),
                b.image.tag.clone(),
                b.id.clone(),
                b.image.size,
            )
        })
        .collect();
    for ((repo, tag), _) in catalog.pulled() {
        let r = Reference {
            repo: repo.clone(),
            tag: tag.clone(),
            digest: None,
        };
        let Some(img) = catalog.resolve(&r) else {
            continue;
        };
        // A registry image was made before the session: days to weeks before, by its digest.
        let digest = digest_of(&r);
        let days = 1 + u64::from_str_radix(digest.get(..4).unwrap_or("0"), 16).unwrap_or(0) % 60;
        rows.push((
            -((days * 86_400_000) as i64),
            repo.clone(),
            tag.clone(),
            config_id(&r),
            img.size,
        ));
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut t =
        crate::print::table::Table::new(&["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]);
    for (created, repo, tag, id, size) in rows {
        let r = Reference {
            repo,
            tag: tag.clone(),
            digest: None,
        };
        t.push(vec![
            r.short_repo().to_string(),
            tag,
            id,
            format!("{} ago", human_duration(now as i64 - created)),
            human_size(size),
        ]);
    }
    cx.out.out(t.render());
    Exec::Done(0)
}

/// A size as `docker images` shows it: decimal units, three significant digits (go-units'
/// `HumanSizeWithPrecision(size, 3)`, which formats with Go's `%.3g`).
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    // %.3g: three significant digits, trailing zeros dropped; from 999.5 up, the rounding
    // carries into a fourth digit and Go writes the exponent form.
    let text = if size == 0.0 {
        "0".to_string()
    } else {
        let exp = size.abs().log10().floor() as i32;
        let decimals = (2 - exp).max(0) as usize;
        let fixed = format!("{size:.decimals$}");
        if fixed
            .trim_start_matches('-')
            .split('.')
            .next()
            .map_or(0, str::len)
            > 3
        {
            format!("{:.0}e+03", size / 1000.0)
        } else if fixed.contains('.') {
            fixed
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string()
        } else {
            fixed
        }
    };
    format!("{text}{}", UNITS[unit])
}

/// How Docker says how long ago something was (go-units' `HumanDuration`).
fn human_duration(ms: i64) -> String {
    let seconds = ms / 1000;
    let minutes = seconds / 60;
    let hours = (ms as f64 / 3_600_000.0 + 0.5) as i64;
    match () {
        _ if seconds < 1 => "Less than a second".into(),
        _ if seconds == 1 => "1 second".into(),
        _ if seconds < 60 => format!("{seconds} seconds"),
        _ if minutes == 1 => "About a minute".into(),
        _ if minutes < 60 => format!("{minutes} minutes"),
        _ if hours == 1 => "About an hour".into(),
        _ if hours < 48 => format!("{hours} hours"),
        _ if hours < 24 * 7 * 2 => format!("{} days", hours / 24),
        _ if hours < 24 * 30 * 2 => format!("{} weeks", hours / 24 / 7),
        _ if hours < 24 * 365 * 2 => format!("{} months", hours / 24 / 30),
        _ => format!("{} years", ms / 3_600_000 / 24 / 365),
    }
}

const RUN_USAGE: &str = "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]";

/// `docker run --help`, for the options there are here.
const RUN_HELP: &str = "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]

Create and run a new container from an image

Aliases:
  docker container run, docker run

Options:
      --entrypoint string   Overwrite the default ENTRYPOINT of the image
  -e, --env list            Set environment variables
  -h, --hostname string     Container host name
      --name string         Assign a name to the container
      --pull string         Pull image before running (\"always\", \"missing\", \"never\")
                            (default \"missing\")
  -q, --quiet               Suppress the pull output
      --rm                  Automatically remove the container and its associated
                            anonymous volumes when it exits
  -t, --tty                 Allocate a pseudo-TTY
";

#[derive(Default)]
struct RunOpts {
    entrypoint: Option<String>,
    env: Vec<String>,
    hostname: Option<String>,
    pull: Option<String>,
    quiet: bool,
    tty: bool,
}

/// A flag of `docker run` that kubeplay does not have: why, for the error.
fn unavailable(flag: &str) -> Option<&'static str> {
    Some(match flag {
        "detach" => "containers run in the foreground here; run long-lived ones in pods",
        "interactive" => {
            "no terminal attaches to a docker container here; `kubectl exec -it` attaches to a pod's"
        }
        "volume" | "mount" => "the docker host has no files to mount; mount ConfigMaps and Secrets in pods",
        "publish" | "publish-all" | "network" => {
            "the docker host has no network; reach containers in pods through Services"
        }
        _ => return None,
    })
}

fn run_usage_error(cx: &mut Cx<'_>, msg: &str) -> Exec {
    cx.out.err(format!(
        "{msg}\n\n{RUN_USAGE}\n\nRun 'docker run --help' for more information\n"
    ));
    Exec::Done(125)
}

fn run_container(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let mut o = RunOpts::default();
    let mut i = 0;
    // Flags before the image; the words after it are the container's.
    while i < args.len() && args[i].starts_with('-') && args[i] != "-" {
        let a = &args[i];
        i += 1;
        if a == "--" {
            break;
        }
        let (names, value): (Vec<String>, Option<String>) = match a.strip_prefix("--") {
            Some(long) => match long.split_once('=') {
                Some((n, v)) => (vec![n.to_string()], Some(v.to_string())),
                None => (vec![long.to_string()], None),
            },
            None => {
                // A run of one-letter flags; the first that takes a value takes the rest.
                let mut names = Vec::new();
                let mut value = None;
                let letters: Vec<char> = a[1..].chars().collect();
                for (k, c) in letters.iter().enumerate() {
                    let long = match c {
                        'e' => "env",
                        'h' => "hostname",
                        'q' => "quiet",
                        't' => "tty",
                        'd' => "detach",
                        'i' => "interactive",
                        'v' => "volume",
                        'p' => "publish",
                        'P' => "publish-all",
                        _ => {
                            return run_usage_error(
                                cx,
                                &format!("unknown shorthand flag: '{c}' in {a}"),
                            )
                        }
                    };
                    names.push(long.to_string());
                    if matches!(c, 'e' | 'h' | 'v' | 'p') {
                        let rest: String = letters[k + 1..].iter().collect();
                        if !rest.is_empty() {
                            value = Some(rest.trim_start_matches('=').to_string());
                        } else if let Some(v) = args.get(i) {
                            value = Some(v.clone());
                            i += 1;
                        } else {
                            return run_usage_error(
                                cx,
                                &format!("flag needs an argument: '{c}' in -{c}"),
                            );
                        }
                        break;
                    }
                }
                (names, value)
            }
        };
        for name in names {
            if name == "help" {
                cx.out.out(RUN_HELP);
                return Exec::Done(0);
            }
            if let Some(why) = unavailable(&name) {
                cx.out.err(format!(
                    "docker: \"docker run --{name}\" is not available in kubeplay ({why})\n"
                ));
                return Exec::Done(125);
            }
            let boolean = matches!(name.as_str(), "rm" | "quiet" | "tty");
            let takes = matches!(
                name.as_str(),
                "entrypoint" | "env" | "hostname" | "name" | "pull"
            );
            if !boolean && !takes {
                return run_usage_error(cx, &format!("unknown flag: --{name}"));
            }
            let v = if boolean {
                let v = value.clone().unwrap_or_else(|| "true".into());
                match v.as_str() {
                    "1" | "t" | "T" | "true" | "TRUE" | "True" => "true".to_string(),
                    "0" | "f" | "F" | "false" | "FALSE" | "False" => "false".to_string(),
                    _ => {
                        return run_usage_error(
                            cx,
                            &format!("invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"),
                        )
                    }
                }
            } else {
                match value.clone().or_else(|| {
                    let v = args.get(i).cloned();
                    i += usize::from(v.is_some());
                    v
                }) {
                    Some(v) => v,
                    None => {
                        return run_usage_error(cx, &format!("flag needs an argument: --{name}"))
                    }
                }
            };
            match name.as_str() {
                "entrypoint" => o.entrypoint = Some(v),
                "env" => o.env.push(v),
                "hostname" => o.hostname = Some(v),
                "pull" => o.pull = Some(v),
                "quiet" => o.quiet = v == "true",
                "tty" => o.tty = v == "true",
                // A name only tells containers apart in `docker ps`, which the host does
                // not have; --rm removes the container, which nothing lists either.
                _ => {}
            }
        }
    }
    let Some(image) = args.get(i) else {
        cx.out.err(format!("docker: 'docker run' requires at least 1 argument\n\n{RUN_USAGE}\n\nSee 'docker run --help' for more information\n"));
        return Exec::Done(1);
    };
    let words = &args[i + 1..];
    let fail = |cx: &mut Cx<'_>, msg: &str, code: i32| {
        cx.out.err(format!(
            "docker: {msg}\n\nRun 'docker run --help' for more information\n"
        ));
        Exec::Done(code)
    };
    let pull_mode = o.pull.as_deref().unwrap_or("missing");
    if !matches!(pull_mode, "always" | "missing" | "never") {
        return fail(cx, &format!("invalid pull option: '{pull_mode}': must be one of \"always\", \"missing\" or \"never\""), 125);
    }
    let r = match images::parse_reference(image) {
        Ok(r) => r,
        Err(_) => {
            let detail = match images::parse_reference(&image.to_ascii_lowercase()) {
                Ok(lower) => {
                    // The name as typed, in the place the lowercase one takes.
                    let path = lower.repo.strip_prefix("docker.io/").unwrap_or(&lower.repo);
                    let typed = image.split([':', '@']).next().unwrap_or(image);
                    let typed = typed.strip_prefix("docker.io/").unwrap_or(typed);
                    let shown = match path.strip_suffix(&typed.to_ascii_lowercase()) {
                        Some(prefix) => format!("{prefix}{typed}"),
                        None => path.to_string(),
                    };
                    format!(": repository name ({shown}) must be lowercase")
                }
                Err(_) => String::new(),
            };
            return fail(cx, &format!("invalid reference format{detail}"), 125);
        }
    };
    let shown = format!("{}:{}", r.short_repo(), r.tag);
    let img = cx.world.image_catalog().resolve(&r);
    // What the registry answers for an image it does not have.
    let pull_error = |cx: &mut Cx<'_>| {
        let known_repo = cx
            .world
            .image_catalog()
            .resolve(&Reference {
                tag: "latest".into(),
                ..r.clone()
            })
            .is_some();
        let msg = if known_repo {
            format!("Error response from daemon: manifest for {shown} not found: manifest unknown: manifest unknown")
        } else {
            format!("Error response from daemon: pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", r.short_repo())
        };
        fail(cx, &msg, 125)
    };
    let on_host = cx.world.image_catalog().on_host(&r);
    if pull_mode == "always" || !on_host {
        if pull_mode == "never" {
            return fail(
                cx,
                &format!("Error response from daemon: No such image: {shown}"),
                125,
            );
        }
        // Pull output goes to standard error: standard output is the container's.
        if pull_mode == "missing" && !o.quiet {
            cx.out
                .err(format!("Unable to find image '{shown}' locally\n"));
        }
        if img.is_none() {
            return pull_error(cx);
        }
        let lines = pull(cx.world, &r);
        if !o.quiet {
            cx.out.err(lines);
        }
    }
    let img = img.expect("resolved or refused above");
    let mut id = String::with_capacity(64);
    for _ in 0..4 {
        id.push_str(&format!("{:016x}", cx.world.rng().next_u64()));
    }
    let hostname = o.hostname.unwrap_or_else(|| id[..12].to_string());
    let env = container_env(&img, &o.env, &hostname, o.tty);
    let entrypoint = o.entrypoint.map(|e| vec![e]);
    // Docker's two fields combine as a pod's command and args do (without `$(VAR)`).
    let argv = kubeplay_core::kubelet::command::effective(
        &img.entrypoint,
        &img.cmd,
        entrypoint.as_deref(),
        (!words.is_empty()).then_some(words),
    );
    let mut c = Container {
        files: kubeplay_core::kubelet::start_files(&img.repo, &hostname),
        env,
        hostname,
        main: argv.clone(),
        image: img,
        since: cx.world.now(),
        program: Program::Done(0),
        next: None,
        log: String::new(),
        shown: 0,
    };
    let started = c.with_cx(cx.world.now(), |cx, image| {
        process::start(&argv, cx, Some(image))
    });
    match started {
        Ok(p) => c.program = p,
        Err(e) => {
            let msg = e.replacen(
                "failed to create containerd task: ",
                "failed to create task for container: ",
                1,
            );
            let code = if msg.contains("executable file not found")
                || msg.contains("no such file or directory")
            {
                127
            } else if msg.contains("permission denied") {
                126
            } else {
                125
            };
            return fail(cx, &format!("Error response from daemon: {msg}"), code);
        }
    }
    match c.poll_at(cx.world.now(), cx.out) {
        Some(code) => Exec::Done(code),
        None => Exec::Wait(Box::new(c)),
    }
}

/// The environment Docker gives a container: the image's, `HOSTNAME`, `-e` (an `-e NAME`
/// without a value takes the client's, which this host has none of), `TERM` with a TTY, and
/// `HOME` when nothing set it.
fn container_env(img: &Image, flags: &[String], hostname: &str, tty: bool) -> Vec<EnvPair> {
    let mut env: Vec<EnvPair> = img.env.clone();
    let set = |env: &mut Vec<EnvPair>, k: &str, v: &str| match env
        .iter_mut()
        .find(|(ek, _)| &**ek == k)
    {
        Some(e) => e.1 = v.into(),
        None => env.push((k.into(), v.into())),
    };
    set(&mut env, "HOSTNAME", hostname);
    for f in flags {
        if let Some((k, v)) = f.split_once('=') {
            set(&mut env, k, v);
        }
    }
    if tty {
        set(&mut env, "TERM", "xterm");
    }
    if !env.iter().any(|(k, _)| &**k == "HOME") {
        env.push(("HOME".into(), "/root".into()));
    }
    env
}

/// A container of `docker run`, attached: its output goes to the terminal as it comes.
struct Container {
    image: Image,
    main: Vec<String>,
    env: Vec<EnvPair>,
    files: Files,
    hostname: String,
    since: Millis,
    program: Program,
    /// When the process wants to run next (a `sleep` ending), if it waits for a time.
    next: Option<Millis>,
    /// Everything the process wrote, and how much of it the terminal has shown.
    log: String,
    shown: usize,
}

/// The docker host's network: containers here reach nothing (the cluster's Services are not
/// on it).
struct NoNet;

impl Net for NoNet {
    fn resolve(&self, _name: &str) -> Option<(String, String)> {
        None
    }
    fn http_get(&self, _get: &process::Get<'_>) -> Result<process::Reply, NetError> {
        Err(NetError::Timeout)
    }
    fn tcp_open(&self, _addr: &str, _port: u16) -> bool {
        false
    }
}

impl Container {
    fn with_cx<R>(&mut self, now: Millis, f: impl FnOnce(&mut ProcCx<'_>, &Image) -> R) -> R {
        let mut cx = ProcCx {
            now,
            hostname: &self.hostname,
            namespace: "",
            pod_ip: "172.17.0.2",
            env: &self.env,
            fs: &mut self.files,
            out: &mut self.log,
            net: &NoNet,
            userland: self.image.userland,
            image: &self.image,
            dirs: &[],
            read_only: &[],
            stdin_open: false,
            main: &self.main,
            since: self.since,
        };
        f(&mut cx, &self.image)
    }

    /// Run the process up to `now`, show what it wrote; its exit status once it exited.
    fn poll_at(&mut self, now: Millis, out: &mut Output) -> Option<i32> {
        let mut program = std::mem::replace(&mut self.program, Program::Done(0));
        let poll = self.with_cx(now, |cx, _| program.resume(cx));
        self.program = program;
        out.out(&self.log[self.shown..]);
        self.shown = self.log.len();
        self.next = match poll {
            Poll::Until(t) => Some(t),
            Poll::Exit(_) | Poll::Idle => None,
        };
        match poll {
            Poll::Exit(code) => Some(code),
            Poll::Until(_) | Poll::Idle => None,
        }
    }
}

impl Waiter for Container {
    fn poll(&mut self, world: &World, out: &mut Output) -> Option<i32> {
        self.poll_at(world.now(), out)
    }
    fn wake_at(&self) -> Option<Millis> {
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_docker_writes_them() {
        const S: i64 = 1000;
        const H: i64 = 3600 * S;
        for (ms, want) in [
            (0, "Less than a second"),
            (999, "Less than a second"),
            (S, "1 second"),
            (59 * S, "59 seconds"),
            (60 * S, "About a minute"),
            (119 * S, "About a minute"),
            (120 * S, "2 minutes"),
            (59 * 60 * S, "59 minutes"),
            (60 * 60 * S, "About an hour"),
            (90 * 60 * S - 1, "About an hour"),
            (90 * 60 * S, "2 hours"),
            (47 * H, "47 hours"),
            (48 * H, "2 days"),
            (14 * 24 * H - 31 * 60 * S, "13 days"),
            (14 * 24 * H - 29 * 60 * S, "2 weeks"),
            (14 * 24 * H, "2 weeks"),
            (60 * 24 * H, "2 months"),
            (2 * 365 * 24 * H, "2 years"),
        ] {
            assert_eq!(human_duration(ms), want, "{ms} ms");
        }
    }

    #[test]
    fn sizes_have_three_significant_digits() {
        for (bytes, want) in [
            (0, "0B"),
            (999, "999B"),
            (1_000, "1kB"),
            (2_712_345, "2.71MB"),
            (2_700_000, "2.7MB"),
            (30_612_345, "30.6MB"),
            (187_523_000, "188MB"),
            (999_700_000, "1e+03MB"),
            (1_500_000_000, "1.5GB"),
        ] {
            assert_eq!(human_size(bytes), want, "{bytes} bytes");
        }
    }
}
