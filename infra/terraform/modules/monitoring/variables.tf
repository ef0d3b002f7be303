variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of alert and dashboard names."
  type        = string
}

variable "environment" {
  description = "Shown in alert names."
  type        = string
}

variable "notification_channels" {
  description = "Existing notification channel ids (projects/<p>/notificationChannels/<id>)."
  type        = list(string)
  default     = []
}

variable "notification_email" {
  description = "If set, an email channel is created and notified too."
  type        = string
  default     = ""
}

variable "service_names" {
  description = "Cloud Run services the service alerts watch (all services in the project when empty)."
  type        = list(string)
  default     = []
}

variable "database_instance_id" {
  description = "Cloud SQL instance name for the database CPU alert (no alert when empty)."
  type        = string
  default     = ""
}

variable "llm_token_metric" {
  description = "PromQL series of LLM tokens: the OpenTelemetry histogram gen_ai.client.token.usage ({token}) as the collector's googlemanagedprometheus exporter names it (prometheus.googleapis.com/gen_ai_client_token_usage/histogram), read through its _sum."
  type        = string
  default     = "gen_ai_client_token_usage_sum"
}

variable "call_cost_metric" {
  description = "PromQL series of call cost: the OpenTelemetry histogram leadgen.call.cost (unit USD) exported as prometheus.googleapis.com/leadgen_call_cost_USD/histogram, read through its _sum."
  type        = string
  default     = "leadgen_call_cost_USD_sum"
}
