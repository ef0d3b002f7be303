output "network_id" {
  description = "VPC id (projects/.../global/networks/...)."
  value       = google_compute_network.vpc.id
}

output "network_name" {
  description = "VPC name."
  value       = google_compute_network.vpc.name
}

output "app_subnet_name" {
  description = "Subnet Cloud Run uses for Direct VPC egress."
  value       = google_compute_subnetwork.tier["app"].name
}

output "subnet_ids" {
  description = "Subnet ids by tier (app, data, ml)."
  value       = { for tier, subnet in google_compute_subnetwork.tier : tier => subnet.id }
}

output "private_service_range_name" {
  description = "Allocated range for private services access."
  value       = google_compute_global_address.private_services.name
}

output "private_services_connection" {
  description = "The service networking connection (depend on it before creating private-IP services)."
  value       = google_service_networking_connection.private_services.id
}
