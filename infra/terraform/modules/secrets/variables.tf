variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the rotation notification topic."
  type        = string
}

variable "secrets" {
  description = "Secrets from the publisher (source, template, accessors)."
  type = map(object({
    source    = string
    template  = string
    accessors = list(string)
  }))
}

variable "token_values" {
  description = "Values for the {{tokens}} of composed templates (database.host, redis.password, ...)."
  type        = map(string)
  sensitive   = true
}

variable "service_account_emails" {
  description = "Workload name => service account email (accessors are workload names)."
  type        = map(string)
}

variable "rotation_days" {
  description = "Rotation period; Secret Manager publishes a SECRET_ROTATE message to the topic when it is due."
  type        = number
  default     = 90
}
