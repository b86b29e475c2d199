//! The image catalog: the images learners meet, with what their config says (ENTRYPOINT, CMD,
//! env, exposed ports, stop signal) and which tags exist, plus images users build with
//! `docker build`. Pulling a reference that is not here fails as a registry would.

use crate::time::Millis;
use std::collections::BTreeMap;

/// What the binaries in an image can do; decides which commands a container can exec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Userland {
    /// busybox: sh and every applet, including wget and nslookup.
    Busybox,
    /// busybox 1.28 and older: the same applets, with the old `nslookup` output.
    BusyboxLegacy,
    /// Alpine: busybox applets plus apk.
    Alpine,
    /// Debian/Ubuntu: bash, coreutils; no wget, curl or nslookup.
    Debian,
    /// Debian plus curl (the httpd image).
    DebianCurl,
    /// The nginx image: Debian, curl and `nginx`.
    Nginx,
    /// Ubuntu: Debian's, plus procps' `ps`.
    Ubuntu,
    /// A single static binary, no shell (distroless, hello-app).
    Scratch,
}

/// An image's config, as `docker inspect` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    /// Canonical repository, e.g. `docker.io/library/nginx`.
    pub repo: String,
    pub tag: String,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub env: Vec<crate::kubelet::process::EnvPair>,
    pub ports: Vec<u16>,
    pub workdir: String,
    /// Signal the runtime sends to stop the container (`STOPSIGNAL`), default SIGTERM.
    pub stop_signal: &'static str,
    pub userland: Userland,
    /// Size in bytes, for the `Pulled` event.
    pub size: u64,
    /// Where the image's own version shows (nginx's `NGINX_VERSION`, hello-app's version).
    pub version: String,
    /// True for images built with `docker build` in the session. They are pushed to the
    /// registry as they are built, so nodes pull them like any other image.
    pub local: bool,
}

/// The minor version of a `1.X.Y` version (`25` for 1.25.5).
pub fn minor_version(version: &str) -> Option<u32> {
    version.strip_prefix("1.")?.split('.').next()?.parse().ok()
}

impl Image {
    /// Whether the image has curl: nginx's since 1.17.10 and 1.18.0 (docker-nginx's "Provide
    /// curl inside images", April 2020); httpd's always.
    pub fn has_curl(&self) -> bool {
        match self.userland {
            Userland::DebianCurl => true,
            Userland::Nginx => {
                self.version == "1.17.10" || minor_version(&self.version).is_none_or(|m| m >= 18)
            }
            _ => false,
        }
    }

    /// The programs the image adds to its base system (its userland): what its scripts and
    /// `kubectl exec` find besides the shell's utilities.
    pub fn own_programs(&self) -> &'static [&'static str] {
        match self.repo.as_str() {
            "docker.io/library/nginx" if !self.entrypoint.is_empty() => &["docker-entrypoint.sh"],
            "docker.io/library/httpd" => &["httpd", "httpd-foreground", "apachectl"],
            "docker.io/library/redis" => &["redis-server", "redis-cli", "docker-entrypoint.sh"],
            "docker.io/library/mysql" => &["mysqld", "mysql", "docker-entrypoint.sh"],
            "docker.io/kodekloud/webapp-color" | "docker.io/kodekloud/event-simulator" => {
                &["python", "python3", "pip"]
            }
            _ => &[],
        }
    }

    /// The old busybox builds the docs use (`registry.k8s.io/busybox`, 1.24 to 1.27): their
    /// ash forks even for the last command of `sh -c`, which busybox 1.28 stopped doing
    /// (after dash), so `ps` shows their `sh -c` as process 1.
    pub fn sh_forks_last(&self) -> bool {
        matches!(
            self.repo.as_str(),
            "registry.k8s.io/busybox" | "gcr.io/google_containers/busybox"
        )
    }
}

const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// A parsed image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// `docker.io/library/nginx`.
    pub repo: String,
    pub tag: String,
    pub digest: Option<String>,
}

