output "secret_ids" {
  description = "Secret name => full secret id."
  value       = { for name, secret in google_secret_manager_secret.secret : name => secret.id }
}

output "manual_secrets" {
  description = "Secrets an operator must add a version to before the first deploy."
  value       = sort([for name, secret in var.secrets : name if secret.source == "manual"])
}

output "rotation_topic" {
  description = "Pub/Sub topic receiving rotation notifications."
  value       = google_pubsub_topic.rotation.id
}
