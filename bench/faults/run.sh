#!/usr/bin/env bash
# Fault run (issue 18): Postgres, Redis, two Workers and the VoiceApi as separate processes under a campaign of simulated
# leads (ConversationRelay personas), while, in a seeded random order: kill -9 a Worker mid-dial, kill -9 the VoiceApi
# mid-call, restart Redis, restart Postgres (fast and immediate shutdown), SIGSTOP Redis for 10 s, fill the outbox while
# Redis is down. Then every invariant is checked from the database and the streams (tools/LeadGen.Faults/FaultAudit.cs).
# ours = anomalies found, baseline = 0 (the only acceptable number). Exit code 1 when anomalies were found.
#   usage: bench/run.sh faults [--quick] [--seed N] [--leads N] [--rounds N] [--max-concurrent-calls N]
#   default: 500 leads, two rounds (14 faults), ~5 min; --quick: 60 leads, one round (7 faults), ~2.5 min
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
"$repo_root/scripts/install-prerequisites.sh" --for run >/dev/null
echo "faults: building (Release)"
dotnet build "$repo_root/tools/LeadGen.Faults/LeadGen.Faults.csproj" -c Release --nologo -v quiet -warnaserror >/dev/null
exec dotnet "$repo_root/tools/LeadGen.Faults/bin/Release/net10.0/LeadGen.Faults.dll" --configuration Release "$@"
