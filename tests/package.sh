#!/usr/bin/env bash
# The package test. Not part of tests/run.sh: it builds the release binary
# (about 15 minutes from a clean target dir) and installs into this system,
# so run it on a CI or throw-away machine, as root or with sudo:
#
#   bash tests/package.sh
#
# It builds the .deb (src-tauri/scripts/package.sh), installs it with
# `dpkg -i`, checks the desktop entry, icon and partwatch:// link handler are
# registered, starts /usr/bin/partwatch under a private Xvfb and D-Bus on a
# throw-away home with the demo inventory and sees its window, quits it, then
# opens partwatch://parts/1 through `xdg-open` with Partwatch not running (a
# cold start from a link) and sees the part's page opened, and finally purges
# the package and checks that nothing of it is left. Screenshots of both
# windows go to target/package/screenshots/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
started=$(date +%s)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
ok() { printf '  ok: %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
installed() { dpkg-query -W -f='${Status}' partwatch 2>/dev/null | grep -q "install ok installed"; }

if installed; then
  fail "Partwatch is installed on this system already; this test would replace it. Remove it first (dpkg -P partwatch)."
fi

needed=(xdg-utils desktop-file-utils x11-utils xvfb xauth dbus imagemagick)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing what the package test needs: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

deb=$(bash src-tauri/scripts/package.sh | tail -n 1)
[ -f "$deb" ] || fail "no package was built"

scratch=$(mktemp -d /tmp/partwatch-package.XXXXXX)
shots="$root/target/package/screenshots"
mkdir -p "$shots"
xvfb_pid=""
# Stops the Partwatch this test started (the one on its data directory),
# never another one running on this machine.
stop_ours() {
  local pid
  for pid in $(pgrep -x partwatch || true); do
    if grep -qzx "PARTWATCH_DATA_DIR=$scratch/data" "/proc/$pid/environ" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
}
cleanup() {
  stop_ours
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  if installed; then sudo_if_needed dpkg -P partwatch >/dev/null 2>&1 || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

say "Installing $(basename "$deb") with dpkg -i"
sudo_if_needed dpkg -i "$deb"
installed || fail "dpkg does not list partwatch as installed"
ok "installed: $(dpkg-query -W -f='${Package} ${Version}' partwatch)"
[ -x /usr/bin/partwatch ] || fail "/usr/bin/partwatch is missing"
ok "/usr/bin/partwatch"
entry=/usr/share/applications/partwatch.desktop
desktop-file-validate "$entry" || fail "the desktop entry is not valid"
grep -qx 'MimeType=x-scheme-handler/partwatch;' "$entry" || fail "the desktop entry does not open partwatch:// links"
ok "desktop entry valid, opens partwatch:// links"
[ -f /usr/share/icons/hicolor/128x128/apps/partwatch.png ] || fail "no icon"
ok "icon"
grep -q '^x-scheme-handler/partwatch=.*partwatch.desktop' /usr/share/applications/mimeinfo.cache \
  || fail "the desktop's link handlers (mimeinfo.cache) do not name Partwatch"
ok "the desktop knows Partwatch opens partwatch:// links"

# A private display, session bus and home: nothing of this user's own.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1400x900x24 -nolisten tcp >"$scratch/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
[ -e "/tmp/.X11-unix/X$display" ] || fail "Xvfb did not start"
mkdir -p "$scratch/home"

# Runs inside a private session bus: a first start, then a cold start from a link.
cat > "$scratch/session.sh" <<'SESSION'
set -euo pipefail
stop_ours() {
  local pid
  for pid in $(pgrep -x partwatch || true); do
    if grep -qzx "PARTWATCH_DATA_DIR=$PARTWATCH_DATA_DIR" "/proc/$pid/environ" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
}
window_shown() {
  for _ in $(seq 600); do
    xwininfo -root -tree 2>/dev/null | grep -q '"Partwatch"' && return 0
    sleep 0.1
  done
  return 1
}
log_says() {
  for _ in $(seq 600); do
    cat "$PARTWATCH_DATA_DIR"/logs/*.log 2>/dev/null | grep -qF "$1" && return 0
    sleep 0.1
  done
  return 1
}
/usr/bin/partwatch --demo >"$SCRATCH/first.log" 2>&1 &
app=$!
window_shown || { echo "the window never appeared"; exit 1; }
sleep 2
import -window root "$SHOTS/installed-first-start.png"
kill "$app"; wait "$app" 2>/dev/null || true
echo "  ok: /usr/bin/partwatch opened its window"

xdg-open "partwatch://parts/1" >"$SCRATCH/xdg-open.log" 2>&1 &
window_shown || { echo "xdg-open partwatch://parts/1 did not start Partwatch"; cat "$SCRATCH/xdg-open.log"; exit 1; }
log_says "opens the link it was started with" || { echo "the window never took the link"; exit 1; }
sleep 2
import -window root "$SHOTS/installed-cold-start-link.png"
stop_ours
echo "  ok: xdg-open partwatch://parts/1 started Partwatch, whose window took the link"
SESSION

say "Starting /usr/bin/partwatch under Xvfb, then a cold start from a link"
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME="$scratch/home" USER="${USER:-root}" DISPLAY=":$display" \
  PARTWATCH_DATA_DIR="$scratch/data" SCRATCH="$scratch" SHOTS="$shots" \
  dbus-run-session -- bash "$scratch/session.sh" \
  || { echo "---- the app's log ----"; cat "$scratch"/data/logs/*.log 2>/dev/null | tail -40; fail "the installed app did not do its part"; }

say "Removing the package (dpkg -P)"
sudo_if_needed dpkg -P partwatch
installed && fail "dpkg still lists partwatch"
for path in /usr/bin/partwatch "$entry" /usr/share/icons/hicolor/128x128/apps/partwatch.png /usr/share/doc/partwatch; do
  [ -e "$path" ] && fail "$path is left behind"
done
if grep -q 'partwatch' /usr/share/applications/mimeinfo.cache 2>/dev/null; then
  fail "the desktop's link handlers still name Partwatch"
fi
ok "nothing of the package is left"

say "The package test passed in $(( $(date +%s) - started ))s; screenshots in $shots"
