//! An in-memory filesystem: directories, files with modification times, a current directory
//! for relative paths, and an optional read-only source underneath the home directory (the
//! CLI's working directory). What a session writes stays in memory.

use std::collections::BTreeMap;

/// Files a session can read but never change (the CLI's working directory), seen under
/// [`HOME`]. Paths are relative to it.
pub trait FileSource {
    fn read(&self, path: &str) -> Option<Vec<u8>>;
    /// The entries of a directory (`""` is the top), as (name, is_dir); `None` if unknown.
    fn list(&self, _dir: &str) -> Option<Vec<(String, bool)>> {
        None
    }
}

/// The home directory, where `~` points and where sessions start.
pub const HOME: &str = "/root";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    File { data: Vec<u8>, mtime: i64 },
    Dir { mtime: i64 },
}

/// Why a file operation failed, in the words coreutils print after `name: `.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    IsDir,
    NotDir,
    Exists,
    NotEmpty,
    ReadOnly,
}

impl FsError {
    pub fn text(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsDir => "Is a directory",
            FsError::NotDir => "Not a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
            FsError::ReadOnly => "Read-only file system",
        }
    }
}

pub struct Vfs {
    nodes: BTreeMap<String, Node>,
    lower: Option<Box<dyn FileSource>>,
    /// Paths of the lower layer that were removed (so they stay gone).
    whiteouts: std::collections::BTreeSet<String>,
    /// The directory relative paths start from.
    pub cwd: String,
    /// Unix time in seconds, stamped on what is written.
    pub now: i64,
    /// Permission bits that `chmod` set apart from the defaults ([`Vfs::mode`]), by path.
    modes: BTreeMap<String, u32>,
    /// Read-only mounts (a container's ConfigMap and Secret volumes): directories, or files,
    /// under which nothing is created, changed or removed (`Read-only file system`).
    pub read_only: Vec<String>,
    /// Where `/dev/urandom`'s bytes go on from (splitmix64), so that reads differ and a
    /// session replays to the same bytes.
    random: std::cell::Cell<u64>,
}

/// How much a read of `/dev/zero` or `/dev/urandom` gives: enough for `head -c`, and for
/// `tr -dc A-Za-z0-9 </dev/urandom | head -c 32`.
const DEVICE_READ: usize = 64 * 1024;

impl Default for Vfs {
    fn default() -> Vfs {
        let mut v = Vfs {
            nodes: BTreeMap::new(),
            lower: None,
            whiteouts: Default::default(),
            cwd: HOME.into(),
            now: crate::EPOCH_UNIX_SECONDS,
            modes: BTreeMap::new(),
            read_only: Vec::new(),
            random: std::cell::Cell::new(0x6b75_6265_706c_6179),
        };
        for d in [
            "/", "/root", "/tmp", "/etc", "/home", "/usr", "/usr/bin", "/var", "/var/log",
        ] {
            v.nodes.insert(d.into(), Node::Dir { mtime: v.now });
        }
        v
    }
}

impl std::fmt::Debug for Vfs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vfs")
            .field("cwd", &self.cwd)
            .field("nodes", &self.nodes.len())
            .finish()
    }
}

