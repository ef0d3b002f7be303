#!/usr/bin/env bash
# Deploys every generated Cloud Run service as is (100 % to the new revision): the staging rollout, and the worker in
# production (it serves no user traffic, so it has no canary). Prints the console's URL (it serves /api, which the
# smoke test drives) when it was deployed.
#   usage: deploy/deploy-services.sh GENERATED_DIR [--except SERVICE]
#   (every cloudrun/*.yaml except the jobs and, with --except, the service whose canary rollout is separate)
#   environment: GCP_PROJECT, GCP_REGION
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 1 || ( $# -eq 3 && "$2" == --except ) ]] || die "usage: deploy-services.sh GENERATED_DIR [--except SERVICE]"
require_env GCP_PROJECT GCP_REGION
generated="$1" excluded="${3:-}"
files=()
for file in "$generated"/cloudrun/*.yaml; do
  [[ "$file" == *.job.yaml || "$(basename "$file" .yaml)" == "$excluded" ]] || files+=("$file")
done
[[ ${#files[@]} -gt 0 ]] || die "no service YAML in $generated/cloudrun"

for file in "${files[@]}"; do
  service="$(yaml_metadata_name "$file")"
  log "deploying $service from $(basename "$file")"
  gcloud_run services replace "$file" >&2
  if [[ "$(basename "$file")" == console.yaml ]]; then
    gcloud_run services describe "$service" --format='value(status.url)'
  fi
done
