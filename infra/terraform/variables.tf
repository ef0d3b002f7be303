# ---------------------------------------------------------------------------------------------------------------------
# Project and environment (environments/<env>.tfvars)
# ---------------------------------------------------------------------------------------------------------------------

variable "project_id" {
  description = "GCP project to deploy into (one project per environment)."
  type        = string
}

variable "region" {
  description = "Region for Cloud Run, Cloud SQL, Memorystore, Artifact Registry and the audio bucket."
  type        = string
  default     = "us-central1"
}

variable "environment" {
  description = "staging or production."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be \"staging\" or \"production\"."
  }
}

variable "name_prefix" {
  description = "Prefix of shared names (VPC, subnets, service accounts, repository). Written by the publisher too; both must agree."
  type        = string
  default     = "leadgen"
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may deploy (Workload Identity Federation condition)."
  type        = string
}

variable "notification_channels" {
  description = "Existing Cloud Monitoring notification channel ids for alerts."
  type        = list(string)
  default     = []
}

variable "notification_email" {
  description = "If set, an email notification channel is created and added to every alert."
  type        = string
  default     = ""
}

variable "database_tier" {
  description = "Cloud SQL machine tier; a shared-core tier (db-g1-small) in staging."
  type        = string
}

variable "database_disk_size_gb" {
  description = "Initial disk size; the disk grows automatically."
  type        = number
  default     = 20
}

variable "database_availability_type" {
  description = "ZONAL or REGIONAL (high availability)."
  type        = string
  default     = "ZONAL"
}

variable "database_point_in_time_recovery" {
  description = "Point-in-time recovery (write-ahead log retention); on in production."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Protects Cloud SQL, the audio bucket and the Cloud Run services from deletion; on in production."
  type        = bool
  default     = false
}

variable "redis_tier" {
  description = "Memorystore tier: BASIC or STANDARD_HA."
  type        = string
  default     = "BASIC"
}

variable "redis_memory_size_gb" {
  description = "Memorystore capacity in GB."
  type        = number
  default     = 1
}

variable "redis_transit_encryption" {
  description = "In-transit encryption (TLS) for Memorystore. Clients trust the instance's server CA through the redis-ca-certificate secret (env Redis__CaCertificate)."
  type        = bool
  default     = true
}

variable "gemini_model" {
  description = "Vertex AI text model (Gemini:Model); empty keeps the app's default. The services' health check fails on a retired or unknown model."
  type        = string
  default     = ""
}

variable "gemini_live_model" {
  description = "Vertex AI Live (native audio) model (Gemini:LiveModel); empty keeps the app's default."
  type        = string
  default     = ""
}

variable "audio_retention_days" {
  description = "Call recordings are deleted after this many days."
  type        = number
  default     = 90
}

variable "secret_rotation_days" {
  description = "Secret Manager rotation reminder period (a Pub/Sub notification is sent when due)."
  type        = number
  default     = 90
}

variable "audit_log_retention_days" {
  description = "Retention of the audit log bucket."
  type        = number
  default     = 365
}

# ---------------------------------------------------------------------------------------------------------------------
# From the app model: written by azure-free-gcp-manifests into services.auto.tfvars.json (copy it next to this file)
# ---------------------------------------------------------------------------------------------------------------------

variable "services" {
  description = "Cloud Run services from the Aspire manifest (generated)."
  type = map(object({
    image                = string
    port                 = number
    public               = bool
    ingress              = string
    min_instances        = number
    max_instances        = number
    concurrency          = number
    cpu                  = string
    memory               = string
    cpu_always_allocated = bool
    session_affinity     = bool
    timeout_seconds      = number
    health_probes        = bool
    service_account_id   = string
    env                  = map(string)
    secret_env           = map(string)
    otel_collector_image = string
  }))
  default = {}
}

variable "jobs" {
  description = "Cloud Run jobs from the Aspire manifest, run before rollout (generated)."
  type = map(object({
    image              = string
    args               = list(string)
    cpu                = string
    memory             = string
    timeout_seconds    = number
    max_retries        = number
    service_account_id = string
    env                = map(string)
    secret_env         = map(string)
  }))
  default = {}
}

variable "secrets" {
  description = "Secret Manager secrets (generated). source: manual | database_password | redis_auth | composed; templates hold {{tokens}}, never values."
  type = map(object({
    source    = string
    template  = string
    accessors = list(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for secret in values(var.secrets) : contains(["manual", "database_password", "redis_auth", "composed"], secret.source)])
    error_message = "Each secret's source must be manual, database_password, redis_auth or composed."
  }
}

variable "postgres" {
  description = "The Cloud SQL instance the manifest needs (generated)."
  type = object({
    enabled          = bool
    database_version = string
    user             = string
    databases        = list(string)
  })
  default = {
    enabled          = false
    database_version = "POSTGRES_17"
    user             = "postgres"
    databases        = []
  }
}

variable "redis" {
  description = "The Memorystore instance the manifest needs (generated)."
  type = object({
    enabled       = bool
    redis_version = string
  })
  default = {
    enabled       = false
    redis_version = "REDIS_7_2"
  }
}
