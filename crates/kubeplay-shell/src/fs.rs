//! The session's files: an in-memory layer over an optional read-only source (the CLI's
//! working directory). What a session writes stays in memory.

use std::collections::BTreeMap;

/// Files a session can read but never change (the CLI's working directory).
pub trait FileSource {
    fn read(&self, path: &str) -> Option<Vec<u8>>;
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
