# One service account per Cloud Run workload, with only what every workload needs (logs, metrics, traces).
# Data access is granted where the data lives: secret accessors in the secrets module, bucket access in storage.
resource "google_service_account" "workload" {
  for_each = var.workload_accounts

  project      = var.project_id
  account_id   = each.value
  display_name = "Cloud Run: ${each.key}"
}

locals {
  telemetry_roles = ["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/cloudtrace.agent"]
  workload_roles = merge(
    { for pair in setproduct(keys(var.workload_accounts), local.telemetry_roles) : "${pair[0]}/${pair[1]}" => { workload = pair[0], role = pair[1] } },
    { for name in var.vertex_ai_users : "${name}/roles/aiplatform.user" => { workload = name, role = "roles/aiplatform.user" } },
  )
  ci_roles = [
    "roles/run.developer",
    "roles/artifactregistry.writer",
    "roles/cloudbuild.builds.editor",
    # deploy/scan-image.sh: On-Demand Scanning of the pushed images (the critical-vulnerability gate).
    "roles/ondemandscanning.admin",
    # tools/LeadGen.Canary: reads the canary revision's error rate and p99 latency between traffic steps.
    "roles/monitoring.viewer",
  ]
}

resource "google_project_iam_member" "workload" {
  for_each = local.workload_roles

  project = var.project_id
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.workload[each.value.workload].email}"
}

# CI/CD: GitHub Actions authenticates with OIDC through Workload Identity Federation; no service account keys exist.
resource "google_service_account" "ci" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-deployer"
  display_name = "CI/CD deployer (GitHub Actions)"
}

resource "google_project_iam_member" "ci" {
  for_each = toset(local.ci_roles)

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.ci.email}"
}

# The deployer may deploy revisions that run as the workload accounts, and nothing else.
resource "google_service_account_iam_member" "ci_acts_as_workload" {
  for_each = google_service_account.workload

  service_account_id = each.value.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.ci.email}"
}

resource "google_iam_workload_identity_pool" "github" {
  project                   = var.project_id
  workload_identity_pool_id = "${var.name_prefix}-github"
  display_name              = "GitHub Actions"
}

resource "google_iam_workload_identity_pool_provider" "github" {
  project                            = var.project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "github-oidc"
  display_name                       = "GitHub OIDC"

  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
    "attribute.ref"        = "assertion.ref"
  }

  # Tokens from any other repository or branch are rejected before any role is considered.
  attribute_condition = "assertion.repository == \"${var.github_repository}\" && assertion.ref == \"${var.github_branch_ref}\""

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account_iam_member" "github_impersonates_ci" {
  service_account_id = google_service_account.ci.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.repository/${var.github_repository}"
}
