variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the CI service account and the Workload Identity pool."
  type        = string
}

variable "workload_accounts" {
  description = "Cloud Run workload name => service account id (from the publisher's services/jobs)."
  type        = map(string)
}

variable "vertex_ai_users" {
  description = "Workloads that call Gemini on Vertex AI (get roles/aiplatform.user)."
  type        = list(string)
  default     = []
}

variable "github_repository" {
  description = "owner/name of the repository whose GitHub Actions may impersonate the CI service account."
  type        = string
}

variable "github_branch_ref" {
  description = "Only workflows running on this ref may deploy (the attribute condition)."
  type        = string
  default     = "refs/heads/main"
}
