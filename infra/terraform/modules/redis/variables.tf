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
  description = "VPC the instance is reachable from."
  type        = string
}

variable "reserved_ip_range" {
  description = "Name of the private services access range to allocate the instance from."
  type        = string
}

variable "redis_version" {
  description = "Memorystore version, e.g. REDIS_7_2."
  type        = string
}

variable "tier" {
  description = "BASIC or STANDARD_HA."
  type        = string
  default     = "BASIC"
}

variable "memory_size_gb" {
  description = "Capacity in GB."
  type        = number
  default     = 1
}

variable "transit_encryption" {
  description = "TLS between clients and the instance (SERVER_AUTHENTICATION)."
  type        = bool
  default     = true
}
