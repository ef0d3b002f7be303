#!/usr/bin/env bash
# Queue benchmark: ours = jobs/s through the whole durable path (Postgres outbox enqueue → relay → Redis Stream →
# consumer group → idempotency marker + handler commit → XACK); baseline = a raw XADD loop (one awaited XADD at a
# time, same client library) against the same Redis in the same run. Starts and stops its own Postgres and Redis.
#   usage: bench/run.sh queue [--quick] [--jobs N] [--traced] (--help)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
"$repo_root/scripts/install-prerequisites.sh" --for run >/dev/null
echo "queue: building (Release)"
dotnet build "$here/LeadGen.Bench.Queue/LeadGen.Bench.Queue.csproj" -c Release --nologo -v quiet -warnaserror >/dev/null
exec dotnet "$here/LeadGen.Bench.Queue/bin/Release/net10.0/LeadGen.Bench.Queue.dll" "$@"
