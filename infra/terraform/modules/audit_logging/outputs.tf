output "log_bucket_id" {
  description = "Log bucket holding the audit logs."
  value       = google_logging_project_bucket_config.audit.id
}

output "sink_writer_identity" {
  description = "Identity the sink writes with."
  value       = google_logging_project_sink.audit.writer_identity
}

output "audited_services" {
  description = "Services with Data Access audit logs on."
  value       = var.data_access_services
}
