output "service_urls" {
  description = "Cloud Run service URLs by service name."
  value       = module.cloud_run.service_urls
}

output "job_names" {
  description = "Cloud Run jobs (run migrations with `gcloud run jobs execute <name> --wait`)."
  value       = module.cloud_run.job_names
}

output "artifact_registry_url" {
  description = "Docker repository to push images to; pass it to the publisher as --registry."
  value       = module.artifact_registry.repository_url
}

output "service_account_emails" {
  description = "Service account of each Cloud Run workload."
  value       = module.security.service_account_emails
}

output "workload_identity_provider" {
  description = "Full name of the GitHub Workload Identity provider (for google-github-actions/auth)."
  value       = module.security.workload_identity_provider_name
}

output "ci_service_account_email" {
  description = "Service account the CI pipeline impersonates."
  value       = module.security.ci_service_account_email
}

output "database_connection_name" {
  description = "Cloud SQL connection name (project:region:instance)."
  value       = var.postgres.enabled ? module.database[0].connection_name : null
}

output "redis_server_ca_certs" {
  description = "Memorystore server CA certificates clients must trust when in-transit encryption is on."
  value       = var.redis.enabled ? module.redis[0].server_ca_certs : null
  sensitive   = true
}

output "audio_bucket" {
  description = "Bucket for call audio."
  value       = module.storage.bucket_name
}

output "secret_ids" {
  description = "Secret Manager secret ids."
  value       = module.secrets.secret_ids
}

output "secret_rotation_topic" {
  description = "Pub/Sub topic that receives secret rotation notifications."
  value       = module.secrets.rotation_topic
}

output "dashboard_id" {
  description = "Cloud Monitoring dashboard."
  value       = module.monitoring.dashboard_id
}

output "audit_log_bucket" {
  description = "Log bucket that keeps the audit logs."
  value       = module.audit_logging.log_bucket_id
}
