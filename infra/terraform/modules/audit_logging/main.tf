# Admin Activity audit logs are always on; Data Access logs are enabled for the services holding sensitive data.
resource "google_project_iam_audit_config" "data_access" {
  for_each = toset(var.data_access_services)

  project = var.project_id
  service = each.value

  audit_log_config {
    log_type = "ADMIN_READ"
  }

  audit_log_config {
    log_type = "DATA_READ"
  }

  audit_log_config {
    log_type = "DATA_WRITE"
  }
}

# Audit logs are copied into a bucket with a longer retention than the default 30 days.
resource "google_logging_project_bucket_config" "audit" {
  project        = var.project_id
  location       = var.region
  bucket_id      = "${var.name_prefix}-audit"
  retention_days = var.retention_days
  description    = "Cloud Audit Logs (admin activity, data access, system events, policy denied)."
}

resource "google_logging_project_sink" "audit" {
  project                = var.project_id
  name                   = "${var.name_prefix}-audit"
  destination            = "logging.googleapis.com/${google_logging_project_bucket_config.audit.id}"
  filter                 = "logName:\"cloudaudit.googleapis.com\""
  unique_writer_identity = true
}