impl Reference {
    /// `docker.io/library/nginx:1.16.1`.
    pub fn full(&self) -> String {
        let (sep, rest) = match &self.digest {
            Some(d) => ('@', d),
            None => (':', &self.tag),
        };
        let mut s = String::with_capacity(self.repo.len() + 1 + rest.len());
        s.push_str(&self.repo);
        s.push(sep);
        s.push_str(rest);
        s
    }
    /// The short name without the default registry (`nginx`, `kodekloud/webapp-color`).
    pub fn short_repo(&self) -> &str {
        self.repo
            .strip_prefix("docker.io/library/")
            .or_else(|| self.repo.strip_prefix("docker.io/"))
            .unwrap_or(&self.repo)
    }
}

/// Parse an image reference as the container runtime normalizes it. `Err` carries the text of
/// `InvalidImageName` (`couldn't parse image name "x": invalid reference format`).
pub fn parse_reference(image: &str) -> Result<Reference, String> {
    let bad = || {
        format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format")
    };
    if image.is_empty() || image.contains(char::is_whitespace) {
        return Err(bad());
    }
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d.to_string())),
        None => (image, None),
    };
    // A tag is after the last ':' that follows the last '/'.
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], rest[slash + i + 1..].to_string()),
        None => (rest, "latest".to_string()),
    };
    let tag_ok = !tag.is_empty()
        && tag.len() <= 128
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !tag.starts_with(['.', '-']);
    let parts: Vec<&str> = name.split('/').collect();
    let has_registry = parts.len() > 1
        && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost");
    let path_parts = if has_registry {
        &parts[1..]
    } else {
        &parts[..]
    };
    let comp_ok = |c: &str| {
        !c.is_empty()
            && c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch))
            && c.starts_with(|ch: char| ch.is_ascii_alphanumeric())
            && c.ends_with(|ch: char| ch.is_ascii_alphanumeric())
    };
    if !tag_ok || path_parts.is_empty() || !path_parts.iter().all(|c| comp_ok(c)) {
        return Err(bad());
    }
    let repo = if has_registry {
        name.to_string()
    } else if parts.len() == 1 {
        ["docker.io/library/", name].concat()
    } else {
        ["docker.io/", name].concat()
    };
    Ok(Reference { repo, tag, digest })
}

struct Base {
    repo: &'static str,
    tags: &'static [&'static str],
    entrypoint: &'static [&'static str],
    cmd: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    ports: &'static [u16],
    workdir: &'static str,
    stop_signal: &'static str,
    userland: Userland,
    size: u64,
}

const NGINX_TAGS: &[&str] = &[
    "latest",
    "stable",
    "mainline",
    "alpine",
    "1",
    "1.7.9",
    "1.9.1",
    "1.10",
    "1.11",
    "1.12",
    "1.13",
    "1.14",
    "1.14.0",
    "1.14.1",
    "1.14.2",
    "1.15",
    "1.15.12",
    "1.16",
    "1.16.0",
    "1.16.1",
    "1.17",
    "1.17.10",
    "1.18",
    "1.18.0",
    "1.19",
    "1.19.10",
    "1.20",
    "1.20.2",
    "1.21",
    "1.21.6",
    "1.22",
    "1.22.1",
    "1.23",
    "1.23.4",
    "1.24",
    "1.24.0",
    "1.25",
    "1.25.5",
    "1.26",
    "1.26.3",
    "1.27",
    "1.27.5",
    "1.28",
    "1.28.0",
    "1.29",
    "1.29.3",
    "alpine-slim",
    "1.27-alpine",
    "1.28-alpine",
    "1.28.0-alpine",
    "1.29-alpine",
];

