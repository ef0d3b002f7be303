output "instance_name" {
  description = "Cloud SQL instance name."
  value       = google_sql_database_instance.postgres.name
}

output "connection_name" {
  description = "project:region:instance."
  value       = google_sql_database_instance.postgres.connection_name
}

output "private_ip" {
  description = "Private IP the services connect to (Direct VPC egress)."
  value       = google_sql_database_instance.postgres.private_ip_address
}

output "port" {
  description = "PostgreSQL port."
  value       = 5432
}

output "user" {
  description = "Database user."
  value       = google_sql_user.app.name
}

output "password" {
  description = "Generated password of the user (stored in Secret Manager by the secrets module)."
  value       = random_password.user.result
  sensitive   = true
}

output "databases" {
  description = "Created databases."
  value       = [for database in google_sql_database.database : database.name]
}
