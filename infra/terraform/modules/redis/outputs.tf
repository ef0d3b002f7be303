output "instance_id" {
  description = "Memorystore instance id."
  value       = google_redis_instance.cache.id
}

output "host" {
  description = "Private IP of the instance."
  value       = google_redis_instance.cache.host
}

output "port" {
  description = "Port (6378 with in-transit encryption, 6379 without)."
  value       = google_redis_instance.cache.port
}

output "auth_string" {
  description = "AUTH password (stored in Secret Manager by the secrets module)."
  value       = google_redis_instance.cache.auth_string
  sensitive   = true
}

output "tls_enabled" {
  description = "Whether clients must use TLS."
  value       = var.transit_encryption
}

output "server_ca_certs" {
  description = "CA certificates clients must trust when TLS is on."
  value       = google_redis_instance.cache.server_ca_certs
  sensitive   = true
}
