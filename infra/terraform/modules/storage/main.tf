resource "google_storage_bucket" "audio" {
  project                     = var.project_id
  name                        = "${var.name_prefix}-audio-${var.project_id}"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  versioning {
    enabled = false
  }

  lifecycle_rule {
    condition {
      age = var.nearline_after_days
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  lifecycle_rule {
    condition {
      age = var.audio_retention_days
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }
}

resource "google_storage_bucket_iam_member" "writer" {
  for_each = toset(var.writer_service_accounts)

  bucket = google_storage_bucket.audio.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${each.value}"
}
