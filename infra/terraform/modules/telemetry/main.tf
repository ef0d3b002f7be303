# The OpenTelemetry Collector sidecar's configuration, as the Secret Manager secret the publisher's YAML (and the
# cloud_run module) mount at /etc/otelcol-google. It holds no credential: the collector authenticates as the service's
# own account, which the security module grants roles/cloudtrace.agent and roles/monitoring.metricWriter.
resource "google_secret_manager_secret" "collector_config" {
  project   = var.project_id
  secret_id = var.config_secret_id
  labels    = { source = "terraform" }

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "collector_config" {
  secret      = google_secret_manager_secret.collector_config.id
  secret_data = file("${path.module}/otel-collector.yaml")
}

resource "google_secret_manager_secret_iam_member" "collector_config_reader" {
  for_each = var.service_account_emails

  project   = var.project_id
  secret_id = google_secret_manager_secret.collector_config.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${each.value}"
}
