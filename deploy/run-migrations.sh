#!/usr/bin/env bash
# Creates/updates the migrations Cloud Run Job from the generated YAML and runs it to completion before any rollout.
# Migrations are expand/contract safe, so the revisions still serving keep working against the migrated schema.
#   usage: deploy/run-migrations.sh GENERATED_DIR      environment: GCP_PROJECT, GCP_REGION
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 1 ]] || die "usage: run-migrations.sh GENERATED_DIR"
require_env GCP_PROJECT GCP_REGION
job_file="$1/cloudrun/migrations.job.yaml"
[[ -f "$job_file" ]] || die "$job_file is missing"
job="$(yaml_metadata_name "$job_file")"
[[ -n "$job" ]] || die "no metadata.name in $job_file"

log "updating job $job"
gcloud_run jobs replace "$job_file" >&2
log "executing job $job (waits for completion)"
gcloud_run jobs execute "$job" --wait >&2 || die "migrations job $job failed: see its execution logs in Cloud Run"
log "migrations applied"
