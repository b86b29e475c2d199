//! `kubectl create configmap|secret ... --dry-run=client -o yaml|json` next to the real kubectl
//! (/usr/bin/kubectl, v1.32.4 on the development machines): the same files, the same command
//! line, the same bytes on stdout and stderr. Skipped when no kubectl is installed.
//!
//! Version differences: none on these paths. The same commands gave identical bytes with the
//! kubectl 1.27, 1.28, 1.29, 1.30, 1.31 and 1.33 builds in /usr/lib/google-cloud-sdk/bin
//! (checked by hand, 2026-11-26). Repeated `--from-env-file` merges since kubectl 1.23; older
//! releases used only the last env file. Upstream kubectl prints cobra's flag errors as
//! `error: ...` where this gcloud build prints `Error: ...`, so flag errors are not compared.

mod parity;

use parity::{compare, have_kubectl, Dir};

fn fixture(tag: &str) -> Dir {
    let d = Dir::new(tag);
    d.write("app_config.properties", b"APP_COLOR=blue\nAPP_MODE=prod\n");
    d.write(
        "app_secret.properties",
        b"DB_HOST=mysql\nDB_USER=root\nDB_PASSWORD=paswrd\n",
    );
    let game = b"enemies=aliens\nlives=3\nenemies.cheat=true\nenemies.cheat.level=noGoodRotten\nsecret.code.passphrase=UUDDLRLRBABAS\nsecret.code.allowed=true\nsecret.code.lives=30\n";
    let ui =
        b"color.good=purple\ncolor.bad=yellow\nallow.textmode=true\nhow.nice.to.look=fairlyNice\n";
    d.write("configure-pod-container/configmap/game.properties", game);
    d.write("configure-pod-container/configmap/ui.properties", ui);
    d.write(
        "configure-pod-container/configmap/game-env-file.properties",
        b"enemies=aliens\nlives=3\nallowed=\"true\"\n\n# This comment and the empty line above it are ignored\n",
    );
    d.write(
        "configure-pod-container/configmap/ui-env-file.properties",
        b"color=purple\ntextmode=true\nhow=fairlyNice\n",
    );
    d.write("odd/plain.txt", b"x\n");
    d.write("odd/no-newline", b"true");
    d.write("odd/lead-space.txt", b"  indented\nsecond\n");
    d.write("odd/tab.txt", b" lead\ttab\n");
    d.write("odd/trailing-blank.txt", b"a\n\n");
    d.write("odd/binary.dat", &[0xff, 0xfe, 0x00, 0x41]);
    d.write("odd/colon.txt", b"key: value # not a comment");
    d.write("odd/quote.txt", b"'quoted' \"both\"");
    d.write("odd/number.txt", b"0400");
    d.write("odd/empty.txt", b"");
    d.write("odd/unicode.txt", "héllo wörld ✓\n".as_bytes());
    d.write("odd/sub/ignored.txt", b"subdirectories are skipped\n");
    d.write(
        "odd/long.txt",
        "long value with spaces ".repeat(10).as_bytes(),
    );
    d.write(
        "env/weird.env",
        b"  SPACED=v a l  \nEMPTY=\nQ='single'\r\nBOM=\xef\xbb\xbfnot-first-line\n",
    );
    d.write("env/bad.env", b"1BAD=x\n");
    // A self-signed P-256 pair (made with openssl for this test; nothing secret).
    d.write("tls/tls.crt", TLS_CRT.as_bytes());
    d.write("tls/tls.key", TLS_KEY.as_bytes());
    d.write("env/dup.env", b"a=1\na=2\n");
    d
}

const TLS_CRT: &str = "-----BEGIN CERTIFICATE-----\nMIIBizCCATGgAwIBAgIUUgAwbzZ07WAqsS51wY6mRiYD/UMwCgYIKoZIzj0EAwIw\nGzEZMBcGA1UEAwwQa3ViZXBsYXkuZXhhbXBsZTAeFw0yNjExMjYxMzUwMDZaFw0z\nNjExMjMxMzUwMDZaMBsxGTAXBgNVBAMMEGt1YmVwbGF5LmV4YW1wbGUwWTATBgcq\nhkjOPQIBBggqhkjOPQMBBwNCAATgBk7xbRyAmFVn2BjTovfh+juWJ23cHT0iN+t2\nrRnkmDoSORd8S4q6DRkWex2OqQIMY2w8DMrNRAhhano7kV1/o1MwUTAdBgNVHQ4E\nFgQUb5xNgVxwcIHcj/y/cia6+QAoS7YwHwYDVR0jBBgwFoAUb5xNgVxwcIHcj/y/\ncia6+QAoS7YwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA3NIN\nEo/RA2bLvF2RFLeAUEyUh5XEITaPKawwtPb8lh4CIGLMpPJMZVZQk77vXLtEHUmS\na2WkmwPyQ3/ZGitLH1Qj\n-----END CERTIFICATE-----\n";
const TLS_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNWZNxHvK9Ozc1cgu\nKkWUbb4ZrrG4ig13DVM30u25M2mhRANCAATgBk7xbRyAmFVn2BjTovfh+juWJ23c\nHT0iN+t2rRnkmDoSORd8S4q6DRkWex2OqQIMY2w8DMrNRAhhano7kV1/\n-----END PRIVATE KEY-----\n";