const BASES: &[Base] = &[
    // The docs' old busybox builds (configure-pod-configmap uses both).
    Base {
        repo: "registry.k8s.io/busybox",
        tags: &["latest", "1.24", "1.27", "1.27.2"],
        entrypoint: &[],
        cmd: &["sh"],
        env: &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")],
        ports: &[],
        workdir: "/",
        stop_signal: "SIGTERM",
        userland: Userland::Busybox,
        size: 1_144_403,
    },
    Base {
        repo: "gcr.io/google_containers/busybox",
        tags: &["latest", "1.24", "1.27", "1.27.2"],
        entrypoint: &[],
        cmd: &["sh"],
        env: &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")],
        ports: &[],
        workdir: "/",
        stop_signal: "SIGTERM",
        userland: Userland::Busybox,
        size: 1_144_403,
    },
    Base {
        repo: "docker.io/library/busybox",
        tags: &[
            "latest", "1", "1.28", "1.29", "1.30", "1.30.1", "1.31", "1.32", "1.33", "1.34",
            "1.35", "1.36", "1.36.1",
            "1.37", "1.37.0", "stable", "musl", "glibc", "uclibc",
        ],
        entrypoint: &[],
        cmd: &["sh"],
        env: &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")],
        ports: &[],
        workdir: "/",
        stop_signal: "SIGTERM",
        userland: Userland::Busybox,
        size: 2_156_519,
    },
    Base {
        repo: "docker.io/library/nginx",
        tags: NGINX_TAGS,
        entrypoint: &["/docker-entrypoint.sh"],
        cmd: &["nginx", "-g", "daemon off;"],
        env: &[
            ("PATH", PATH),
            ("NGINX_VERSION", "1.29.3"),
            ("NJS_VERSION", "0.9.4"),
            ("NJS_RELEASE", "1~trixie"),
            ("PKG_RELEASE", "1~trixie"),
            ("DYNPKG_RELEASE", "1~trixie"),
        ],
        ports: &[80],
        workdir: "/",
        stop_signal: "SIGQUIT",
        userland: Userland::Nginx,
        size: 59_773_398,
    },
    Base {
        repo: "docker.io/library/ubuntu",
        tags: &[
            "latest", "rolling", "18.04", "20.04", "22.04", "24.04", "24.10", "25.04", "bionic",
            "focal", "jammy", "noble", "oracular", "plucky",
        ],
        entrypoint: &[],
        cmd: &["/bin/bash"],
        env: &[("PATH", PATH)],
        ports: &[],
        workdir: "/",
        stop_signal: "SIGTERM",
        userland: Userland::Ubuntu,
        size: 29_726_368,
    },
    Base {
        repo: "docker.io/library/alpine",
        tags: &[
            "latest", "3", "3.12", "3.14", "3.16", "3.17", "3.18", "3.19", "3.20", "3.21", "3.22",
            "edge",
        ],
        entrypoint: &[],
        cmd: &["/bin/sh"],
        env: &[("PATH", PATH)],
        ports: &[],
        workdir: "/",
        stop_signal: "SIGTERM",
        userland: Userland::Alpine,
        size: 3_807_667,
    },
    Base {
        repo: "docker.io/library/debian",
        tags: &[
            "latest", "stable", "bullseye", "bookworm", "trixie", "11", "12", "13",
            "bookworm-slim", "stable-slim",
        ],
        entrypoint: &[],
        cmd: &["bash"],
        env: &[("PATH", PATH)],
        ports: &[],
        workdir: "/",
        stop_signal: "SIGTERM",
        userland: Userland::Debian,
        size: 48_494_272,
    },
    Base {
        repo: "docker.io/library/bash",
        tags: &["latest", "5", "5.2", "5.3", "4.4", "devel"],
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["bash"],
        env: &[("PATH", PATH), ("_BASH_VERSION", "5.3")],
        ports: &[],
        workdir: "/",
        stop_signal: "SIGTERM",
        userland: Userland::Alpine,
        size: 6_352_158,
    },
    Base {
        repo: "docker.io/library/redis",
        tags: &["latest", "alpine", "6", "6.2", "7", "7.0", "7.2", "7.4", "8", "8.0", "8.2"],
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        env: &[("PATH", PATH), ("REDIS_VERSION", "8.2.2")],
        ports: &[6379],
        workdir: "/data",
        stop_signal: "SIGTERM",
        userland: Userland::Debian,
        size: 52_528_180,
    },
    Base {
        repo: "docker.io/library/mysql",
        tags: &["latest", "5.7", "8", "8.0", "8.4", "9", "9.4", "lts"],
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mysqld"],
        env: &[("PATH", PATH), ("MYSQL_MAJOR", "9.4"), ("MYSQL_VERSION", "9.4.0-1.el9")],
        ports: &[3306, 33060],
        workdir: "/",
        stop_signal: "SIGTERM",
        userland: Userland::Debian,
        size: 248_693_734,
    },
    Base {
        repo: "docker.io/library/httpd",
        tags: &["latest", "2", "2.4", "2.4.65", "alpine"],
        entrypoint: &[],
        cmd: &["httpd-foreground"],
        env: &[
            ("PATH", "/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
            ("HTTPD_PREFIX", "/usr/local/apache2"),
            ("HTTPD_VERSION", "2.4.65"),
        ],
        ports: &[80],
        workdir: "/usr/local/apache2",
        stop_signal: "SIGWINCH",
        userland: Userland::DebianCurl,
        size: 45_207_011,
    },
    Base {
        repo: "docker.io/kodekloud/webapp-color",
        tags: &["latest", "v1", "v2", "v3"],
        entrypoint: &["python", "app.py"],
        cmd: &[],
        env: &[
            ("PATH", PATH),
            ("LANG", "C.UTF-8"),
            ("PYTHON_VERSION", "3.7.0"),
        ],
        ports: &[8080],
        workdir: "/opt",
        stop_signal: "SIGTERM",
        userland: Userland::Alpine,
        size: 31_774_582,
    },
    // The logging and multi-container practice tests' application: a Python script that
    // logs a made-up user event every second (Dockerfile: `FROM python:alpine`,
    // `RUN mkdir /log`, `ENTRYPOINT python event-simulator.py`, a shell-form entrypoint).
    Base {
        repo: "docker.io/kodekloud/event-simulator",
        tags: &["latest"],
        entrypoint: &["/bin/sh", "-c", "python event-simulator.py"],
        cmd: &[],
        env: &[
            ("PATH", PATH),
            ("LANG", "C.UTF-8"),
            ("PYTHON_VERSION", "3.7.0"),
        ],
        ports: &[],
        workdir: "/",
        stop_signal: "SIGTERM",
        userland: Userland::Alpine,
        size: 32_964_316,
    },
    Base {
        repo: "gcr.io/google-samples/hello-app",
        tags: &["1.0", "2.0"],
        entrypoint: &["/hello-app"],
        cmd: &[],
        env: &[("PATH", PATH)],
        ports: &[8080],
        workdir: "/",
        stop_signal: "SIGTERM",
        userland: Userland::Scratch,
        size: 4_320_470,
    },
];

/// Why a pull failed: the runtime's error text after `Failed to pull image "x": `.
pub fn pull_error(r: &Reference) -> String {
    let known_repo = BASES.iter().any(|b| b.repo == r.repo);
    let full = r.full();
    if known_repo {
        format!("rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found")
    } else {
        format!("rpc error: code = Unknown desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")
    }
}

/// The image ID a container status shows (`repo@sha256:...`), made up from the reference:
/// the same image always gets the same digest. Empty for a reference that does not parse.
pub fn image_id(image: &str) -> String {
    match parse_reference(image) {
        Ok(r) => {
            let mut digest = String::new();
            let mut h = crate::names::fnv32a(r.full().as_bytes());
            for _ in 0..8 {
                h = crate::names::fnv32a(&h.to_le_bytes()) ^ h.rotate_left(13);
                digest.push_str(&format!("{h:08x}"));
            }
            format!("{}@sha256:{digest}", r.repo)
        }
        Err(_) => String::new(),
    }
}

/// An image built with `docker build`: its ID (the last step's layer, as the builder printed
/// it) and when it was built.
#[derive(Clone, Debug)]
pub struct Built {
    pub image: Image,
    pub id: String,
    pub created: Millis,
}

/// The catalog: the well-known images plus the images built in this world.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    built: BTreeMap<(String, String), Built>,
    /// Images `docker` pulled to the host (`docker run`, a build's `FROM`), by (repo, tag),
    /// with when: `docker images` lists them, and they are not pulled again.
    pulled: BTreeMap<(String, String), Millis>,
    /// Layers `docker build` made, by ID: a later build with the same steps uses its cache.
    layers: std::collections::BTreeSet<String>,
    /// What `resolve_shared` found, by the image string as a pod spec wrote it: every pod
    /// of a Deployment runs the same image. Cleared when an image is built.
    shared: std::cell::RefCell<BTreeMap<String, Option<std::rc::Rc<Image>>>>,
}

