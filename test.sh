#!/usr/bin/env bash
# Command 2 of the README: installs what the tests need (PostgreSQL and Redis binaries, Chromium, espeak-ng/sox,
# ShellCheck, npm tools), then runs every test. Tests start their own Postgres/Redis processes on free ports.
#   usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Import]
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo_root"

"$repo_root/scripts/install-prerequisites.sh" --for test
if [[ -f "$repo_root/tests/tools/package.json" ]]; then
  echo "test: installing npm test tools (tests/tools)"
  (cd "$repo_root/tests/tools" && npm install --no-audit --no-fund --no-package-lock --loglevel=error)
fi

results="$repo_root/artifacts/test-results"
rm -rf "$results"
echo "test: building"
dotnet build "$repo_root/LeadGen.sln" -c Debug -warnaserror --nologo -v quiet
echo "test: running tests"
status=0
dotnet test "$repo_root/LeadGen.sln" -c Debug --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?

# One plain summary line over every test project (read from the TRX files' counters).
sum_counter() {
  local total=0 value
  for file in "$results"/*.trx; do
    [[ -f "$file" ]] || continue
    value="$(grep -o "<Counters [^>]*" "$file" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" || echo 0)"
    total=$((total + ${value:-0}))
  done
  echo "$total"
}
passed="$(sum_counter passed)"
failed=$(( $(sum_counter failed) + $(sum_counter error) + $(sum_counter timeout) ))
skipped="$(sum_counter notExecuted)"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
