#!/usr/bin/env bash
# Runs a local Redis server: the AppHost's "processes" mode and the test fixtures both start Redis through this script.
#   usage: local-redis.sh DATA_DIR [PORT] [extra redis config lines...]
#   env:   LEADGEN_REDIS_PASSWORD (optional: requires AUTH, like Memorystore); REDIS_PORT if PORT is omitted
# The password is passed on stdin as configuration, never on the command line (it would show in `ps`).
set -euo pipefail

data_dir="${1:?usage: local-redis.sh DATA_DIR [PORT] [config lines...]}"
port="${2:-${REDIS_PORT:?PORT argument or REDIS_PORT must be set}}"
shift $(( $# >= 2 ? 2 : 1 ))

if ! command -v redis-server >/dev/null 2>&1; then
  echo "local-redis: redis-server not found; run ./run.sh (it installs it) or 'apt-get install -y redis-server'." >&2
  exit 1
fi

mkdir -p "$data_dir"
config="port $port
bind 127.0.0.1
dir $data_dir
appendonly yes
save \"\"
daemonize no
protected-mode yes"
if [[ -n "${LEADGEN_REDIS_PASSWORD:-}" ]]; then config+=$'\n'"requirepass $LEADGEN_REDIS_PASSWORD"; fi
for line in "$@"; do config+=$'\n'"$line"; done
# exec with a here-string: this process becomes redis-server (signals reach it directly) and reads its config from stdin.
exec redis-server - <<<"$config"
