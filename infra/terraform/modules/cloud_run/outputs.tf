output "service_urls" {
  description = "Service name => URL."
  value       = { for name, service in google_cloud_run_v2_service.service : name => service.uri }
}

output "service_names" {
  description = "Names of the services (for monitoring filters)."
  value       = [for service in google_cloud_run_v2_service.service : service.name]
}

output "job_names" {
  description = "Names of the jobs."
  value       = [for job in google_cloud_run_v2_job.job : job.name]
}
