#!/usr/bin/env bash
# Runs a command inside Partwatch's test world, and always tears it down:
#   - a private D-Bus session bus (dbus-run-session) with a notification server
#     and an unlocked OS keyring (GNOME Keyring's Secret Service),
#   - an X display (Xvfb),
#   - Debian's aiosmtpd on loopback, plain and STARTTLS, spooling to a directory,
#   - tauri-driver (with WebKitWebDriver) for end-to-end tests,
#   - a private PostgreSQL cluster (Debian's package) in the scratch directory,
#     run as an unprivileged user because the server refuses to run as root.
# The command finds them through these environment variables:
#   DISPLAY, DBUS_SESSION_BUS_ADDRESS
#   PARTWATCH_TEST_RUN_DIR          scratch directory of this run
#   PARTWATCH_SMTP_PLAIN_PORT       plain SMTP on 127.0.0.1
#   PARTWATCH_SMTP_STARTTLS_PORT    SMTP that requires STARTTLS on 127.0.0.1
#   PARTWATCH_SMTP_SPOOL            where accepted mail lands (NNNNN.eml + NNNNN.json)
#   PARTWATCH_TEST_CA_CERT          certificate the STARTTLS server presents (for localhost)
#   PARTWATCH_TEST_TLS_KEY          its private key (for tests that start their own server)
#   PARTWATCH_NOTIFICATIONS_LOG     JSON lines, one per OS popup shown
#   PARTWATCH_WEBDRIVER_URL         tauri-driver's WebDriver endpoint
#   PARTWATCH_TEST_DOWNLOADS        the Downloads folder of the apps tauri-driver starts
#   PARTWATCH_TEST_POSTGRES_URL     a private PostgreSQL cluster's superuser (password, TLS on)
#                                   on 127.0.0.1; tests create a database each and drop it
# PARTWATCH_POSTGRES_FSYNC=on keeps the cluster's fsync on (benchmarks); tests run with it off.
# Usage: with-services.sh COMMAND [ARGS...]
set -euo pipefail

if [ -z "${PARTWATCH_HARNESS_INSIDE_BUS:-}" ]; then
  export PARTWATCH_HARNESS_INSIDE_BUS=1
  exec dbus-run-session -- bash "$0" "$@"
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3 # Debian's, which has aiosmtpd, dbus and gi
run_dir=$(mktemp -d "${TMPDIR:-/tmp}/partwatch-test.XXXXXX")
export PARTWATCH_TEST_RUN_DIR=$run_dir
pids=()
postgres_data=

# PostgreSQL refuses to run as root: as root, its programs run as the
# package's own unprivileged `postgres` user.
as_postgres_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

