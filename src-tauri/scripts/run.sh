#!/usr/bin/env bash
# Set up (idempotent), build the UI and the app, and open Partwatch.
# With no arguments it opens a demo database (target/demo-data, loaded with the
# demo inventory on its first start) so a newcomer sees a living inventory at
# once and no real data is touched. Arguments are passed to the app instead:
#   run.sh --data-dir DIR     your own database (no demo unless you choose it)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bash "$root/src-tauri/scripts/setup.sh"
bash "$root/src-tauri/scripts/build-ui.sh"
cd "$root"
echo "==> Building and opening Partwatch"
if [ $# -eq 0 ]; then
  set -- --data-dir "$root/target/demo-data" --demo
fi
exec cargo run --bin partwatch -- "$@"