impl Catalog {
    /// [`Catalog::resolve`] for `image`, whose parsed reference is `r`, shared with every
    /// other container that runs the same image string.
    pub fn resolve_shared(&self, image: &str, r: &Reference) -> Option<std::rc::Rc<Image>> {
        if let Some(found) = self.shared.borrow().get(image) {
            return found.clone();
        }
        let found = self.resolve(r).map(std::rc::Rc::new);
        self.shared
            .borrow_mut()
            .insert(image.to_string(), found.clone());
        found
    }

    /// Look up a reference in the registry (well-known images) or among built images.
    pub fn resolve(&self, r: &Reference) -> Option<Image> {
        if let Some(b) = self.built.get(&(r.repo.clone(), r.tag.clone())) {
            return Some(b.image.clone());
        }
        let base = BASES.iter().find(|b| b.repo == r.repo)?;
        if r.digest.is_none() && !base.tags.contains(&r.tag.as_str()) {
            return None;
        }
        let mut version = match (base.repo, r.tag.as_str()) {
            ("gcr.io/google-samples/hello-app", t) => format!("{t}.0"),
            ("docker.io/library/nginx", t)
                if t.chars().next().is_some_and(|c| c.is_ascii_digit()) =>
            {
                t.split('-').next().unwrap_or(t).to_string()
            }
            ("docker.io/library/nginx", _) => "1.29.3".into(),
            (_, t) => t.to_string(),
        };
        let mut env: Vec<crate::kubelet::process::EnvPair> = base
            .env
            .iter()
            .map(|&(k, v)| (k.into(), v.into()))
            .collect();
        // webapp-color's tags for the rolling-update lab: each Dockerfile sets its colour and
        // version (`ENV APP_COLOR=blue`, `ENV VERSION=v1`), so that a rollout shows.
        if base.repo == "docker.io/kodekloud/webapp-color" {
            let color = match r.tag.as_str() {
                "v1" => "blue",
                "v2" => "green",
                "v3" => "red",
                _ => "",
            };
            if !color.is_empty() {
                env.push(("APP_COLOR".into(), color.into()));
                env.push(("VERSION".into(), r.tag.as_str().into()));
            }
        }
        if base.repo == "docker.io/library/nginx" {
            // A minor tag (`1.25`) runs the newest patch release the catalog has (`1.25.5`).
            if version.matches('.').count() == 1 {
                let prefix = format!("{version}.");
                if let Some(full) = base
                    .tags
                    .iter()
                    .filter(|t| t.starts_with(&prefix) && !t.contains('-'))
                    .next_back()
                {
                    version = full.to_string();
                }
            }
            for (k, v) in env.iter_mut() {
                if &**k == "NGINX_VERSION" && version.matches('.').count() == 2 {
                    *v = version.as_str().into();
                }
            }
        }
        // nginx's images have had an entrypoint script since 1.18/1.19 (docker-nginx's
        // "Introduced entrypoint", May 2020); older tags run their CMD alone.
        let entrypoint: &[&str] = if base.repo == "docker.io/library/nginx"
            && minor_version(&version).is_some_and(|minor| minor < 18)
        {
            &[]
        } else {
            base.entrypoint
        };
        Some(Image {
            repo: base.repo.into(),
            tag: r.tag.clone(),
            entrypoint: entrypoint.iter().map(|s| s.to_string()).collect(),
            cmd: base.cmd.iter().map(|s| s.to_string()).collect(),
            env,
            ports: base.ports.to_vec(),
            workdir: base.workdir.into(),
            stop_signal: base.stop_signal,
            userland: if r.tag.contains("alpine") {
                Userland::Alpine
            } else if base.userland == Userland::Busybox
                && r.tag
                    .strip_prefix("1.")
                    .and_then(|m| m.split('.').next()?.parse::<u32>().ok())
                    .is_some_and(|m| m <= 28)
            {
                Userland::BusyboxLegacy
            } else {
                base.userland
            },
            size: base.size + (crate::names::fnv32a(r.tag.as_bytes()) % 1_000_000) as u64,
            version,
            local: false,
        })
    }