/// Join `path` onto `cwd` and normalise `.`, `..` and repeated slashes. `~` is not handled here.
pub fn resolve(cwd: &str, path: &str) -> String {
    let full = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in full.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last component of a path.
pub fn base_name(path: &str) -> &str {
    let p = path.trim_end_matches('/');
    match p.rfind('/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

impl Vfs {
    pub fn with_source(source: Box<dyn FileSource>) -> Vfs {
        Vfs {
            lower: Some(source),
            ..Vfs::default()
        }
    }

    /// An empty filesystem with only `/` (for containers that bring their own tree).
    pub fn bare() -> Vfs {
        let mut v = Vfs::default();
        v.nodes.clear();
        v.nodes.insert("/".into(), Node::Dir { mtime: v.now });
        v.cwd = "/".into();
        v
    }

    pub fn abs(&self, path: &str) -> String {
        resolve(&self.cwd, path)
    }

    fn lower_path<'a>(&self, abs: &'a str) -> Option<&'a str> {
        if self.lower.is_none() || self.whiteouts.contains(abs) {
            return None;
        }
        abs.strip_prefix(HOME).and_then(|r| {
            if r.is_empty() {
                Some("")
            } else {
                r.strip_prefix('/')
            }
        })
    }

    /// The node at a path (relative to `cwd`), looking through to the read-only source.
    /// Where `/dev/urandom` starts: a session's seed, a container's name and time.
    pub fn seed_random(&mut self, seed: u64) {
        self.random.set(seed);
    }

    /// The character devices every machine has, read as files.
    fn device(&self, abs: &str) -> Option<Vec<u8>> {
        Some(match abs {
            "/dev/null" => Vec::new(),
            "/dev/zero" => vec![0; DEVICE_READ],
            "/dev/urandom" | "/dev/random" => {
                let mut out = Vec::with_capacity(DEVICE_READ);
                let mut z = self.random.get();
                while out.len() < DEVICE_READ {
                    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
                    let mut x = z;
                    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                    out.extend_from_slice(&(x ^ (x >> 31)).to_le_bytes());
                }
                self.random.set(z);
                out
            }
            _ => return None,
        })
    }

    pub fn stat(&self, path: &str) -> Option<Node> {
        let abs = self.abs(path);
        if let Some(data) = self.device(&abs) {
            let mtime = crate::EPOCH_UNIX_SECONDS;
            return Some(Node::File { data, mtime });
        }
        if let Some(n) = self.nodes.get(&abs) {
            return Some(n.clone());
        }
        let rel = self.lower_path(&abs)?;
        let lower = self.lower.as_ref()?;
        if let Some(data) = lower.read(rel) {
            return Some(Node::File {
                data,
                mtime: crate::EPOCH_UNIX_SECONDS,
            });
        }
        lower.list(rel).map(|_| Node::Dir {
            mtime: crate::EPOCH_UNIX_SECONDS,
        })
    }

    /// A path's permission bits: 0644 for a file and 0755 for a directory (root's umask),
    /// unless `chmod` changed them.
    pub fn mode(&self, path: &str) -> Option<u32> {
        let abs = self.abs(path);
        let node = self.stat(&abs)?;
        Some(self.modes.get(&abs).copied().unwrap_or(match node {
            Node::Dir { .. } => 0o755,
            Node::File { .. } => 0o644,
        }))
    }

    /// `chmod`: set a path's permission bits (and set-id/sticky bits, `0o7777`).
    pub fn set_mode(&mut self, path: &str, mode: u32) -> Result<(), FsError> {
        let abs = self.abs(path);
        self.stat(&abs).ok_or(FsError::NotFound)?;
        self.writable(&abs)?;
        self.modes.insert(abs, mode & 0o7777);
        Ok(())
    }

    /// Whether root may run the file at `path`: a file with an execute bit.
    pub fn is_executable(&self, path: &str) -> bool {
        matches!(self.stat(path), Some(Node::File { .. }))
            && self.mode(path).is_some_and(|m| m & 0o111 != 0)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.stat(path), Some(Node::Dir { .. }))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.stat(path).is_some()
    }

    /// A file's bytes (`None` when missing or a directory).
    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        match self.stat(path)? {
            Node::File { data, .. } => Some(data),
            Node::Dir { .. } => None,
        }
    }

    /// A file's bytes, or why not.
    pub fn read_file(&self, path: &str) -> Result<Vec<u8>, FsError> {
        match self.stat(path) {
            Some(Node::File { data, .. }) => Ok(data),
            Some(Node::Dir { .. }) => Err(FsError::IsDir),
            None => Err(self.missing_reason(path)),
        }
    }

    fn missing_reason(&self, path: &str) -> FsError {
        let abs = self.abs(path);
        let mut p = parent(&abs).to_string();
        loop {
            match self.stat(&p) {
                Some(Node::File { .. }) => return FsError::NotDir,
                Some(Node::Dir { .. }) => return FsError::NotFound,
                None if p == "/" => return FsError::NotFound,
                None => p = parent(&p).to_string(),
            }
        }
    }

    /// Create or replace a file. Creates missing parent directories (as the editor and kubectl
    /// expect); use [`Vfs::write_file`] for shell semantics.
    pub fn write(&mut self, path: &str, data: Vec<u8>) {
        let abs = self.abs(path);
        let mut missing = Vec::new();
        let mut p = parent(&abs).to_string();
        while !self.exists(&p) {
            missing.push(p.clone());
            p = parent(&p).to_string();
        }
        for d in missing {
            self.nodes.insert(d, Node::Dir { mtime: self.now });
        }
        self.whiteouts.remove(&abs);
        self.nodes.insert(
            abs,
            Node::File {
                data,
                mtime: self.now,
            },
        );
    }

    /// `Err(ReadOnly)` for a path on a read-only mount (what opening it to write says).
    pub fn writable(&self, path: &str) -> Result<(), FsError> {
        let abs = &self.abs(path);
        let under = |m: &String| {
            abs == m
                || abs
                    .strip_prefix(m.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        };
        match self.read_only.iter().any(under) {
            true => Err(FsError::ReadOnly),
            false => Ok(()),
        }
    }

    /// Create or replace a file; its directory must exist.
    pub fn write_file(&mut self, path: &str, data: Vec<u8>) -> Result<(), FsError> {
        let abs = self.abs(path);
        if abs == "/dev/null" {
            return Ok(());
        }
        match self.stat(&abs) {
            Some(Node::Dir { .. }) => return Err(FsError::IsDir),
            Some(Node::File { .. }) => {}
            None => match self.stat(parent(&abs)) {
                Some(Node::Dir { .. }) => {}
                Some(Node::File { .. }) => return Err(FsError::NotDir),
                None => return Err(self.missing_reason(&abs)),
            },
        }
        self.writable(&abs)?;
        self.whiteouts.remove(&abs);
        self.nodes.insert(
            abs,
            Node::File {
                data,
                mtime: self.now,
            },
        );
        Ok(())
    }

    /// Append to a file, creating it if needed; its directory must exist.
    pub fn append(&mut self, path: &str, more: &[u8]) -> Result<(), FsError> {
        let abs = self.abs(path);
        let mut data = match self.stat(&abs) {
            Some(Node::Dir { .. }) => return Err(FsError::IsDir),
            Some(Node::File { data, .. }) => data,
            None => Vec::new(),
        };
        data.extend_from_slice(more);
        self.write_file(&abs, data)
    }

    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        let abs = self.abs(path);
        match self.stat(&abs) {
            Some(Node::Dir { .. }) if parents => return Ok(()),
            Some(_) => return Err(FsError::Exists),
            None => {}
        }
        match self.stat(parent(&abs)) {
            Some(Node::Dir { .. }) => {}
            Some(Node::File { .. }) => return Err(FsError::NotDir),
            None if parents => self.mkdir(parent(&abs), true)?,
            None => return Err(FsError::NotFound),
        }
        self.writable(&abs)?;
        self.whiteouts.remove(&abs);
        self.nodes.insert(abs, Node::Dir { mtime: self.now });
        Ok(())
    }

    /// Remove a file, or a directory with everything under it (`recursive`), or an empty one.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let abs = self.abs(path);
        let node = self.stat(&abs).ok_or(FsError::NotFound)?;
        self.writable(&abs)?;
        if let Node::Dir { .. } = node {
            let children = self.list(&abs)?;
            if !children.is_empty() && !recursive {
                return Err(FsError::NotEmpty);
            }
            for (name, _) in children {
                self.remove(&format!("{}/{name}", abs.trim_end_matches('/')), true)?;
            }
        }
        self.nodes.remove(&abs);
        self.modes.remove(&abs);
        if self.lower.is_some() && abs.starts_with(HOME) {
            self.whiteouts.insert(abs);
        }
        Ok(())
    }

    /// A directory's entries, sorted by name, as (name, is_dir).
    pub fn list(&self, path: &str) -> Result<Vec<(String, bool)>, FsError> {
        let abs = self.abs(path);
        match self.stat(&abs) {
            Some(Node::Dir { .. }) => {}
            Some(Node::File { .. }) => return Err(FsError::NotDir),
            None => return Err(FsError::NotFound),
        }
        let prefix = if abs == "/" {
            "/".to_string()
        } else {
            format!("{abs}/")
        };
        let mut out: BTreeMap<String, bool> = BTreeMap::new();
        for (p, n) in self.nodes.range(prefix.clone()..) {
            let Some(rest) = p.strip_prefix(&prefix) else {
                break;
            };
            if rest.is_empty() || rest.contains('/') {
                continue;
            }
            out.insert(rest.to_string(), matches!(n, Node::Dir { .. }));
        }
        if let (Some(rel), Some(lower)) = (self.lower_path(&abs), self.lower.as_ref()) {
            for (name, dir) in lower.list(rel).unwrap_or_default() {
                let full = format!("{prefix}{name}");
                if !self.whiteouts.contains(&full) {
                    out.entry(name).or_insert(dir);
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// Every file written in memory (not those of the read-only source), by absolute path.
    pub fn files(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.nodes.iter().filter_map(|(p, n)| match n {
            Node::File { data, .. } => Some((p, data)),
            Node::Dir { .. } => None,
        })
    }

    /// Move a file or directory.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let (from, to) = (self.abs(from), self.abs(to));
        let node = self.stat(&from).ok_or(FsError::NotFound)?;
        if from == to {
            return Ok(());
        }
        self.writable(&from)?;
        self.writable(&to)?;
        match self.stat(parent(&to)) {
            Some(Node::Dir { .. }) => {}
            _ => return Err(FsError::NotFound),
        }
        if let Node::Dir { .. } = node {
            if to.starts_with(&format!("{from}/")) {
                return Err(FsError::Exists);
            }
            let children = self.list(&from)?;
            self.nodes.insert(to.clone(), node);
            for (name, _) in children {
                self.rename(&format!("{from}/{name}"), &format!("{to}/{name}"))?;
            }
        } else {
            self.nodes.insert(to.clone(), node);
        }
        self.whiteouts.remove(&to);
        match self.modes.remove(&from) {
            Some(m) => self.modes.insert(to, m),
            None => self.modes.remove(&to),
        };
        self.nodes.remove(&from);
        if self.lower.is_some() && from.starts_with(HOME) {
            self.whiteouts.insert(from);
        }
        Ok(())
    }

    /// Set a path's modification time to now, creating an empty file if missing.
    pub fn touch(&mut self, path: &str) -> Result<(), FsError> {
        let abs = self.abs(path);
        self.writable(&abs)?;
        match self.stat(&abs) {
            Some(Node::File { data, .. }) => {
                self.nodes.insert(
                    abs,
                    Node::File {
                        data,
                        mtime: self.now,
                    },
                );
                Ok(())
            }
            Some(Node::Dir { .. }) => {
                self.nodes.insert(abs, Node::Dir { mtime: self.now });
                Ok(())
            }
            None => self.write_file(&abs, Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_paths() {
        for (cwd, p, want) in [
            ("/root", "a", "/root/a"),
            ("/root", "./a/../b", "/root/b"),
            ("/root", "/x//y/", "/x/y"),
            ("/", "..", "/"),
            ("/root", "../..", "/"),
        ] {
            assert_eq!(resolve(cwd, p), want);
        }
    }

    #[test]
    fn read_only_mounts_refuse_every_change() {
        let mut v = Vfs::default();
        v.write("/etc/config/APP_COLOR", b"blue".to_vec());
        v.write("/etc/color", b"blue".to_vec());
        v.read_only = vec!["/etc/config".into(), "/etc/color".into()];
        let ro = Err(FsError::ReadOnly);
        assert_eq!(v.write_file("/etc/config/APP_COLOR", b"red".to_vec()), ro);
        assert_eq!(v.write_file("/etc/config/new", vec![]), ro);
        assert_eq!(v.append("/etc/color", b"!"), ro);
        assert_eq!(v.remove("/etc/config/APP_COLOR", false), ro);
        assert_eq!(v.mkdir("/etc/config/d", false), ro);
        assert_eq!(v.touch("/etc/config/APP_COLOR"), ro);
        assert_eq!(v.rename("/etc/color", "/tmp/c"), ro);
        assert_eq!(v.set_mode("/etc/config", 0o777), ro);
        // Next to a mount, and under a name that only starts like one, all is writable.
        assert_eq!(v.write_file("/etc/config2", vec![]), Ok(()));
        assert_eq!(v.write_file("/etc/colors", vec![]), Ok(()));
        assert_eq!(
            v.read("/etc/config/APP_COLOR").as_deref(),
            Some(&b"blue"[..])
        );
    }

    #[test]
    fn files_and_dirs() {
        let mut v = Vfs::default();
        assert_eq!(v.write_file("a/b", vec![]), Err(FsError::NotFound));
        v.mkdir("a/b/c", true).unwrap();
        v.write_file("a/b/f", b"x".to_vec()).unwrap();
        assert_eq!(v.read("/root/a/b/f").unwrap(), b"x");
        assert_eq!(
            v.list("a/b").unwrap(),
            vec![("c".into(), true), ("f".into(), false)]
        );
        assert_eq!(v.remove("a", false), Err(FsError::NotEmpty));
        v.rename("a", "z").unwrap();
        assert_eq!(v.read("z/b/f").unwrap(), b"x");
        assert!(!v.exists("a/b"));
        v.remove("z", true).unwrap();
        assert!(!v.exists("z/b/f"));
        assert_eq!(v.write_file("/tmp", vec![]), Err(FsError::IsDir));
    }
}
