//! A scenario as a bash script for a real cluster (kind, minikube, any kubeconfig): the files
//! written with quoted heredocs, the setup, then each step's solution under its title.

use crate::scenario::{Lang, Scenario};

pub fn bash_script(sc: &Scenario, lang: Lang) -> String {
    let mut o = String::new();
    o.push_str("#!/usr/bin/env bash\n");
    o.push_str(&format!(
        "# kubeplay scenario {}: {}\n",
        sc.id,
        one_line(sc.title.get(lang))
    ));
    for l in sc.description.get(lang).lines() {
        o.push_str(&format!("# {l}\n").replace("# \n", "#\n"));
    }
    o.push_str(
        "#\n# Runs against the cluster of your current kubectl context, e.g. one made with\n\
         #   kind create cluster --name kubeplay\n\
         # It creates objects in the current namespace; use a scratch cluster.\n\
         set -euo pipefail\n\n",
    );
    o.push_str("workdir=$(mktemp -d)\ncd \"$workdir\"\necho \"kubeplay: working in $workdir\"\n");
    for (path, content) in &sc.files {
        let delim = heredoc_delimiter(content);
        if let Some((dir, _)) = path.rsplit_once('/') {
            o.push_str(&format!("mkdir -p {}\n", crate::check::quote(dir)));
        }
        o.push_str(&format!(
            "cat > {} <<'{delim}'\n",
            crate::check::quote(path)
        ));
        o.push_str(content);
        if !content.ends_with('\n') && !content.is_empty() {
            o.push('\n');
        }
        o.push_str(&format!("{delim}\n"));
    }
    if !sc.setup.is_empty() {
        o.push_str("\n# setup\n");
        for l in sc.setup_lines() {
            o.push_str(l);
            o.push('\n');
        }
    }
    for (i, st) in sc.steps.iter().enumerate() {
        o.push_str(&format!(
            "\n# step {}: {}\n",
            i + 1,
            one_line(st.title.get(lang))
        ));
        for l in st.solution_lines() {
            o.push_str(l);
            o.push('\n');
        }
    }
    o
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// A heredoc delimiter that no line of `content` equals.
fn heredoc_delimiter(content: &str) -> String {
    let mut d = String::from("KUBEPLAY_EOF");
    while content.lines().any(|l| l == d) {
        d.push('_');
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_writes_files_then_setup_then_solutions() {
        let sc = Scenario::from_yaml(
            "id: t\ntitle: {en: T, ko: 티}\nfiles:\n  a/d.yaml: |\n    KUBEPLAY_EOF\n    x: 1\n\
             setup: [kubectl apply -f a/d.yaml]\nsteps:\n  - title: {en: One, ko: 하나}\n    \
             solution: [kubectl get pods]\n",
        )
        .unwrap();
        let s = bash_script(&sc, Lang::Ko);
        assert!(
            s.starts_with("#!/usr/bin/env bash\n# kubeplay scenario t: 티\n"),
            "{s}"
        );
        assert!(
            s.contains(
                "mkdir -p a\ncat > a/d.yaml <<'KUBEPLAY_EOF_'\nKUBEPLAY_EOF\nx: 1\nKUBEPLAY_EOF_\n"
            ),
            "{s}"
        );
        let setup = s.find("# setup\nkubectl apply -f a/d.yaml\n").unwrap();
        let step = s.find("# step 1: 하나\nkubectl get pods\n").unwrap();
        assert!(setup < step);
        assert!(s.contains("set -euo pipefail"));
    }
}