    /// Add (or replace) an image built with `docker build -t`.
    pub fn add_built(&mut self, b: Built) {
        self.shared.get_mut().clear();
        self.built
            .insert((b.image.repo.clone(), b.image.tag.clone()), b);
    }

    /// Images built in this world, by reference.
    pub fn built(&self) -> impl Iterator<Item = &Built> {
        self.built.values()
    }

    /// Whether `docker` has `r` on its host: built there, or pulled.
    pub fn on_host(&self, r: &Reference) -> bool {
        let k = (r.repo.clone(), r.tag.clone());
        self.built.contains_key(&k) || self.pulled.contains_key(&k)
    }

    /// `docker` pulled `r` to its host at `at`.
    pub fn add_pulled(&mut self, r: &Reference, at: Millis) {
        self.pulled
            .entry((r.repo.clone(), r.tag.clone()))
            .or_insert(at);
    }

    /// The images `docker run` can start, as one types them: the registry's well-known
    /// repositories and what was built or pulled, each as `name` and `name:tag`.
    pub fn names(&self) -> Vec<String> {
        let short = |repo: &str| {
            Reference {
                repo: repo.to_string(),
                tag: String::new(),
                digest: None,
            }
            .short_repo()
            .to_string()
        };
        let mut v: Vec<String> = BASES.iter().map(|b| short(b.repo)).collect();
        for (repo, tag) in self.built.keys().chain(self.pulled.keys()) {
            v.push(short(repo));
            v.push(format!("{}:{tag}", short(repo)));
        }
        v
    }

