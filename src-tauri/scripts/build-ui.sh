#!/usr/bin/env bash
# Builds the Leptos UI into ui/dist (what tauri.conf.json's frontendDist embeds).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

echo "==> Building the UI (wasm)"
cargo build -p partwatch-ui --target wasm32-unknown-unknown --release
rm -rf ui/dist.new
mkdir -p ui/dist.new/styles
wasm-bindgen --target web --no-typescript --out-dir ui/dist.new/pkg --out-name partwatch_ui \
  target/wasm32-unknown-unknown/release/partwatch-ui.wasm
cp ui/index.html ui/boot.js ui/dist.new/
cp ui/styles/*.css ui/dist.new/styles/
cp icons/icon.png ui/dist.new/icon.png
rm -rf ui/dist
mv ui/dist.new ui/dist
