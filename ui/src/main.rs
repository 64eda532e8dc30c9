//! The Partwatch window: a Leptos client-side app. It talks to the shell only
//! through `api` (typed `invoke` and event listeners) using the shared types.

mod api;
mod app;
mod components;
mod format;
mod pages;
mod routes;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