    /// Whether `docker build` made the layer `id` before.
    pub fn has_layer(&self, id: &str) -> bool {
        self.layers.contains(id)
    }

    /// `docker build` made the layer `id`.
    pub fn add_layer(&mut self, id: &str) {
        self.layers.insert(id.to_string());
    }

    /// Images `docker` pulled, by reference, with when.
    pub fn pulled(&self) -> impl Iterator<Item = (&(String, String), &Millis)> {
        self.pulled.iter()
    }
}

/// One instruction of a Dockerfile that kubeplay understands.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Instr {
    From(String),
    Entrypoint(Vec<String>),
    Cmd(Vec<String>),
    Env(Vec<(String, String)>),
    Expose(Vec<u16>),
    Workdir(String),
    Other,
}

/// Parse the JSON (exec) form, or wrap the shell form in `/bin/sh -c`.
fn exec_or_shell(arg: &str) -> Vec<String> {
    let t = arg.trim();
    if t.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Vec<String>>(t) {
            return v;
        }
    }
    vec!["/bin/sh".into(), "-c".into(), t.to_string()]
}

fn parse_env(arg: &str) -> Vec<(String, String)> {
    let arg = arg.trim();
    let unq = |s: &str| s.trim_matches('"').to_string();
    if !arg.contains('=') {
        // Legacy `ENV KEY value`.
        let (k, v) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
        return vec![(k.to_string(), unq(v.trim()))];
    }
    split_env_words(arg)
        .into_iter()
        .filter_map(|w| {
            let (k, v) = w.split_once('=')?;
            Some((k.to_string(), v.to_string()))
        })
        .collect()
}

