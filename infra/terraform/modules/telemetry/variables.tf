variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "config_secret_id" {
  description = "Secret holding the collector's config.yaml; the publisher's services mount this name (otel-collector-config)."
  type        = string
  default     = "otel-collector-config"
}

variable "service_account_emails" {
  description = "Service name => service account email of every service that runs the collector sidecar (they read the config)."
  type        = map(string)
}
