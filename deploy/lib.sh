#!/usr/bin/env bash
# Shared helpers for the pipeline scripts in deploy/ (sourced, not run). Both pipelines (GitHub Actions and Cloud Build)
# call the same scripts, so the deployment logic lives here once.
# shellcheck disable=SC2034  # repo_root is used by the scripts that source this file

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# require_env NAME... : fails with the names of every unset variable.
require_env() {
  local missing=() name
  for name in "$@"; do
    [[ -n "${!name:-}" ]] || missing+=("$name")
  done
  [[ ${#missing[@]} -eq 0 ]] || die "missing environment: ${missing[*]}"
}

# validate_environment NAME : only the environments infra/terraform/environments knows.
validate_environment() {
  case "$1" in
    staging|production) ;;
    *) die "environment must be 'staging' or 'production' (was '$1')" ;;
  esac
}

# run_tool NAME ARGS... : runs tools/LeadGen.NAME. With LEADGEN_TOOLS_DIR set (Cloud Build publishes the tools
# self-contained once, for images without the .NET SDK) it runs the published binary, otherwise `dotnet run`.
run_tool() {
  local name="$1"; shift
  if [[ -n "${LEADGEN_TOOLS_DIR:-}" ]]; then
    "$LEADGEN_TOOLS_DIR/LeadGen.$name/LeadGen.$name" "$@"
  else
    dotnet run --project "$repo_root/tools/LeadGen.$name" -c Release -v quiet -- "$@"
  fi
}

# yaml_metadata_name FILE : metadata.name of a generated Knative YAML (top-level metadata block, two-space indent,
# as the publisher writes it).
yaml_metadata_name() {
  awk '/^metadata:/ { in_metadata = 1; next }
       /^[^ ]/      { in_metadata = 0 }
       in_metadata && /^  name:/ { sub(/^  name:[ ]*/, ""); gsub(/["'\'']/, ""); print; exit }' "$1"
}

# gcloud_run ARGS... : gcloud run with the project and region every script uses.
gcloud_run() {
  gcloud run "$@" --project "$GCP_PROJECT" --region "$GCP_REGION" --quiet
}
