#!/usr/bin/env bash
# Calls benchmark: ours = N concurrent simulated calls (the telephony simulator: signed webhook, Media Streams socket,
# real-time 20 ms μ-law frames) through one VoiceApi process bridged to an instant fake Gemini Live; baseline = the same
# number of sockets streaming 20 ms frames at a bare WebSocket echo endpoint, in the same run. Metric: p99 latency for
# a frame to cross one server (two hops: fake model → VoiceApi → caller, vs caller → echo → caller).
# Starts and stops its own Postgres, Redis, fake model, echo server and VoiceApi.
#   usage: bench/run.sh calls [--quick] [--calls N] [--seconds S] [--warmup-rounds R]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
"$repo_root/scripts/install-prerequisites.sh" --for run >/dev/null
echo "calls: building (Release)"
dotnet build "$repo_root/LeadGen.VoiceApi/LeadGen.VoiceApi.csproj" -c Release --nologo -v quiet -warnaserror >/dev/null
dotnet build "$here/LeadGen.Bench.Calls/LeadGen.Bench.Calls.csproj" -c Release --nologo -v quiet -warnaserror >/dev/null
# DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS is left at the runtime's default (what production runs). It looked like
# a big win before the benchmark had a warm-up phase, but that was the JIT's tiering; warmed up, at 200 calls, it made
# no difference to relay p99 (15.9/19.8 ms off vs 20.6/73.7 ms on) and turn p99 was worse with it (31/35 vs 68/92 ms).
# Export it yourself to compare; the RESULT line reports inline_completions=0|1.
exec dotnet "$here/LeadGen.Bench.Calls/bin/Release/net10.0/LeadGen.Bench.Calls.dll" \
  --voiceapi "$repo_root/LeadGen.VoiceApi/bin/Release/net10.0/LeadGen.VoiceApi.dll" "$@"
