variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "region" {
  description = "Region of the services and jobs."
  type        = string
}

variable "environment" {
  description = "Label value (staging or production)."
  type        = string
}

variable "services" {
  description = "Cloud Run services (the root's generated services variable)."
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
}

variable "jobs" {
  description = "Cloud Run jobs (the root's generated jobs variable)."
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

variable "service_account_emails" {
  description = "Workload name => service account email."
  type        = map(string)
}

variable "network_name" {
  description = "VPC for Direct VPC egress."
  type        = string
}

variable "subnet_name" {
  description = "Subnet for Direct VPC egress."
  type        = string
}

variable "deletion_protection" {
  description = "Protect services and jobs from deletion."
  type        = bool
  default     = false
}
