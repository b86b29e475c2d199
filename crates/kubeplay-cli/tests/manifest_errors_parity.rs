//! Manifests kubectl refuses before it talks to a server, next to the real kubectl
//! (/usr/bin/kubectl): YAML syntax errors (go-yaml's wording and its line numbers, which for
//! a parser error name the line above the problem), documents that do not say what they are
//! (`apiVersion not set`, `kind not set`) under each `--validate`, bad `--validate` values,
//! and JSON that is neither JSON nor YAML (Go's decoder's errors); through create, apply and
//! replace. Skipped when no kubectl is installed.

mod parity;

use parity::{compare, have_kubectl, Dir};

const FILES: &[(&str, &str)] = &[
    // Parser errors.
    ("indent.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n spec:\n  containers: []\n"),
    ("flow.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    command: [sh, -c\n"),
    ("list-in-map.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n    image: nginx\n"),
    ("args.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    args: [\"a\", \"b\"\n    env: []\n"),
    ("brace.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p\n"),
    ("seq-after-map.yaml", "key: value\n- item\n"),
    ("port.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 80\n      - name: http\n"),
    ("block.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  script: |\n    echo hi\n   bad\n"),
    // Scanner errors.
    ("tab.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n"),
    ("tab-first.yaml", "\tapiVersion: v1\n"),
    ("quote.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"p\n"),
    ("single-quote.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 'p\n"),
    ("colon.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p: q\n"),
    ("indented-key.yaml", "apiVersion: v1\n  kind: Pod\n"),
    ("env.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n   env:\n    - name: A\n"),
    ("anchor.yaml", "a: *nope\n"),
    // JSON (a manifest that starts with `{`) that is not YAML either: Go's decoder's error.
    // (Since 1.33 kubectl reads such a manifest as YAML when it is not JSON, e.g.
    // `{"a": tru}`; the 1.32 this runs does not, so those cases are decode.rs's tests.)
    ("comma.json", "{\"apiVersion\": \"v1\" \"kind\": \"Pod\"}\n"),
    ("unclosed.json", "  {\"apiVersion\": \"v1\", \"kind\": \"Pod\"\n"),
    ("escape.json", "{\"a\": \"b\\q\"}\n"),
    ("unicode.json", "{\n  \"a\": \"x\",\n  \"b\": \"\\u12g4\"\n}\n"),
    ("no-colon.json", "{\"a\" 1}\n"),
    // Documents that do not say what they are.
    ("no-api-version.yaml", "kind: Pod\nmetadata:\n  name: p\n"),
    ("no-kind.yaml", "apiVersion: v1\nmetadata:\n  name: p\n"),
    ("neither.yaml", "metadata:\n  name: p\n"),
    ("number-api-version.yaml", "apiVersion: 1\nkind: Pod\n"),
    ("list-kind.yaml", "apiVersion: v1\nkind: [Pod]\n"),
    ("a-list.yaml", "- a\n- b\n"),
    ("a-string.yaml", "just a string\n"),
];

#[test]
fn manifest_errors_match_kubectl() {
    if !have_kubectl() {
        return;
    }
    let dir = Dir::new("manifest-errors");
    for (name, text) in FILES {
        dir.write(name, text.as_bytes());
    }
    let mut cases: Vec<Vec<&str>> = Vec::new();
    for (name, _) in FILES {
        cases.push(vec!["create", "-f", name]);
        cases.push(vec!["apply", "-f", name]);
    }
    for name in [
        "no-kind.yaml",
        "neither.yaml",
        "a-list.yaml",
        "a-string.yaml",
    ] {
        for validate in [
            "--validate=false",
            "--validate=ignore",
            "--validate=warn",
            "--validate=1",
            "--validate=True",
            "--validate",
        ] {
            cases.push(vec!["create", "-f", name, validate]);
        }
        cases.push(vec!["replace", "-f", name]);
    }
    for bad in [
        "--validate=foo",
        "--validate=",
        "--validate=Strict",
        "--validate=tRue",
    ] {
        cases.push(vec!["create", "-f", "no-kind.yaml", bad]);
        cases.push(vec!["apply", "-f", "no-kind.yaml", bad]);
    }
    compare(&dir, &cases);
}
