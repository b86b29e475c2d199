//! kubeplay's simulated cluster.
//!
//! A [`World`] owns everything: the object store, a virtual clock, the only random number
//! generator, the queue of controller work, and the event log. Time moves only when the
//! embedder calls [`World::run_until`]; work is done when something changes or a timer is due,
//! so the cost of a simulation grows with what happens in it, not with how long it runs.
//! This crate does no IO of any kind.

pub mod config;
pub mod controllers;
pub mod events;
pub mod images;
pub mod key;
pub mod kubelet;
pub mod names;
mod refresh;
pub mod scheduler;
pub mod serviceaccount;
pub mod store;
pub mod table;
pub mod time;
mod world;

pub use key::{key, Key, Name};
pub use store::{Store, Stored};
pub use world::{ApplyOutcome, DeleteOptions, Propagation, Task, World};
