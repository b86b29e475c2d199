//! kubeplay's lessons.
//!
//! A [`Scenario`] is a YAML document: a title and description in English and Korean, files the
//! learner starts with, setup commands, and steps. Each step has markdown text, hints, a
//! solution (shell lines) and [`Check`]s. Checks look at the simulated cluster's state (the
//! `World`), never at what was typed, so any way of reaching the right state passes.
//!
//! [`run::check_scenario`] plays a scenario's setup and solutions through a [`Session`] and
//! evaluates each step's checks after that step: it is what `kubeplay check` prints and what the
//! tests of the built-in lessons use. [`share`] encodes a session's journal (seed, lines, file
//! writes, clock, lesson progress) into a URL-safe link and replays it. [`export`] turns a
//! scenario into a bash script for a real cluster.
//!
//! This crate does no IO and knows nothing of the browser: files come in as strings.
//!
//! [`Session`]: kubeplay_shell::Session

pub mod builtin;
pub mod check;
pub mod embed;
pub mod export;
pub mod run;
pub mod scenario;
pub mod share;

pub use check::{Check, CheckResult};
pub use scenario::{Localized, Scenario, ScenarioError, Step};
