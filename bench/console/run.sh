#!/usr/bin/env bash
# Console benchmark: the console's overview, campaigns and leads pages requested over HTTP (server-rendered, so the
# page's queries run) by a signed-in user, p95 server time with 1,000,000 leads and 200,000 calls seeded vs the same
# pages on an empty database, in one run (Postgres, Redis and the console started here, stopped afterwards).
#   usage: bench/run.sh console [--quick] [--leads N] [--calls N] [--requests N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet build "$here/LeadGen.Bench.Console.csproj" -c Release --nologo -v quiet >&2
dotnet build "$here/../../LeadGen.Console/LeadGen.Console.csproj" -c Release --nologo -v quiet >&2
exec dotnet "$here/bin/Release/net10.0/LeadGen.Bench.Console.dll" "$@"
