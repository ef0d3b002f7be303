#!/usr/bin/env bash
# Runs the smoke test (tools/LeadGen.SmokeTest) against a deployed base URL: /health, then an authenticated management API
# call and one text conversation turn on API_URL (the console service, which serves /api; default BASE_URL).
# Used by both pipelines, after staging and on the production canary.
#   usage: deploy/smoke-test.sh BASE_URL [API_URL]
# The management key comes from LEADGEN_MANAGEMENT_API_KEY, or else is read from Secret Manager
# (secret MANAGEMENT_API_KEY_SECRET, default management-api-key, in GCP_PROJECT). It is never printed.
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 1 || $# -eq 2 ]] || die "usage: smoke-test.sh BASE_URL [API_URL]"
if [[ -z "${LEADGEN_MANAGEMENT_API_KEY:-}" ]]; then
  require_env GCP_PROJECT
  LEADGEN_MANAGEMENT_API_KEY="$(gcloud secrets versions access latest --project "$GCP_PROJECT" \
    --secret "${MANAGEMENT_API_KEY_SECRET:-management-api-key}")"
  if [[ -n "${GITHUB_ACTIONS:-}" ]]; then echo "::add-mask::$LEADGEN_MANAGEMENT_API_KEY"; fi
fi
export LEADGEN_MANAGEMENT_API_KEY
run_tool SmokeTest --base-url "$1" --api-url "${2:-$1}"
