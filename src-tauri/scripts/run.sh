#!/usr/bin/env bash
# Set up (idempotent), build the UI and the app, and open Partwatch.
# Extra arguments are passed to the app.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bash "$root/src-tauri/scripts/setup.sh"
bash "$root/src-tauri/scripts/build-ui.sh"
cd "$root"
echo "==> Building and opening Partwatch"
exec cargo run --bin partwatch -- "$@"
