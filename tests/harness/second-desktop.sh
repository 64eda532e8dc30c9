#!/usr/bin/env bash
# Another person's desktop inside the test world (tests/harness/with-services.sh), for the
# end-to-end tests of team mode: its own D-Bus session bus with its own notification server
# (so its popups land in its own log), and its own tauri-driver, sharing the world's X display,
# SMTP server and PostgreSQL cluster. The app started through it runs as OS user $2.
# Usage: second-desktop.sh DIR PERSON
#   writes DIR/webdriver-url once ready; popups shown go to DIR/notifications.jsonl.
# Runs until killed (the test kills its process group).
set -euo pipefail

if [ -z "${PARTWATCH_SECOND_DESKTOP_BUS:-}" ]; then
  export PARTWATCH_SECOND_DESKTOP_BUS=1
  exec dbus-run-session -- bash "$0" "$@"
fi

dir=$1
export USER=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
trap 'exit 143' TERM INT

"$python" "$here/notification_server.py" "$dir/notifications.jsonl" >"$dir/notifications.log" 2>&1 &
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
driver_port=$(free_port)
native_port=$(free_port)
tauri-driver --port "$driver_port" --native-port "$native_port" \
  --native-driver /usr/bin/WebKitWebDriver >"$dir/tauri-driver.log" 2>&1 &
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$driver_port") 2>/dev/null && break
  sleep 0.1
done
echo "http://127.0.0.1:$driver_port" >"$dir/webdriver-url.partial"
mv "$dir/webdriver-url.partial" "$dir/webdriver-url"
wait
