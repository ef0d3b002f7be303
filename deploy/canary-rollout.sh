#!/usr/bin/env bash
# Production rollout of the voice API as a canary:
#   1. deploy the new revision with no traffic and the tag "canary" (the revisions serving now keep 100 %);
#   2. smoke-test the canary's own URL (https://canary---...);
#   3. shift 10 % -> 50 % -> 100 %, and after each step wait, then read the canary revision's error rate and p99 latency
#      from Cloud Monitoring; a breach sends 100 % back to the previous revision and fails the pipeline.
# A first deployment (nothing serving yet) goes straight to 100 % after its smoke test.
#   usage: deploy/canary-rollout.sh GENERATED_DIR REVISION_SUFFIX [SERVICE]   (SERVICE default voiceapi)
#   environment: GCP_PROJECT, GCP_REGION; optional CANARY_STEPS ("10 50 100"), CANARY_OBSERVE_SECONDS (300),
#   CANARY_MAX_ERROR_RATE (0.05), CANARY_MAX_P99_MS (5000), CANARY_MIN_REQUESTS (0) — defaults are the seed's alerts.
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -ge 2 ]] || die "usage: canary-rollout.sh GENERATED_DIR REVISION_SUFFIX [SERVICE]"
require_env GCP_PROJECT GCP_REGION
generated="$1" suffix="$2" file_service="${3:-voiceapi}"
steps="${CANARY_STEPS:-10 50 100}"
observe="${CANARY_OBSERVE_SECONDS:-300}"
service_file="$generated/cloudrun/$file_service.yaml"
[[ -f "$service_file" ]] || die "$service_file is missing"
service="$(yaml_metadata_name "$service_file")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The revisions serving now (empty file when the service does not exist yet).
gcloud_run services describe "$service" --format=json >"$work/current.json" 2>/dev/null || : >"$work/current.json"
plan="$(run_tool Canary prepare --service-yaml "$service_file" --current "$work/current.json" \
  --revision-suffix "$suffix" --output "$work/canary.yaml")"
canary="$(sed -n 's/^canary_revision=//p' <<<"$plan")"
stable="$(sed -n 's/^stable_revision=//p' <<<"$plan")"
[[ -n "$canary" ]] || die "could not prepare the canary manifest"

log "deploying $canary (no traffic, tag canary); stable revision: ${stable:-none, first deployment}"
gcloud_run services replace "$work/canary.yaml" >&2
gcloud_run services describe "$service" --format=json >"$work/deployed.json"

rollback() {
  if [[ -n "$stable" ]]; then
    log "ROLLBACK: sending 100 % of $service back to $stable ($1)"
    gcloud_run services update-traffic "$service" --to-revisions "$stable=100" >&2
  fi
  die "canary $canary rejected: $1"
}

canary_url="$(run_tool Canary tag-url --current "$work/deployed.json" --tag canary 2>/dev/null || true)"
[[ -n "$canary_url" ]] || canary_url="$(gcloud_run services describe "$service" --format='value(status.url)')"
# The management API the smoke test drives lives on the console service (deployed before this rollout).
api_url="$(gcloud_run services describe console --format='value(status.url)' 2>/dev/null || true)"
"$(dirname "${BASH_SOURCE[0]}")/smoke-test.sh" "$canary_url" ${api_url:+"$api_url"} || rollback "smoke test of $canary_url failed"

if [[ -z "$stable" ]]; then
  log "first deployment: $canary already serves 100 %"
  exit 0
fi

access_token() { gcloud auth print-access-token; }
for percent in $steps; do
  log "shifting $percent % of $service to $canary"
  if [[ "$percent" -ge 100 ]]; then
    gcloud_run services update-traffic "$service" --to-revisions "$canary=100" >&2
  else
    gcloud_run services update-traffic "$service" --to-tags "canary=$percent" >&2
  fi
  log "observing for $observe s"
  sleep "$observe"
  status=0
  GOOGLE_OAUTH_ACCESS_TOKEN="$(access_token)" run_tool Canary check \
    --project "$GCP_PROJECT" --service "$service" --revision "$canary" --window-seconds "$observe" \
    --max-error-rate "${CANARY_MAX_ERROR_RATE:-0.05}" --max-p99-ms "${CANARY_MAX_P99_MS:-5000}" \
    --min-requests "${CANARY_MIN_REQUESTS:-0}" || status=$?
  # 1 = thresholds breached, anything else = metrics unreadable: both roll back (never promote blind).
  [[ "$status" -eq 0 ]] || rollback "canary check at $percent % exited $status"
done
log "$canary serves 100 % of $service"
