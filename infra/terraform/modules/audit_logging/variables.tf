variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the log bucket and sink."
  type        = string
}

variable "region" {
  description = "Location of the log bucket."
  type        = string
}

variable "retention_days" {
  description = "How long audit logs are kept in the dedicated bucket."
  type        = number
  default     = 365
}

variable "data_access_services" {
  description = "Services whose Data Access audit logs (reads and writes of data) are turned on."
  type        = list(string)
  default = [
    "secretmanager.googleapis.com",
    "cloudsql.googleapis.com",
    "storage.googleapis.com",
    "iam.googleapis.com",
  ]
}
