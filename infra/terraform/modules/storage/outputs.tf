output "bucket_name" {
  description = "Audio bucket name."
  value       = google_storage_bucket.audio.name
}

output "bucket_url" {
  description = "gs:// URL of the audio bucket."
  value       = google_storage_bucket.audio.url
}
