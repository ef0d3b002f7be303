# terraform apply -var-file=environments/production.tfvars  (services.auto.tfvars.json from the publisher is loaded automatically)
project_id        = "leadgen-production"
region            = "us-central1"
environment       = "production"
github_repository = "your-org/leadgen-voice"

notification_email = ""

# Cloud SQL: dedicated cores, high availability, point-in-time recovery, deletion protection.
database_tier                   = "db-custom-2-7680"
database_disk_size_gb           = 50
database_availability_type      = "REGIONAL"
database_point_in_time_recovery = true
deletion_protection             = true

# Memorystore: replicated.
redis_tier               = "STANDARD_HA"
redis_memory_size_gb     = 5
redis_transit_encryption = true

audio_retention_days     = 365
secret_rotation_days     = 90
audit_log_retention_days = 400

# Vertex AI models (empty: the app defaults; see README "Gemini on Vertex AI"). Change when Google retires one.
gemini_model      = ""
gemini_live_model = ""
