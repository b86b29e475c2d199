//! The session's files. The filesystem itself lives in the shell language crate
//! ([`kubeplay_sh::vfs`]), which containers share; this module keeps its old name for the
//! session's users.

pub use kubeplay_sh::vfs::{base_name, resolve, FileSource, FsError, Node, Vfs, HOME};
