data "google_project" "current" {
  project_id = var.project_id
}

# Rotation reminders and secret events go to this topic (subscribe an alerting or automation endpoint to it).
resource "google_pubsub_topic" "rotation" {
  project = var.project_id
  name    = "${var.name_prefix}-secret-rotation"
}

resource "google_pubsub_topic_iam_member" "secret_manager_publishes" {
  project = var.project_id
  topic   = google_pubsub_topic.rotation.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-secretmanager.iam.gserviceaccount.com"
}

locals {
  rotation_period = "${var.rotation_days * 86400}s"

  # The tokens the publisher emits; each is replaced in `composed` below.
  known_tokens = [
    "database.host", "database.port", "database.password", "database.password_uri",
    "redis.host", "redis.port", "redis.password", "redis.password_uri", "redis.scheme", "redis.tls_suffix",
    "redis.ca_certificate",
  ]

  # Values Terraform writes itself: generated passwords and composed strings (connection strings, hosts).
  # Manual secrets (API keys) get their versions from an operator: `gcloud secrets versions add NAME --data-file=-`.
  managed = toset([for name, secret in var.secrets : name if secret.source != "manual"])

  # A composed template is filled token by token; the publisher only emits these tokens.
  composed = {
    for name, secret in var.secrets : name => replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
      secret.template,
      "{{database.host}}", var.token_values["database.host"]),
      "{{database.port}}", var.token_values["database.port"]),
      "{{database.password_uri}}", var.token_values["database.password_uri"]),
      "{{database.password}}", var.token_values["database.password"]),
      "{{redis.host}}", var.token_values["redis.host"]),
      "{{redis.port}}", var.token_values["redis.port"]),
      "{{redis.password_uri}}", var.token_values["redis.password_uri"]),
      "{{redis.password}}", var.token_values["redis.password"]),
      "{{redis.scheme}}", var.token_values["redis.scheme"]),
      "{{redis.tls_suffix}}", var.token_values["redis.tls_suffix"]),
      "{{redis.ca_certificate}}", var.token_values["redis.ca_certificate"])
    if secret.source == "composed"
  }

  values = merge(
    { for name, secret in var.secrets : name => var.token_values["database.password"] if secret.source == "database_password" },
    { for name, secret in var.secrets : name => var.token_values["redis.password"] if secret.source == "redis_auth" },
    local.composed,
  )

  accessors = merge([
    for name, secret in var.secrets : { for workload in secret.accessors : "${name}/${workload}" => { secret = name, workload = workload } }
  ]...)
}

resource "google_secret_manager_secret" "secret" {
  for_each = var.secrets

  project   = var.project_id
  secret_id = each.key
  labels    = { source = replace(each.value.source, "_", "-") }

  replication {
    auto {}
  }

  topics {
    name = google_pubsub_topic.rotation.id
  }

  rotation {
    rotation_period    = local.rotation_period
    next_rotation_time = timeadd(plantimestamp(), local.rotation_period)
  }

  lifecycle {
    # The next rotation time moves forward on its own; do not reset it on every plan.
    ignore_changes = [rotation[0].next_rotation_time]
  }

  depends_on = [google_pubsub_topic_iam_member.secret_manager_publishes]
}

resource "google_secret_manager_secret_version" "managed" {
  for_each = local.managed

  secret      = google_secret_manager_secret.secret[each.key].id
  secret_data = local.values[each.key]

  lifecycle {
    precondition {
      condition     = alltrue([for token in regexall("\\{\\{([^}]*)\\}\\}", var.secrets[each.key].template) : contains(local.known_tokens, token[0])])
      error_message = "Secret ${each.key}: its template uses a token this module does not fill in (known: ${join(", ", local.known_tokens)})."
    }
  }
}

resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each = local.accessors

  project   = var.project_id
  secret_id = google_secret_manager_secret.secret[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${var.service_account_emails[each.value.workload]}"
}
