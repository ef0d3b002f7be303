#!/usr/bin/env bash
# terraform init + plan or apply for one environment of infra/terraform, with the publisher's generated services file.
#   usage: deploy/terraform.sh ENVIRONMENT plan|apply GENERATED_DIR
# plan writes GENERATED_DIR/terraform/ENVIRONMENT.tfplan; apply applies exactly that saved plan (never a fresh one).
# Environment: TF_STATE_BUCKET (GCS bucket for state; prefix leadgen/ENVIRONMENT), GCP_PROJECT (passed as -var project_id,
# which overrides the tfvars' placeholder so plan and deploy always target the same project).
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 3 ]] || die "usage: terraform.sh ENVIRONMENT plan|apply GENERATED_DIR"
environment="$1" action="$2"
validate_environment "$environment"
require_env TF_STATE_BUCKET GCP_PROJECT
generated="$(cd "$3" && pwd)"
terraform_dir="$repo_root/infra/terraform"
services_file="$generated/terraform/services.auto.tfvars.json"
plan_file="$generated/terraform/$environment.tfplan"
[[ -f "$services_file" ]] || die "$services_file is missing: run deploy/generate-manifests.sh first"

export TF_IN_AUTOMATION=1 TF_INPUT=0
terraform -chdir="$terraform_dir" init -reconfigure \
  -backend-config="bucket=$TF_STATE_BUCKET" -backend-config="prefix=leadgen/$environment" >&2

case "$action" in
  plan)
    terraform -chdir="$terraform_dir" plan -lock-timeout=5m \
      -var-file="environments/$environment.tfvars" -var-file="$services_file" -var="project_id=$GCP_PROJECT" \
      -out="$plan_file"
    ;;
  apply)
    [[ -f "$plan_file" ]] || die "no saved plan at $plan_file: run 'terraform.sh $environment plan' first"
    terraform -chdir="$terraform_dir" apply -lock-timeout=5m "$plan_file"
    ;;
  *) die "action must be plan or apply (was '$action')" ;;
esac
