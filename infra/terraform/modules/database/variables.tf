variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "region" {
  description = "Region of the instance."
  type        = string
}

variable "name_prefix" {
  description = "Instance name prefix."
  type        = string
}

variable "network_id" {
  description = "VPC the instance gets its private IP in (private services access must exist)."
  type        = string
}

variable "database_version" {
  description = "Cloud SQL version, e.g. POSTGRES_17 (the publisher derives it from the manifest's image tag)."
  type        = string
}

variable "tier" {
  description = "Machine tier; shared-core (db-f1-micro, db-g1-small) for staging."
  type        = string
}

variable "disk_size_gb" {
  description = "Initial disk size; autoresize grows it."
  type        = number
  default     = 20
}

variable "availability_type" {
  description = "ZONAL or REGIONAL."
  type        = string
  default     = "ZONAL"
}

variable "point_in_time_recovery" {
  description = "Keep write-ahead logs for point-in-time recovery."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (Terraform and API)."
  type        = bool
  default     = true
}

variable "user" {
  description = "Database user the services log in as."
  type        = string
  default     = "postgres"
}

variable "databases" {
  description = "Databases to create."
  type        = list(string)
  default     = []
}

variable "backup_retained_count" {
  description = "Daily backups kept."
  type        = number
  default     = 14
}
