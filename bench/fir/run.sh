#!/usr/bin/env bash
# FIR benchmark: the filter arithmetic of the call resamplers (the real filters: 24→8 kHz and 8→16 kHz) over a call's
# 20 ms frames. ours = FirConvolution (what LeadGen.Core/Audio runs: vectorised across outputs), baseline =
# TensorPrimitives.Dot once per output, same data and outputs, alternating rounds in one process, pinned to one core.
#   usage: bench/run.sh fir [--quick] [--seconds S] [--rounds N] (--help)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet build "$here/LeadGen.Bench.Fir.csproj" -c Release --nologo -v quiet -warnaserror >&2
pin=()
if command -v taskset >/dev/null && [[ "$(nproc --all)" -ge 2 ]]; then pin=(taskset -c 1); fi
exec "${pin[@]}" dotnet "$here/bin/Release/net10.0/LeadGen.Bench.Fir.dll" "$@"
