output "service_account_emails" {
  description = "Workload name => service account email."
  value       = { for name, account in google_service_account.workload : name => account.email }
}

output "ci_service_account_email" {
  description = "Service account GitHub Actions impersonates."
  value       = google_service_account.ci.email
}

output "workload_identity_provider_name" {
  description = "projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/github-oidc"
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "workload_identity_pool_name" {
  description = "Full name of the Workload Identity pool."
  value       = google_iam_workload_identity_pool.github.name
}
