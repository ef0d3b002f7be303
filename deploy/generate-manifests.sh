#!/usr/bin/env bash
# Generates the Aspire manifest from the AppHost and turns it into Cloud Run YAML + Terraform inputs with our publisher.
#   usage: deploy/generate-manifests.sh ENVIRONMENT REGISTRY TAG OUTPUT_DIR
# Writes OUTPUT_DIR/aspire-manifest.json and the publisher's files: cloudrun/<service>.yaml,
# cloudrun/migrations.job.yaml, terraform/services.auto.tfvars.json, summary.md.
# The publisher knows no app: LeadGen's naming conventions (name prefix, migrations job, Redis CA variable) come from
# deploy/publisher-conventions.rsp.
# PUBLISHER_PROJECT overrides the publisher project (default: the one project under azure-free-gcp-manifests/).
# PUBLIC_BASE_URL (required by our AppHost's manifest) is the voice API's public https URL, passed to the publisher as
# the plain parameter public-base-url: Twilio webhooks are signed over it (a custom domain or the Cloud Run URL).
# LEADGEN_DOTNET_RUN_OPTIONS replaces the `dotnet run` build options (default "-c Release"; the tests use an existing
# Debug build: "-c Debug --no-build").
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 4 ]] || die "usage: generate-manifests.sh ENVIRONMENT REGISTRY TAG OUTPUT_DIR"
environment="$1" registry="$2" tag="$3"
validate_environment "$environment"
mkdir -p "$4"
output="$(cd "$4" && pwd)"

publisher="${PUBLISHER_PROJECT:-}"
if [[ -z "$publisher" ]]; then
  mapfile -t candidates < <(find "$repo_root/azure-free-gcp-manifests" -name '*.csproj' -not -path '*/tests/*' -not -name '*Tests.csproj' 2>/dev/null | sort)
  [[ ${#candidates[@]} -eq 1 ]] || die "expected one publisher project under azure-free-gcp-manifests/, found ${#candidates[@]}; set PUBLISHER_PROJECT"
  publisher="${candidates[0]}"
fi

read -r -a run_options <<<"${LEADGEN_DOTNET_RUN_OPTIONS:--c Release}"

log "aspire manifest -> $output/aspire-manifest.json"
dotnet run --project "$repo_root/LeadGen.AppHost" "${run_options[@]}" --no-launch-profile -v quiet -- \
  --publisher manifest --output-path "$output/aspire-manifest.json" >&2

parameters=()
if [[ -n "${PUBLIC_BASE_URL:-}" ]]; then parameters+=(--parameter "public-base-url=$PUBLIC_BASE_URL"); fi

log "publisher ($environment, $registry, $tag) -> $output"
dotnet run --project "$publisher" "${run_options[@]}" -v quiet -- \
  "@$repo_root/deploy/publisher-conventions.rsp" \
  --manifest "$output/aspire-manifest.json" --output "$output" \
  --environment "$environment" --registry "$registry" --tag "$tag" "${parameters[@]}"

for expected in cloudrun/migrations.job.yaml terraform/services.auto.tfvars.json; do
  [[ -f "$output/$expected" ]] || die "the publisher did not write $expected"
done
