//! End-to-end tests: the real `partwatch` binary in a real window, driven over
//! WebDriver (tauri-driver + WebKitWebDriver) under the harness's Xvfb.
//! Run them with `bash tests/run.sh`, which starts the harness.

mod support;

mod desktop;
mod keyboard;
mod live;
mod moving_in;
mod notifications;
mod parts;
mod production;
mod skeleton;
mod store;
mod team;
mod tour;
mod welcome;