fn split_env_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut q: Option<char> = None;
    let mut any = false;
    for c in s.chars() {
        match (q, c) {
            (Some(qc), c) if c == qc => q = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                q = Some(c);
                any = true
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `docker build -t TAG` of a Dockerfile's text: the image, or docker's error message.
pub fn build(catalog: &Catalog, dockerfile: &str, tag: &str) -> Result<Image, String> {
    let target = parse_reference(tag)
        .map_err(|_| format!("ERROR: invalid tag \"{tag}\": invalid reference format"))?;
    // Join continuation lines, drop comments.
    let mut lines = Vec::new();
    let mut cur = String::new();
    for raw in dockerfile.lines() {
        let l = raw.trim();
        if cur.is_empty() && (l.starts_with('#') || l.is_empty()) {
            continue;
        }
        if let Some(s) = l.strip_suffix('\\') {
            cur.push_str(s);
            cur.push(' ');
        } else {
            cur.push_str(l);
            lines.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    let mut instrs = Vec::new();
    for l in &lines {
        let (word, rest) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
        let rest = rest.trim();
        let i = match word.to_ascii_uppercase().as_str() {
            "FROM" => Instr::From(rest.split_whitespace().next().unwrap_or("").to_string()),
            "ENTRYPOINT" => Instr::Entrypoint(exec_or_shell(rest)),
            "CMD" => Instr::Cmd(exec_or_shell(rest)),
            "ENV" => Instr::Env(parse_env(rest)),
            "EXPOSE" => Instr::Expose(
                rest.split_whitespace()
                    .filter_map(|p| p.split('/').next()?.parse().ok())
                    .collect(),
            ),
            "WORKDIR" => Instr::Workdir(rest.to_string()),
            "RUN" | "COPY" | "ADD" | "LABEL" | "USER" | "ARG" | "VOLUME" | "STOPSIGNAL"
            | "HEALTHCHECK" | "SHELL" | "ONBUILD" | "MAINTAINER" => Instr::Other,
            other => {
                return Err(format!(
                    "ERROR: failed to solve: dockerfile parse error on line {}: unknown instruction: {}",
                    dockerfile
                        .lines()
                        .position(|x| x.trim_start().starts_with(word))
                        .map_or(1, |p| p + 1),
                    other
                ))
            }
        };
        instrs.push(i);
    }
    let Some(Instr::From(from)) = instrs.first().cloned() else {
        return Err("ERROR: failed to solve: no build stage in current context".into());
    };
    let base_ref = parse_reference(&from).map_err(|_| {
        let lower = from.to_ascii_lowercase();
        if lower != from && parse_reference(&lower).is_ok() {
            let r = parse_reference(&lower).map(|r| r.repo).unwrap_or_default();
            let shown = r
                .strip_prefix("docker.io/")
                .unwrap_or(&r)
                .replace(&lower, &from);
            format!("ERROR: failed to solve: failed to parse stage name \"{from}\": invalid reference format: repository name ({shown}) must be lowercase")
        } else {
            format!("ERROR: failed to solve: failed to parse stage name \"{from}\": invalid reference format")
        }
    })?;
    let mut img = catalog.resolve(&base_ref).ok_or_else(|| {
        format!(
            "ERROR: failed to solve: {}: failed to resolve source metadata for {}: {}",
            base_ref.short_repo().to_string() + ":" + &base_ref.tag,
            base_ref.full(),
            if BASES.iter().any(|b| b.repo == base_ref.repo) {
                format!("{}: not found", base_ref.full())
            } else {
                "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed".into()
            }
        )
    })?;
    let mut cmd_set = false;
    for i in instrs.into_iter().skip(1) {
        match i {
            Instr::Entrypoint(e) => {
                img.entrypoint = e;
                // Setting ENTRYPOINT resets a CMD inherited from the base image.
                if !cmd_set {
                    img.cmd.clear();
                }
            }
            Instr::Cmd(c) => {
                img.cmd = c;
                cmd_set = true;
            }
            Instr::Env(kv) => {
                for (k, v) in kv {
                    match img.env.iter_mut().find(|(ek, _)| **ek == *k) {
                        Some(e) => e.1 = v.into(),
                        None => img.env.push((k.into(), v.into())),
                    }
                }
            }
            Instr::Expose(p) => img.ports.extend(p),
            Instr::Workdir(d) => img.workdir = d,
            Instr::From(_) | Instr::Other => {}
        }
    }
    img.repo = target.repo;
    img.tag = target.tag;
    img.local = true;
    Ok(img)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalize() {
        let r = parse_reference("nginx").unwrap();
        assert_eq!(r.full(), "docker.io/library/nginx:latest");
        let r = parse_reference("kodekloud/webapp-color:v2").unwrap();
        assert_eq!(r.full(), "docker.io/kodekloud/webapp-color:v2");
        let r = parse_reference("gcr.io/google-samples/hello-app:1.0").unwrap();
        assert_eq!(r.repo, "gcr.io/google-samples/hello-app");
        assert!(parse_reference("Nginx").is_err());
        assert!(parse_reference("nginx:").is_err());
    }

    #[test]
    fn tags_exist_or_not() {
        let c = Catalog::default();
        assert!(c
            .resolve(&parse_reference("nginx:1.16.1").unwrap())
            .is_some());
        assert!(c
            .resolve(&parse_reference("nginx:1.161").unwrap())
            .is_none());
        assert!(c
            .resolve(&parse_reference("kodecloud/webapp-color:v2").unwrap())
            .is_none());
        let r = parse_reference("nginx:1.161").unwrap();
        assert!(pull_error(&r).ends_with("docker.io/library/nginx:1.161: not found"));
    }

    #[test]
    fn ubuntu_sleeper_builds() {
        let c = Catalog::default();
        let img = build(
            &c,
            "FROM ubuntu\n\nENTRYPOINT [\"sleep\"]\n\nCMD [\"5\"]\n",
            "ubuntu-sleeper",
        )
        .unwrap();
        assert_eq!(img.entrypoint, ["sleep"]);
        assert_eq!(img.cmd, ["5"]);
        assert_eq!(img.repo, "docker.io/library/ubuntu-sleeper");
        // The notes' `FROM Ubuntu` fails as docker does.
        let e = build(&c, "FROM Ubuntu\nENTRYPOINT [\"sleep\"]\n", "x").unwrap_err();
        assert_eq!(e, "ERROR: failed to solve: failed to parse stage name \"Ubuntu\": invalid reference format: repository name (library/Ubuntu) must be lowercase");
        // Shell form.
        let img = build(
            &c,
            "FROM busybox\nCMD echo hi\nENV A=1 B=\"two words\"\n",
            "t:1",
        )
        .unwrap();
        assert_eq!(img.cmd, ["/bin/sh", "-c", "echo hi"]);
        assert!(img.env.contains(&("B".into(), "two words".into())));
        // ENTRYPOINT clears the base image's CMD.
        let img = build(&c, "FROM busybox\nENTRYPOINT [\"sleep\"]\n", "t:2").unwrap();
        assert!(img.cmd.is_empty());
    }
}
