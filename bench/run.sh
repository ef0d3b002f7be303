#!/usr/bin/env bash
# Benchmarks: `bench/run.sh --list` lists them; `bench/run.sh NAME [options]` runs one (it starts and stops what it
# needs). Each benchmark is a folder bench/NAME/ with a run.sh and a one-line DESCRIPTION; its last output line is
#   RESULT <name> ours=<n> baseline=<n> unit=<u> ratio=<ours/baseline> [key=value ...]
set -euo pipefail
bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

list() {
  for dir in "$bench_root"/*/; do
    [[ -x "$dir/run.sh" ]] || continue
    printf '%-10s %s\n' "$(basename "$dir")" "$(head -n 1 "$dir/DESCRIPTION" 2>/dev/null || true)"
  done
}

case "${1:-}" in
  ""|-h|--help) echo "usage: bench/run.sh --list | NAME [--quick] [options]"; list; exit 0 ;;
  --list) list; exit 0 ;;
esac

name="$1"; shift
if [[ ! -x "$bench_root/$name/run.sh" ]]; then
  echo "bench: no benchmark named '$name'. Available:" >&2
  list >&2
  exit 2
fi
exec "$bench_root/$name/run.sh" "$@"
