#!/usr/bin/env bash
# Vulnerability gate: scans a pushed image with the On-Demand Scanning API and fails when any CRITICAL finding exists.
#   usage: deploy/scan-image.sh IMAGE [SEVERITY_TO_FAIL_ON]   (default CRITICAL)
# Prints the count per severity; exit 1 on a finding at the gate's severity, so the pipeline stops before deploying.
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -ge 1 ]] || die "usage: scan-image.sh IMAGE [SEVERITY]"
image="$1" gate="${2:-CRITICAL}"

log "scanning $image"
scan="$(gcloud artifacts docker images scan "$image" --remote --quiet --format='value(response.scan)')"
[[ -n "$scan" ]] || die "the scan of $image returned no result"

severities="$(gcloud artifacts docker images list-vulnerabilities "$scan" --format='value(vulnerability.effectiveSeverity)')"
for severity in CRITICAL HIGH MEDIUM LOW; do
  count="$(grep -c "^${severity}\$" <<<"$severities" || true)"
  log "$severity: $count"
done

blocking="$(grep -c "^${gate}\$" <<<"$severities" || true)"
if [[ "$blocking" -gt 0 ]]; then
  log "$image has $blocking $gate vulnerabilities; details:"
  gcloud artifacts docker images list-vulnerabilities "$scan" \
    --format='table(vulnerability.effectiveSeverity, vulnerability.shortDescription, vulnerability.packageIssue[0].affectedPackage, vulnerability.packageIssue[0].fixedVersion.name)' \
    --filter="vulnerability.effectiveSeverity=$gate" >&2 || true
  die "vulnerability gate failed for $image"
fi
log "no $gate vulnerabilities in $image"
