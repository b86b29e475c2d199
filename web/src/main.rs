//! The page's entry point; everything is in the library.

fn main() {
    kubeplay_web::start();
}
