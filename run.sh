#!/usr/bin/env bash
# Command 1 of the README: brings up the full local stack (Aspire AppHost: Postgres, Redis, migrations, voiceapi,
# worker, dashboard). Installs postgresql/redis-server first when no container runtime answers. Ctrl+C stops it all.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo_root"

container_runtime_answers() {
  { command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1; } ||
    { command -v podman >/dev/null 2>&1 && timeout 5 podman info >/dev/null 2>&1; }
}

mode="${LocalInfrastructure:-auto}"
for arg in "$@"; do
  case "$arg" in --LocalInfrastructure=*) mode="${arg#*=}" ;; esac
done
if [[ "$mode" == "processes" ]] || { [[ "$mode" == "auto" ]] && ! container_runtime_answers; }; then
  echo "run: no container runtime (or processes mode requested): local Postgres/Redis processes, data in .localdata/"
  "$repo_root/scripts/install-prerequisites.sh" --for run
fi

echo "run: starting the AppHost; the dashboard URL is printed below (default http://localhost:15080)"
exec dotnet run --project "$repo_root/LeadGen.AppHost" --launch-profile http -- "$@"
