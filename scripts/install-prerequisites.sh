#!/usr/bin/env bash
# Installs what the local stack and the tests need when it is missing; prints what it installs. Idempotent.
#   usage: install-prerequisites.sh [--for run|test]
# With a container runtime answering, run mode needs nothing here (the AppHost uses containers).
set -euo pipefail
purpose="${2:-run}"
[[ "${1:-}" == "--for" ]] || purpose="run"

need=()
have_pg_server() { ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; }
have_pg_server || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [[ "$purpose" == "test" ]]; then
  command -v node >/dev/null 2>&1 || need+=(nodejs npm)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
  command -v sox >/dev/null 2>&1 || need+=(sox)
  command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
fi

if [[ ${#need[@]} -eq 0 ]]; then
  echo "prerequisites: all present"
  exit 0
fi

echo "prerequisites: installing ${need[*]}"
sudo_cmd=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "prerequisites: need root or sudo to install: ${need[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian's postgresql package starts a system cluster on 5432; our stack runs its own servers, so stop those.
if [[ " ${need[*]} " == *" postgresql "* ]] && command -v pg_ctlcluster >/dev/null 2>&1; then
  "${sudo_cmd[@]}" service postgresql stop >/dev/null 2>&1 || true
fi
if [[ " ${need[*]} " == *" redis-server "* ]]; then
  "${sudo_cmd[@]}" service redis-server stop >/dev/null 2>&1 || true
fi
echo "prerequisites: installed ${need[*]}"
