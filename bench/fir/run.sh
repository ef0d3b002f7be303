#!/usr/bin/env bash
# FIR benchmark: the dot product at the heart of the call resamplers, over the real filters' tap counts and a call's
# sliding sample windows. ours = TensorPrimitives.Dot (what LeadGen.Core/Audio runs), baseline = the hand-vectorised
# Vector<float> loop it replaced, on the same data, alternating rounds in the same process, pinned to one core.
#   usage: bench/run.sh fir [--quick] [--seconds S] [--rounds N] (--help)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet build "$here/LeadGen.Bench.Fir.csproj" -c Release --nologo -v quiet -warnaserror >&2
pin=()
if command -v taskset >/dev/null && [[ "$(nproc --all)" -ge 2 ]]; then pin=(taskset -c 1); fi
exec "${pin[@]}" dotnet "$here/bin/Release/net10.0/LeadGen.Bench.Fir.dll" "$@"
