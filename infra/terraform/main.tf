# LeadGen Voice on Google Cloud: network, identities, data stores, secrets, Cloud Run, storage, registry, monitoring and
# audit logging. The app-specific inputs (services, jobs, secrets, data stores) come from the publisher's
# services.auto.tfvars.json; the environment's sizes come from environments/<env>.tfvars.

locals {
  required_apis = [
    "aiplatform.googleapis.com",
    "artifactregistry.googleapis.com",
    "cloudtrace.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "containerscanning.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "redis.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "storage.googleapis.com",
    "sts.googleapis.com",
  ]

  # Every Cloud Run workload (service or job) gets its own service account.
  workload_accounts = merge(
    { for name, service in var.services : name => service.service_account_id },
    { for name, job in var.jobs : name => job.service_account_id },
  )

  # Values only Terraform knows, substituted into the publisher's composed-secret templates ({{token}}).
  database_password = var.postgres.enabled ? module.database[0].password : ""
  redis_password    = var.redis.enabled ? module.redis[0].auth_string : ""
  redis_tls         = var.redis.enabled ? module.redis[0].tls_enabled : false
  secret_token_values = {
    "database.host"         = var.postgres.enabled ? module.database[0].private_ip : ""
    "database.port"         = var.postgres.enabled ? tostring(module.database[0].port) : ""
    "database.password"     = local.database_password
    "database.password_uri" = urlencode(local.database_password)
    "redis.host"            = var.redis.enabled ? module.redis[0].host : ""
    "redis.port"            = var.redis.enabled ? tostring(module.redis[0].port) : ""
    "redis.password"        = local.redis_password
    "redis.password_uri"    = urlencode(local.redis_password)
    "redis.scheme"          = local.redis_tls ? "rediss" : "redis"
    "redis.tls_suffix"      = local.redis_tls ? ",ssl=true" : ""
    # PEM of the instance's server CA(s) (two during a CA rotation), trusted by the services as Redis__CaCertificate.
    # Blank (one space, never an empty secret version) without TLS: the services treat blank as "no TLS".
    "redis.ca_certificate" = local.redis_tls ? join("", [for ca in module.redis[0].server_ca_certs : ca.cert]) : " "
  }
}

resource "google_project_service" "required" {
  for_each = toset(local.required_apis)

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

module "networking" {
  source = "./modules/networking"

  project_id  = var.project_id
  region      = var.region
  name_prefix = var.name_prefix

  depends_on = [google_project_service.required]
}

module "security" {
  source = "./modules/security"

  project_id        = var.project_id
  name_prefix       = var.name_prefix
  workload_accounts = local.workload_accounts
  vertex_ai_users   = keys(var.services)
  github_repository = var.github_repository

  depends_on = [google_project_service.required]
}

module "database" {
  source = "./modules/database"
  count  = var.postgres.enabled ? 1 : 0

  project_id             = var.project_id
  region                 = var.region
  name_prefix            = var.name_prefix
  network_id             = module.networking.network_id
  database_version       = var.postgres.database_version
  tier                   = var.database_tier
  disk_size_gb           = var.database_disk_size_gb
  availability_type      = var.database_availability_type
  point_in_time_recovery = var.database_point_in_time_recovery
  deletion_protection    = var.deletion_protection
  user                   = var.postgres.user
  databases              = var.postgres.databases

  depends_on = [module.networking]
}

module "redis" {
  source = "./modules/redis"
  count  = var.redis.enabled ? 1 : 0

  project_id         = var.project_id
  region             = var.region
  name_prefix        = var.name_prefix
  network_id         = module.networking.network_id
  reserved_ip_range  = module.networking.private_service_range_name
  redis_version      = var.redis.redis_version
  tier               = var.redis_tier
  memory_size_gb     = var.redis_memory_size_gb
  transit_encryption = var.redis_transit_encryption

  depends_on = [module.networking]
}

module "secrets" {
  source = "./modules/secrets"

  project_id             = var.project_id
  name_prefix            = var.name_prefix
  secrets                = var.secrets
  token_values           = local.secret_token_values
  service_account_emails = module.security.service_account_emails
  rotation_days          = var.secret_rotation_days

  depends_on = [google_project_service.required]
}

# The pipeline's smoke test calls the management API, so the deployer may read that one secret (and no other).
resource "google_secret_manager_secret_iam_member" "deployer_reads_management_key" {
  for_each = { for name, id in module.secrets.secret_ids : name => id if name == "management-api-key" }

  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${module.security.ci_service_account_email}"
}

module "artifact_registry" {
  source = "./modules/artifact_registry"

  project_id              = var.project_id
  region                  = var.region
  repository_id           = var.name_prefix
  writer_service_account  = module.security.ci_service_account_email
  reader_service_accounts = values(module.security.service_account_emails)

  depends_on = [google_project_service.required]
}

module "storage" {
  source = "./modules/storage"

  project_id              = var.project_id
  region                  = var.region
  name_prefix             = var.name_prefix
  audio_retention_days    = var.audio_retention_days
  force_destroy           = !var.deletion_protection
  writer_service_accounts = [for name in keys(var.services) : module.security.service_account_emails[name]]

  depends_on = [google_project_service.required]
}

# The OpenTelemetry Collector sidecar's configuration (a secret the sidecars mount) for the services that run one.
module "telemetry" {
  source = "./modules/telemetry"

  project_id = var.project_id
  service_account_emails = {
    for name, service in var.services : name => module.security.service_account_emails[name] if service.otel_collector_image != ""
  }

  depends_on = [google_project_service.required]
}

# Settings Terraform owns rather than the app model: the environment's models and the call-audio bucket.
locals {
  app_env = merge(
    { Recordings__Bucket = module.storage.bucket_name },
    var.gemini_model == "" ? {} : { Gemini__Model = var.gemini_model },
    var.gemini_live_model == "" ? {} : { Gemini__LiveModel = var.gemini_live_model },
  )
  services = { for name, service in var.services : name => merge(service, { env = merge(service.env, local.app_env) }) }
}

module "cloud_run" {
  source = "./modules/cloud_run"

  project_id             = var.project_id
  region                 = var.region
  services               = local.services
  jobs                   = var.jobs
  service_account_emails = module.security.service_account_emails
  network_name           = module.networking.network_name
  subnet_name            = module.networking.app_subnet_name
  deletion_protection    = var.deletion_protection
  environment            = var.environment

  # Secrets (and the accessor grants) must exist before a revision can mount them.
  depends_on = [module.secrets, module.telemetry, module.artifact_registry]
}

module "monitoring" {
  source = "./modules/monitoring"

  project_id            = var.project_id
  name_prefix           = var.name_prefix
  environment           = var.environment
  notification_channels = var.notification_channels
  notification_email    = var.notification_email
  service_names         = module.cloud_run.service_names
  database_instance_id  = var.postgres.enabled ? module.database[0].instance_name : ""

  depends_on = [google_project_service.required]
}

module "audit_logging" {
  source = "./modules/audit_logging"

  project_id     = var.project_id
  name_prefix    = var.name_prefix
  region         = var.region
  retention_days = var.audit_log_retention_days

  depends_on = [google_project_service.required]
}
