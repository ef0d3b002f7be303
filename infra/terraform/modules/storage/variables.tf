variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "region" {
  description = "Bucket location."
  type        = string
}

variable "name_prefix" {
  description = "Bucket name prefix (the project id is appended for global uniqueness)."
  type        = string
}

variable "audio_retention_days" {
  description = "Delete call audio after this many days."
  type        = number
  default     = 90
}

variable "nearline_after_days" {
  description = "Move audio to Nearline after this many days."
  type        = number
  default     = 30
}

variable "force_destroy" {
  description = "Allow deleting a non-empty bucket (staging only)."
  type        = bool
  default     = false
}

variable "writer_service_accounts" {
  description = "Service accounts that read and write call audio."
  type        = list(string)
  default     = []
}
