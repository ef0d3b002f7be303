variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "region" {
  description = "Repository location."
  type        = string
}

variable "repository_id" {
  description = "Repository id; the publisher's default registry is <region>-docker.pkg.dev/<project>/<repository_id>."
  type        = string
}

variable "keep_recent_versions" {
  description = "Cleanup keeps at least this many most recent versions per image."
  type        = number
  default     = 20
}

variable "delete_untagged_after_days" {
  description = "Cleanup deletes untagged images older than this."
  type        = number
  default     = 14
}

variable "writer_service_account" {
  description = "CI service account that pushes images."
  type        = string
}

variable "reader_service_accounts" {
  description = "Service accounts that pull images."
  type        = list(string)
  default     = []
}