teardown() {
  local rc=$?
  if [ -n "$postgres_data" ]; then
    as_postgres_user "$postgres_bin/pg_ctl" -D "$postgres_data" stop -m immediate >/dev/null 2>&1 || true
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$rc" -ne 0 ] && [ -d "$run_dir/logs" ]; then
    for log in "$run_dir"/logs/*.log; do
      [ -s "$log" ] || continue
      echo "---- $(basename "$log") (last lines) ----" >&2
      tail -n 20 "$log" >&2
    done
  fi
  rm -rf "$run_dir"
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

mkdir -p "$run_dir/logs"
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for_port() { # port, name
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "harness: $2 did not start listening on port $1" >&2
  return 1
}

# --- X display ---
exec 5<> "$run_dir/display"
Xvfb -displayfd 5 -screen 0 1400x900x24 -nolisten tcp -maxclients 1024 >"$run_dir/logs/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$run_dir/display" ] && break; sleep 0.1; done
display=$(head -n1 "$run_dir/display" | tr -d '[:space:]')
[ -n "$display" ] || { echo "harness: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$display"
export GDK_BACKEND=x11
export WEBKIT_DISABLE_COMPOSITING_MODE=1
export NO_AT_BRIDGE=1

# --- TLS certificate for localhost (a leaf, not a CA: rustls refuses a CA as server cert) ---
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "basicConstraints=critical,CA:FALSE" -addext "subjectAltName=DNS:localhost" \
  -addext "keyUsage=digitalSignature,keyEncipherment" -addext "extendedKeyUsage=serverAuth" \
  -keyout "$run_dir/smtp.key" -out "$run_dir/smtp.crt" >"$run_dir/logs/openssl.log" 2>&1
export PARTWATCH_TEST_CA_CERT="$run_dir/smtp.crt"
export PARTWATCH_TEST_TLS_KEY="$run_dir/smtp.key"

# --- SMTP ---
export PARTWATCH_SMTP_SPOOL="$run_dir/mail"
export PARTWATCH_SMTP_PLAIN_PORT=$(free_port)
export PARTWATCH_SMTP_STARTTLS_PORT=$(free_port)
"$python" "$here/smtp_server.py" "$PARTWATCH_SMTP_SPOOL" "$PARTWATCH_SMTP_PLAIN_PORT" \
  "$PARTWATCH_SMTP_STARTTLS_PORT" "$run_dir/smtp.crt" "$run_dir/smtp.key" >"$run_dir/logs/smtp.log" 2>&1 &
pids+=($!)
wait_for_port "$PARTWATCH_SMTP_PLAIN_PORT" "SMTP (plain)"
wait_for_port "$PARTWATCH_SMTP_STARTTLS_PORT" "SMTP (STARTTLS)"

# Waits up to 10 s for NAME to be owned on the session bus, else stops the run.
wait_for_bus_name() {
  local name=$1 what=$2
  for _ in $(seq 1 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner "string:$name" 2>/dev/null | grep -q 'boolean true'; then
      return 0
    fi
    sleep 0.1
  done
  echo "harness: $what did not claim its bus name" >&2
  exit 1
}

# --- notification server on the private bus ---
export PARTWATCH_NOTIFICATIONS_LOG="$run_dir/notifications.jsonl"
"$python" "$here/notification_server.py" "$PARTWATCH_NOTIFICATIONS_LOG" >"$run_dir/logs/notifications.log" 2>&1 &
pids+=($!)
wait_for_bus_name org.freedesktop.Notifications "the notification server"

# --- the OS keyring: GNOME Keyring's Secret Service on the private bus, its
# keyrings in the run directory (a HOME of its own), unlocked ---
keyring_dir="$run_dir/keyring"
mkdir -p "$keyring_dir/home" "$keyring_dir/data"
printf 'harness keyring' | env HOME="$keyring_dir/home" XDG_DATA_HOME="$keyring_dir/data" \
  gnome-keyring-daemon --foreground --unlock --components=secrets >"$run_dir/logs/keyring.log" 2>&1 &
pids+=($!)
wait_for_bus_name org.freedesktop.secrets "the keyring"

# --- PostgreSQL: a private cluster, password (SCRAM) over TCP, TLS on ---
postgres_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$postgres_bin/initdb" ] || { echo "harness: PostgreSQL is not installed (bash src-tauri/scripts/setup.sh)" >&2; exit 1; }
postgres_dir="$run_dir/postgres"
mkdir -p "$postgres_dir"
if [ "$(id -u)" -eq 0 ]; then
  chmod 711 "$run_dir" # the postgres user passes through, reads nothing else here
  chown postgres "$postgres_dir"
fi
postgres_password=$(openssl rand -hex 16)
postgres_port=$(free_port)
printf '%s\n' "$postgres_password" >"$postgres_dir/password"
cp "$run_dir/smtp.crt" "$postgres_dir/server.crt"
cp "$run_dir/smtp.key" "$postgres_dir/server.key"
chmod 600 "$postgres_dir/password" "$postgres_dir/server.key"
[ "$(id -u)" -ne 0 ] || chown postgres "$postgres_dir/password" "$postgres_dir/server.crt" "$postgres_dir/server.key"
ln -s "$postgres_dir/server.log" "$run_dir/logs/postgres.log"
as_postgres_user "$postgres_bin/initdb" -D "$postgres_dir/data" -U partwatch_admin \
  --pwfile="$postgres_dir/password" --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --no-locale >"$postgres_dir/initdb.log" 2>&1 \
  || { cat "$postgres_dir/initdb.log" >&2; exit 1; }
postgres_data="$postgres_dir/data"
as_postgres_user "$postgres_bin/pg_ctl" -D "$postgres_data" -l "$postgres_dir/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $postgres_port -k $postgres_dir -c fsync=${PARTWATCH_POSTGRES_FSYNC:-off} \
      -c max_connections=300 -c ssl=on -c ssl_cert_file=$postgres_dir/server.crt \
      -c ssl_key_file=$postgres_dir/server.key" start >/dev/null
export PARTWATCH_TEST_POSTGRES_URL="postgres://partwatch_admin:$postgres_password@127.0.0.1:$postgres_port/postgres"

# --- WebDriver ---
driver_port=$(free_port)
native_port=$(free_port)
# The apps it starts save downloads (skipped import rows) into the run's own
# Downloads folder, through the XDG user-dirs file, not the real one.
mkdir -p "$run_dir/config" "$run_dir/downloads"
printf 'XDG_DOWNLOAD_DIR="%s"\n' "$run_dir/downloads" >"$run_dir/config/user-dirs.dirs"
export PARTWATCH_TEST_DOWNLOADS="$run_dir/downloads"
XDG_CONFIG_HOME="$run_dir/config" tauri-driver --port "$driver_port" --native-port "$native_port" \
  --native-driver /usr/bin/WebKitWebDriver >"$run_dir/logs/tauri-driver.log" 2>&1 &
pids+=($!)
wait_for_port "$driver_port" "tauri-driver"
export PARTWATCH_WEBDRIVER_URL="http://127.0.0.1:$driver_port"

echo "harness: display $DISPLAY, smtp $PARTWATCH_SMTP_PLAIN_PORT/$PARTWATCH_SMTP_STARTTLS_PORT, webdriver $PARTWATCH_WEBDRIVER_URL, postgres 127.0.0.1:$postgres_port"
"$@"
