#!/usr/bin/env bash
# Calls benchmark: ours = N concurrent simulated calls (the telephony simulator: signed webhook, Media Streams socket,
# real-time 20 ms μ-law frames) through one VoiceApi process bridged to an instant fake Gemini Live; baseline = the relay
# floor, a minimal WebSocket server that forwards the same callers' frames to the same fake model (in floor mode, which
# speaks Twilio's format) and the model's frames back untouched, in the same run. Both servers are pinned to core 0,
# this driver (with the fake model, Postgres, Redis and the callers) to core 1. Metric: server CPU per call-second
# (ratio = VoiceApi / floor), plus relay p99 (fake model → server → caller), server-added turn p99 and dropped frames.
# Warm-up runs until each server's CPU per round stops falling; measured rounds alternate (see the README).
# Starts and stops its own Postgres, Redis, fake model, relay floor and VoiceApi.
#   usage: bench/run.sh calls [--quick] [--calls N] [--seconds S] [--warmup-rounds R] [--repeat K] [--paced]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
"$repo_root/scripts/install-prerequisites.sh" --for run >/dev/null
echo "calls: building (Release)"
dotnet build "$repo_root/LeadGen.VoiceApi/LeadGen.VoiceApi.csproj" -c Release --nologo -v quiet -warnaserror >/dev/null
dotnet build "$here/LeadGen.Bench.Calls/LeadGen.Bench.Calls.csproj" -c Release --nologo -v quiet -warnaserror >/dev/null
# DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS is left at the runtime's default (what production runs); export it to
# compare (the RESULT line reports inline_completions=0|1). Both servers set Kestrel's inline scheduling in code.
# Pin the driver to core 1 (the servers go to core 0, see PinnedServer.cs); unpinned where taskset or a 2nd core is missing.
pin=(); server_core=()
if command -v taskset >/dev/null && [[ "$(nproc --all)" -ge 2 ]]; then pin=(taskset -c 1); server_core=(--server-core 0); fi
exec "${pin[@]}" dotnet "$here/LeadGen.Bench.Calls/bin/Release/net10.0/LeadGen.Bench.Calls.dll" \
  --voiceapi "$repo_root/LeadGen.VoiceApi/bin/Release/net10.0/LeadGen.VoiceApi.dll" "${server_core[@]}" "$@"
