//! The page's components, one per file.

pub mod cells;
pub mod chart;
pub mod clock;
pub mod cluster;
pub mod editor;
pub mod events;
pub mod lesson_host;
pub mod lesson_panel;
pub mod splitter;
pub mod terminal;
pub mod timeline;