fn check(cases: &[&[&'static str]], tag: &str) {
    if have_kubectl() {
        compare(&fixture(tag), cases);
    }
}

const DRY: [&str; 1] = ["--dry-run=client"];

fn with(base: &[&'static str], extra: &[&'static str]) -> Vec<&'static str> {
    base.iter()
        .chain(extra)
        .chain(DRY.iter())
        .copied()
        .collect()
}

fn both_formats(cmds: &[&[&'static str]]) -> Vec<Vec<&'static str>> {
    let mut out = Vec::new();
    for c in cmds {
        out.push(with(c, &["-o", "yaml"]));
        out.push(with(c, &["-o", "json"]));
    }
    out
}

const CONFIGMAPS: &[&[&str]] = &[
    // The seed notes.
    &[
        "create",
        "configmap",
        "app-config",
        "--from-literal=APP_COLOR=blue",
        "--from-literal=APP_MODE=prod",
    ],
    &[
        "create",
        "configmap",
        "app-config",
        "--from-file=app_config.properties",
    ],
    // The docs page (§8.2): folder, files, custom key, env files, literals.
    &[
        "create",
        "configmap",
        "game-config",
        "--from-file=configure-pod-container/configmap/",
    ],
    &[
        "create",
        "configmap",
        "game-config-2",
        "--from-file=configure-pod-container/configmap/game.properties",
    ],
    &[
        "create",
        "configmap",
        "game-config-2",
        "--from-file=configure-pod-container/configmap/game.properties",
        "--from-file=configure-pod-container/configmap/ui.properties",
    ],
    &[
        "create",
        "configmap",
        "game-config-3",
        "--from-file=game-special-key=configure-pod-container/configmap/game.properties",
    ],
    &[
        "create",
        "configmap",
        "game-config-env-file",
        "--from-env-file=configure-pod-container/configmap/game-env-file.properties",
    ],
    &[
        "create",
        "configmap",
        "config-multi-env-files",
        "--from-env-file=configure-pod-container/configmap/game-env-file.properties",
        "--from-env-file=configure-pod-container/configmap/ui-env-file.properties",
    ],
    &[
        "create",
        "configmap",
        "special-config",
        "--from-literal=special.how=very",
        "--from-literal=special.type=charm",
    ],
    // Awkward values: YAML quoting, block scalars, folding, binary data, namespaces.
    &["create", "configmap", "odd", "--from-file=odd"],
    &["create", "cm", "odd", "--from-file=odd/", "-n", "dev"],
    &[
        "create",
        "configmap",
        "lit",
        "--from-literal=a=",
        "--from-literal=b=x=y",
        "--from-literal=c=yes",
        "--from-literal=d=1.5",
        "--from-literal=e=- item",
        "--from-literal=f=#x",
        "--from-literal=g=2026-01-01",
        "--from-literal=h=null",
        "--from-literal=i= x",
        "--from-literal=j=a: b",
    ],
    &[
        "create",
        "configmap",
        "env",
        "--from-env-file=env/weird.env",
    ],
    &["create", "configmap", "empty"],
    &[
        "create",
        "configmap",
        "app-config",
        "--from-literal=APP_COLOR=blue",
        "--append-hash",
    ],
    &[
        "create",
        "configmap",
        "odd",
        "--from-file=odd",
        "--append-hash",
    ],
    &["create", "configmap", "empty", "--append-hash"],
];

const SECRETS: &[&[&str]] = &[
    &[
        "create",
        "secret",
        "generic",
        "app-secret",
        "--from-literal=DB_HOST=mysql",
        "--from-literal=DB_USER=root",
        "--from-literal=DB_PASSWORD=paswrd",
    ],
    &[
        "create",
        "secret",
        "generic",
        "app-config",
        "--from-file=app_secret.properties",
    ],
    &[
        "create",
        "secret",
        "generic",
        "test-secret",
        "--from-literal=username=my-app",
        "--from-literal=password=39528$vdg7Jb",
    ],
    &[
        "create",
        "secret",
        "generic",
        "dev-db-secret",
        "--from-literal=username=devuser",
        "--from-literal=password=S!B\\*d$zDsb=",
    ],
    &[
        "create",
        "secret",
        "generic",
        "odd",
        "--from-file=odd",
        "--type=kubernetes.io/opaque-ish",
    ],
    &[
        "create",
        "secret",
        "generic",
        "env",
        "--from-env-file=configure-pod-container/configmap/game-env-file.properties",
        "--from-env-file=configure-pod-container/configmap/ui-env-file.properties",
        "-n",
        "dev",
    ],
    &[
        "create",
        "secret",
        "docker-registry",
        "regcred",
        "--docker-server=https://index.docker.io/v1/",
        "--docker-username=me",
        "--docker-password=p@ss<&>",
        "--docker-email=me@example.com",
    ],
    &[
        "create",
        "secret",
        "docker-registry",
        "regcred",
        "--docker-username=me",
        "--docker-password=p",
    ],
    &[
        "create",
        "secret",
        "docker-registry",
        "regcred",
        "--docker-username=me",
        "--docker-password=p",
        "--append-hash",
    ],
    &[
        "create",
        "secret",
        "generic",
        "s",
        "--from-literal=a=b",
        "--append-hash",
    ],
    &[
        "create",
        "secret",
        "generic",
        "s",
        "--from-literal=a=b",
        "--type=foo",
        "--append-hash",
    ],
    &["create", "secret", "generic", "s", "--append-hash"],
    &[
        "create",
        "secret",
        "tls",
        "tls-secret",
        "--cert=tls/tls.crt",
        "--key=tls/tls.key",
    ],
    &[
        "create",
        "secret",
        "tls",
        "tls-secret",
        "--cert=tls/tls.crt",
        "--key=tls/tls.key",
        "--append-hash",
        "-n",
        "web",
    ],
];

const ERRORS: &[&[&str]] = &[
    &[
        "create",
        "configmap",
        "x",
        "--from-literal=foo",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-literal==x",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-literal=bad key=x",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-literal=a=1",
        "--from-literal=a=2",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-file=nope",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-file=k=odd",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-file==odd/plain.txt",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-file=k=",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-env-file=env/bad.env",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-env-file=env/dup.env",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-env-file=odd",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-env-file=env/dup.env",
        "--from-literal=a=b",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "--from-literal=a=b",
        "--dry-run=client",
    ],
    &["create", "configmap", "x", "y", "--dry-run=client"],
    &["create", "configmap", "x", "--dry-run=maybe"],
    &[
        "create",
        "secret",
        "generic",
        "x",
        "--from-literal=foo",
        "--dry-run=client",
    ],
    &[
        "create",
        "secret",
        "generic",
        "x",
        "--from-literal=a=1",
        "--from-literal=a=2",
        "--dry-run=client",
    ],
    &[
        "create",
        "secret",
        "generic",
        "x",
        "--from-literal=bad key=1",
        "--dry-run=client",
    ],
    &[
        "create",
        "secret",
        "generic",
        "x",
        "--from-env-file=env/dup.env",
        "--dry-run=client",
    ],
    &["create", "secret", "generic", "--dry-run=client"],
    &["create", "secret", "tls", "t", "--dry-run=client"],
    &[
        "create",
        "secret",
        "tls",
        "t",
        "--cert=odd/plain.txt",
        "--key=odd/plain.txt",
        "--dry-run=client",
    ],
    &[
        "create",
        "secret",
        "tls",
        "t",
        "--cert=nope.crt",
        "--key=nope.key",
        "--dry-run=client",
    ],
    &[
        "create",
        "secret",
        "docker-registry",
        "r",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-literal=a=b",
        "--dry-run=client",
    ],
    &[
        "create",
        "configmap",
        "x",
        "--from-literal=a=b",
        "--dry-run=client",
        "-o",
        "name",
    ],
    &[
        "create",
        "secret",
        "generic",
        "x",
        "--from-literal=a=b",
        "--dry-run=client",
    ],
    &[
        "create",
        "secret",
        "tls",
        "t",
        "--cert=tls/tls.key",
        "--key=tls/tls.key",
        "--dry-run=client",
    ],
    &[
        "create",
        "secret",
        "tls",
        "t",
        "--cert=tls/tls.crt",
        "--key=tls/tls.crt",
        "--dry-run=client",
    ],
];

#[test]
fn configmap_dry_run_matches_kubectl() {
    let cases = both_formats(CONFIGMAPS);
    let refs: Vec<&[&str]> = cases.iter().map(Vec::as_slice).collect();
    check(&refs, "cm");
}

#[test]
fn secret_dry_run_matches_kubectl() {
    let cases = both_formats(SECRETS);
    let refs: Vec<&[&str]> = cases.iter().map(Vec::as_slice).collect();
    check(&refs, "secret");
}

#[test]
fn generator_errors_match_kubectl() {
    check(ERRORS, "errors");
}
