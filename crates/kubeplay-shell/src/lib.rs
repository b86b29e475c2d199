//! kubeplay's terminal: a [`Session`] owns a simulated cluster and a virtual filesystem, runs
//! the lines a learner types, and produces their output. kubectl lives here, with every text
//! format it prints. The web page and the CLI drive a `Session` and nothing else.

pub mod complete;
pub mod docker;
pub mod fs;
pub mod kubectl;
pub mod marks;
pub mod print;
pub mod script;
mod session;

pub use session::{Chunk, LineState, Session, Stream};
