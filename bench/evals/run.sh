#!/usr/bin/env bash
# Evals: ours = the share of personas (tools/LeadGen.Simulator/Personas) whose call ends with the expected
# outcome, baseline = 100 % (every persona right). Each persona runs through a VoiceApi on Kestrel over its own Postgres
# and Redis (started and stopped by the tool), with the simulator playing Twilio ConversationRelay and the lead. The
# engine is the environment's (Gemini__Mode, Gemini__Project, Gemini__ApiKey …), offline when none is set; the report
# names it. Prints a per-persona table and totals (field precision/recall, turns, latency, cost), then the RESULT line.
#   usage: bench/run.sh evals [--quick] [--personas a,b] [--rate-telephony USD] [--rate-relay USD] [--rate-tokens USD]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
"$repo_root/scripts/install-prerequisites.sh" --for run >/dev/null
args=()
for arg in "$@"; do
  if [[ "$arg" == "--quick" ]]; then
    # One persona per kind of outcome.
    args+=(--personas "eager-buyer,not-decision-maker,callback-tomorrow,presses-nine,voicemail,wants-human,silent")
  else
    args+=("$arg")
  fi
done
echo "evals: building (Release)"
dotnet build "$repo_root/tools/LeadGen.Evals/LeadGen.Evals.csproj" -c Release --nologo -v quiet -warnaserror >/dev/null
cd "$repo_root/tools/LeadGen.Evals"
exec dotnet "bin/Release/net10.0/LeadGen.Evals.dll" "${args[@]}"
