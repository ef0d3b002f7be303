output "repository_url" {
  description = "Registry prefix for image names (pass as the publisher's --registry)."
  value       = "${google_artifact_registry_repository.docker.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.docker.repository_id}"
}

output "repository_id" {
  description = "Full repository id."
  value       = google_artifact_registry_repository.docker.id
}
