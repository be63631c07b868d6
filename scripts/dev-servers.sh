#!/usr/bin/env bash
# Local MongoDB-compatible and NATS servers for development and tests, on loopback, with their data
# under .data/ (ignored by git). Installs what is missing: FerretDB v1 is built from the Go module
# proxy (needs the Go toolchain), nats-server comes from Debian's packages. On the PostgreSQL
# backend, FerretDB's database gets what FerretDB v1 needs to use indexes at all
# (scripts/ferretdb-postgresql.sql; docs/storage.md says why).
#
#   scripts/dev-servers.sh start    start both (or reuse the ones already running); print their URLs
#   scripts/dev-servers.sh stop     stop what start started
#   scripts/dev-servers.sh status   say what runs
#   scripts/dev-servers.sh install  only install FerretDB and nats-server
#
# Settings (environment): FERRETDB_BACKEND=auto|postgresql|sqlite (auto: PostgreSQL on
# 127.0.0.1:5432 when it answers, else SQLite; see docs/storage.md for why), FERRETDB_PORT=27018,
# NATS_PORT=4223, FERRETDB_POSTGRESQL_URL, TALK_DATA_DIR, TALK_TOOLS_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA_DIR=${TALK_DATA_DIR:-$ROOT/.data}
TOOLS_DIR=${TALK_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/talk-tools}
FERRETDB_VERSION=v1.24.2
FERRETDB_BIN=$TOOLS_DIR/ferretdb-$FERRETDB_VERSION
FERRETDB_PORT=${FERRETDB_PORT:-27018}
NATS_PORT=${NATS_PORT:-4223}
FERRETDB_BACKEND=${FERRETDB_BACKEND:-auto}
PG_URL=${FERRETDB_POSTGRESQL_URL:-postgres://postgres@127.0.0.1:5432/talk_ferretdb}

say() { printf 'dev-servers: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() { # port name log
  for _ in $(seq 1 150); do
    port_open "$1" && return 0
    sleep 0.1
  done
  say "$2 did not start listening on 127.0.0.1:$1; its log:"
  tail -n 30 "$3" >&2 || true
  return 1
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_ferretdb() {
  [ -x "$FERRETDB_BIN" ] && return 0
  command -v go >/dev/null || die "FerretDB is built from the Go module proxy and needs the Go toolchain (go) on PATH; install Go 1.22+ or set MONGO_URL to a MongoDB server"
  say "building FerretDB $FERRETDB_VERSION (once; cached in $TOOLS_DIR)"
  local src build
  src=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] || die "could not download github.com/FerretDB/FerretDB@$FERRETDB_VERSION from the Go module proxy"
  build=$(mktemp -d)
  cp -r "$src/." "$build"
  chmod -R u+w "$build"
  # The module zip lacks the version file that FerretDB's release build generates; its binary
  # refuses to start without one.
  echo "$FERRETDB_VERSION" > "$build/build/version/version.txt"
  mkdir -p "$TOOLS_DIR"
  (cd "$build" && CGO_ENABLED=0 go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb)
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$build"
}

install_nats() {
  command -v nats-server >/dev/null && return 0
  [ -x /usr/sbin/nats-server ] && return 0
  [ "$(id -u)" = 0 ] || die "nats-server is missing; install it (Debian: apt-get install nats-server) or set NATS_URL"
  say "installing nats-server from Debian's packages"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >&2
}

nats_bin() { command -v nats-server || echo /usr/sbin/nats-server; }

postgres_usable() {
  command -v psql >/dev/null || return 1
  port_open 5432 || return 1
  local db=${PG_URL##*/}
  local admin=${PG_URL%/*}/postgres
  psql "$admin" -tAc "select 1 from pg_database where datname = '$db'" 2>/dev/null | grep -q 1 && return 0
  psql "$admin" -qc "create database \"$db\"" >/dev/null 2>&1
}

choose_backend() {
  case "$FERRETDB_BACKEND" in
    postgresql) postgres_usable || die "FERRETDB_BACKEND=postgresql but PostgreSQL at $PG_URL cannot be used"; echo postgresql ;;
    sqlite) echo sqlite ;;
    auto) if postgres_usable; then echo postgresql; else echo sqlite; fi ;;
    *) die "FERRETDB_BACKEND must be auto, postgresql or sqlite, not '$FERRETDB_BACKEND'" ;;
  esac
}

# Before FerretDB starts, so that its connections get the database's settings; again for a
# FerretDB already running, whose indexes get their twins at once.
prepare_postgresql() {
  psql "$PG_URL" -q -v ON_ERROR_STOP=1 -f "$ROOT/scripts/ferretdb-postgresql.sql" >&2 \
    || die "could not prepare FerretDB's PostgreSQL database $PG_URL (scripts/ferretdb-postgresql.sql)"
}

start_ferretdb() {
  local pidfile=$DATA_DIR/ferretdb.pid log=$DATA_DIR/ferretdb.log
  if pid_alive "$pidfile"; then
    [ "$(cat "$DATA_DIR/ferretdb.backend" 2>/dev/null)" = postgresql ] && prepare_postgresql
    return 0
  fi
  port_open "$FERRETDB_PORT" && die "127.0.0.1:$FERRETDB_PORT is taken by another program; set FERRETDB_PORT"
  local backend
  backend=$(choose_backend)
  [ "$backend" = postgresql ] && prepare_postgresql
  mkdir -p "$DATA_DIR/ferretdb-sqlite" "$DATA_DIR/ferretdb-state"
  local args=(--listen-addr="127.0.0.1:$FERRETDB_PORT" --debug-addr=- --telemetry=disable
    --state-dir="$DATA_DIR/ferretdb-state" --log-level=warn --handler="$backend")
  if [ "$backend" = postgresql ]; then args+=(--postgresql-url="$PG_URL"); else args+=(--sqlite-url="file:$DATA_DIR/ferretdb-sqlite/"); fi
  nohup "$FERRETDB_BIN" "${args[@]}" >"$log" 2>&1 &
  echo $! > "$pidfile"
  echo "$backend" > "$DATA_DIR/ferretdb.backend"
  wait_for_port "$FERRETDB_PORT" FerretDB "$log"
  say "FerretDB $FERRETDB_VERSION ($backend backend) on 127.0.0.1:$FERRETDB_PORT"
}

start_nats() {
  local pidfile=$DATA_DIR/nats.pid log=$DATA_DIR/nats.log
  if pid_alive "$pidfile"; then return 0; fi
  port_open "$NATS_PORT" && die "127.0.0.1:$NATS_PORT is taken by another program; set NATS_PORT"
  mkdir -p "$DATA_DIR/nats"
  nohup "$(nats_bin)" -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$DATA_DIR/nats" -P "$pidfile.server" >"$log" 2>&1 &
  echo $! > "$pidfile"
  wait_for_port "$NATS_PORT" nats-server "$log"
  say "nats-server (JetStream) on 127.0.0.1:$NATS_PORT"
}

stop_one() { # pidfile name
  if pid_alive "$1"; then
    local pid
    pid=$(cat "$1")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    say "stopped $2"
  fi
  rm -f "$1"
}

print_env() {
  echo "MONGO_URL=mongodb://127.0.0.1:$FERRETDB_PORT/"
  echo "NATS_URL=nats://127.0.0.1:$NATS_PORT"
  echo "FERRETDB_BACKEND=$(cat "$DATA_DIR/ferretdb.backend" 2>/dev/null || echo unknown)"
}

case "${1:-start}" in
  install) install_ferretdb; install_nats ;;
  start)
    mkdir -p "$DATA_DIR"
    install_ferretdb
    install_nats
    start_ferretdb
    start_nats
    print_env
    ;;
  stop) stop_one "$DATA_DIR/ferretdb.pid" FerretDB; stop_one "$DATA_DIR/nats.pid" nats-server ;;
  status)
    pid_alive "$DATA_DIR/ferretdb.pid" && say "FerretDB runs on 127.0.0.1:$FERRETDB_PORT ($(cat "$DATA_DIR/ferretdb.backend"))" || say "FerretDB is not running"
    pid_alive "$DATA_DIR/nats.pid" && say "nats-server runs on 127.0.0.1:$NATS_PORT" || say "nats-server is not running"
    ;;
  env) print_env ;;
  *) die "usage: $0 start|stop|status|install|env" ;;
esac
