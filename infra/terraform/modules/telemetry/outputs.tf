output "config_secret_id" {
  description = "Full id of the collector configuration secret."
  value       = google_secret_manager_secret.collector_config.id
}

output "config_version" {
  description = "The configuration version the sidecars read (a change rolls out with the next revision)."
  value       = google_secret_manager_secret_version.collector_config.name
}
