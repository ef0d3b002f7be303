#!/usr/bin/env bash
# Import benchmark: 100,000 generated leads through our import path vs raw binary COPY of the same normalised rows
# into the same table, in one run on one Postgres (started here on a free port, stopped afterwards).
#   usage: bench/run.sh import [--quick] [--rows N] [--rounds N] (--help)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet build "$here/LeadGen.Bench.Import.csproj" -c Release --nologo -v quiet >&2
exec dotnet "$here/bin/Release/net10.0/LeadGen.Bench.Import.dll" "$@"
