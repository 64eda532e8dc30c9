#!/usr/bin/env bash
# Installs what Partwatch needs to build and test on Debian 12 / Ubuntu, and
# skips what is already there, so running it twice is cheap. Sourced or run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_packages=(
  # Tauri's build dependencies
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev libssl-dev
  build-essential pkg-config curl
  # The test harness: a display, a session bus, a mail server, a WebDriver, screenshots
  xvfb xauth webkit2gtk-driver dbus dbus-x11 python3-aiosmtpd python3-dbus python3-gi
  openssl imagemagick fonts-dejavu-core
  # The OS keyring (Secret Service) on the harness's session bus
  gnome-keyring
  # Team mode's database: the harness runs a private cluster of it
  postgresql
  # Time zones, for people's quiet hours
  tzdata
)

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing Debian packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is not installed: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg_version" ]; then
  say "Installing wasm-bindgen-cli $wbg_version"
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# tauri-driver has no --version; cargo's own list of installed binaries knows it.
if ! { command -v tauri-driver >/dev/null && cargo install --list | grep -qx 'tauri-driver v2.1.0:'; }; then
  say "Installing tauri-driver 2.1.0"
  cargo install tauri-driver --version 2.1.0 --locked --force
fi
