#!/usr/bin/env bash
# Partwatch's test command: set up what is missing (idempotent), then run every
# check — formatting, lints, unit, integration and end-to-end tests — the last
# ones inside the harness (Xvfb, D-Bus, SMTP, WebDriver), which it always tears down.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
started=$(date +%s)

bash src-tauri/scripts/setup.sh
bash src-tauri/scripts/build-ui.sh

echo "==> cargo fmt --check"
cargo fmt --all --check
echo "==> cargo clippy (native crates)"
cargo clippy --workspace --exclude partwatch-ui --all-targets -- -D warnings
echo "==> cargo clippy (UI, wasm32)"
cargo clippy -p partwatch-ui --target wasm32-unknown-unknown --all-targets -- -D warnings
echo "==> UI unit tests (routing, formatting, parsing; native, no window)"
cargo test -p partwatch-ui
echo "==> tests (unit, integration, end-to-end) inside the harness"
bash tests/harness/with-services.sh cargo test --workspace --exclude partwatch-ui
echo "==> the core's suites again, on the harness's PostgreSQL (team mode)"
PARTWATCH_TEST_BACKEND=postgres bash tests/harness/with-services.sh cargo test -p partwatch-core

echo "==> all checks passed in $(( $(date +%s) - started ))s"
