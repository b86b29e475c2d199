//! The session's files: an in-memory layer over an optional read-only source (the CLI's
//! working directory). What a session writes stays in memory.

use std::collections::BTreeMap;

/// Files a session can read but never change (the CLI's working directory).
pub trait FileSource {
    fn read(&self, path: &str) -> Option<Vec<u8>>;
    /// The entries of a directory: name and whether it is a regular file. `None` when
    /// `path` is not a directory (or the source cannot list).
    fn list(&self, _path: &str) -> Option<Vec<(String, bool)>> {
        None
    }
}

#[derive(Default)]
pub struct Vfs {
    files: BTreeMap<String, Vec<u8>>,
    lower: Option<Box<dyn FileSource>>,
}

impl Vfs {
    pub fn with_source(source: Box<dyn FileSource>) -> Vfs {
        Vfs {
            files: BTreeMap::new(),
            lower: Some(source),
        }
    }
    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        let p = normalize(path);
        self.files
            .get(&p)
            .cloned()
            .or_else(|| self.lower.as_ref()?.read(&p))
    }
    /// A directory's entries (name, is a regular file), sorted by name as Go's `os.ReadDir`
    /// returns them; `None` when there is no such directory.
    pub fn list_dir(&self, path: &str) -> Option<Vec<(String, bool)>> {
        let p = normalize(path);
        let p = p.trim_end_matches('/');
        let prefix = if p.is_empty() || p == "." {
            String::new()
        } else {
            format!("{p}/")
        };
        let mut out: std::collections::BTreeMap<String, bool> = self
            .lower
            .as_ref()
            .and_then(|l| l.list(if p.is_empty() { "." } else { p }))
            .unwrap_or_default()
            .into_iter()
            .collect();
        let mut found = !out.is_empty();
        for f in self.files.keys() {
            if let Some(rest) = f.strip_prefix(&prefix) {
                found = true;
                match rest.split_once('/') {
                    Some((dir, _)) => out.entry(dir.to_string()).or_insert(false),
                    None => out.entry(rest.to_string()).or_insert(true),
                };
            }
        }
        found.then(|| out.into_iter().collect())
    }
    pub fn write(&mut self, path: &str, data: Vec<u8>) {
        self.files.insert(normalize(path), data);
    }
    pub fn files(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.files.iter()
    }
}

fn normalize(path: &str) -> String {
    path.trim_start_matches("./").to_string()
}
