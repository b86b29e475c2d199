//! kubeplay's page: a Yew app around one [`kubeplay_shell::Session`]. This is the only crate
//! that knows the browser. The state that is not DOM (the session, the clock, the terminal's
//! scrollback, the cluster view's model) lives in [`sim`] and [`model`], plain Rust that is
//! tested natively; the components render it and turn keys and clicks into calls on it.
//!
//! One file per component under `components/`; the app wires them together in `app.rs`.

pub mod app;
pub mod boot;
pub mod components;
pub mod docs;
pub mod edit;
pub mod embed_glue;
pub mod i18n;
pub mod inspect;
pub mod lesson;
pub mod markdown;
pub mod model;
pub mod playground;
pub mod sim;
pub mod storage;

pub use app::App;

/// Mount the app on the page's `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
