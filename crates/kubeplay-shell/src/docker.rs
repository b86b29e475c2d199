//! `docker build -t NAME [-f Dockerfile] DIR` and `docker images`: images built from a
//! Dockerfile in the session's files become pullable by the cluster, so a learner can build
//! the notes' `ubuntu-sleeper` and run it in a pod.

use crate::kubectl::{Cx, Exec};
use kubeplay_core::images;

fn short_id(seed: &str) -> String {
    let h = kubeplay_core::names::fnv32a(seed.as_bytes()) as u64;
    let h2 = kubeplay_core::names::fnv32a(format!("{seed}#").as_bytes()) as u64;
    format!("{:012x}", ((h << 32) | h2) & 0xffff_ffff_ffff)
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    match args.first().map(String::as_str) {
        Some("build") => build(cx, &args[1..]),
        Some("images") | Some("image") if args.get(1).is_none_or(|a| a == "ls") => images_ls(cx),
        Some(other) => {
            cx.out.err(format!("docker: unknown command: docker {other}\n\nRun 'docker --help' for more information\n"));
            Exec::Done(1)
        }
        None => {
            cx.out.out("Usage:  docker [OPTIONS] COMMAND\n");
            Exec::Done(0)
        }
    }
}

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
        layer = short_id(&format!("{text}:{n}"));
        if n > 0 {
            let run = short_id(&format!("{text}:{n}:run"));
            out.push_str(&format!(" ---> Running in {run}\n"));
        }
        out.push_str(&format!(" ---> {layer}\n"));
    }
    out.push_str(&format!("Successfully built {layer}\n"));
    for t in &tags {
        let r = images::parse_reference(t).expect("checked");
        out.push_str(&format!(
            "Successfully tagged {}:{}\n",
            r.short_repo(),
            r.tag
        ));
        let mut img = img.clone();
        img.repo = r.repo.clone();
        img.tag = r.tag.clone();
        cx.world.image_catalog_mut().add_built(img);
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

fn images_ls(cx: &mut Cx<'_>) -> Exec {
    let mut t =
        crate::print::table::Table::new(&["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]);
    for img in cx.world.image_catalog().built() {
        let r = images::Reference {
            repo: img.repo.clone(),
            tag: img.tag.clone(),
            digest: None,
        };
        t.push(vec![
            r.short_repo().to_string(),
            img.tag.clone(),
            short_id(&format!("{}:{}", img.repo, img.tag)),
            "About a minute ago".into(),
            format!("{:.1}MB", img.size as f64 / 1_000_000.0),
        ]);
    }
    cx.out.out(t.render());
    Exec::Done(0)
}
