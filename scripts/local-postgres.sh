#!/usr/bin/env bash
# Runs a local PostgreSQL server from the Debian binaries: the AppHost's "processes" mode and the test fixtures
# both start Postgres through this one script.
#   usage: local-postgres.sh DATA_ROOT [PORT] [extra postgres -c settings...]
#   env:   LEADGEN_PG_PASSWORD (required on first run: the password of the "postgres" role); PGPORT if PORT is omitted
# The cluster is created on first run and reused afterwards, so data persists across runs.
set -euo pipefail

data_root="${1:?usage: local-postgres.sh DATA_ROOT [PORT] [postgres args...]}"
port="${2:-${PGPORT:?PORT argument or PGPORT must be set}}"
shift $(( $# >= 2 ? 2 : 1 ))

bin_dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$bin_dir" || ! -x "$bin_dir/postgres" ]]; then
  echo "local-postgres: PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin." >&2
  echo "local-postgres: run ./run.sh (it installs them) or 'apt-get install -y postgresql'." >&2
  exit 1
fi

# PostgreSQL refuses to run as root: as root, run it as the 'postgres' user.
as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}

mkdir -p "$data_root"
if [[ "$(id -u)" == 0 ]]; then
  chown postgres:postgres "$data_root"
  if ! as_postgres test -w "$data_root"; then
    # The checkout sits where the postgres user cannot reach (e.g. under /root): keep the data in a stable,
    # reachable place derived from the requested path, so it still persists across runs.
    fallback="/var/tmp/leadgen-pg-$(printf '%s' "$data_root" | sha1sum | cut -c1-12)"
    echo "local-postgres: $data_root is not reachable by the postgres user; using $fallback" >&2
    data_root="$fallback"
    mkdir -p "$data_root"
    chown postgres:postgres "$data_root"
  fi
fi

pgdata="$data_root/pgdata"
if [[ ! -s "$pgdata/PG_VERSION" ]]; then
  : "${LEADGEN_PG_PASSWORD:?LEADGEN_PG_PASSWORD must be set to initialise a new cluster}"
  pwfile="$data_root/.initdb-password"
  umask 077
  printf '%s\n' "$LEADGEN_PG_PASSWORD" > "$pwfile"
  [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$pwfile"
  echo "local-postgres: initialising a new cluster in $pgdata"
  if ! as_postgres "$bin_dir/initdb" -D "$pgdata" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
      --encoding=UTF8 --locale=C.UTF-8 >"$data_root/initdb.log" 2>&1; then
    rm -f "$pwfile"
    cat "$data_root/initdb.log" >&2
    exit 1
  fi
  rm -f "$pwfile"
fi

echo "local-postgres: starting $("$bin_dir/postgres" --version) on 127.0.0.1:$port (data: $pgdata)"
# The background subshell execs (setpriv execs too), so $! is the postmaster itself: a signal sent to $! reaches
# Postgres, not a bash subshell (a non-interactive shell's background jobs ignore INT, so that once went nowhere).
(
  if [[ "$(id -u)" == 0 ]]; then
    exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$bin_dir/postgres" -D "$pgdata" -p "$port" \
      -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 "$@"
  fi
  exec "$bin_dir/postgres" -D "$pgdata" -p "$port" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 "$@"
) &
server_pid=$!

# TERM (how Aspire stops an executable resource) and INT (Ctrl+C) both become Postgres's fast shutdown (SIGINT to the
# postmaster): it ends sessions, checkpoints and removes postmaster.pid, so no server or stale lock is left behind.
trap 'kill -INT "$server_pid" 2>/dev/null || true' TERM INT
set +e
wait "$server_pid"
status=$?
# wait returns early when a trapped signal arrives: keep waiting until the postmaster has really gone.
while kill -0 "$server_pid" 2>/dev/null; do wait "$server_pid"; status=$?; done
exit "$status"
