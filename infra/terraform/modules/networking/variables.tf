variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "region" {
  description = "Region of the subnets, router and NAT."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of every name (<prefix>-vpc, <prefix>-app, ...)."
  type        = string
}

variable "app_subnet_cidr" {
  description = "Cloud Run Direct VPC egress subnet."
  type        = string
  default     = "10.0.1.0/24"
}

variable "data_subnet_cidr" {
  description = "Subnet for data-tier resources that live in the VPC."
  type        = string
  default     = "10.0.2.0/24"
}

variable "ml_subnet_cidr" {
  description = "Subnet reserved for ML workloads (e.g. Vertex AI private endpoints)."
  type        = string
  default     = "10.0.3.0/24"
}

variable "private_service_prefix_length" {
  description = "Size of the range allocated to private services access (Cloud SQL, Memorystore)."
  type        = number
  default     = 16
}
