# terraform apply -var-file=environments/staging.tfvars  (services.auto.tfvars.json from the publisher is loaded automatically)
project_id        = "leadgen-staging"
region            = "us-central1"
environment       = "staging"
github_repository = "your-org/leadgen-voice"

notification_email = ""

# Cloud SQL: shared-core tier, single zone, no PITR, deletable.
database_tier                   = "db-g1-small"
database_disk_size_gb           = 10
database_availability_type      = "ZONAL"
database_point_in_time_recovery = false
deletion_protection             = false

# Memorystore: smallest basic instance.
redis_tier               = "BASIC"
redis_memory_size_gb     = 1
redis_transit_encryption = true

audio_retention_days     = 30
secret_rotation_days     = 90
audit_log_retention_days = 90

# Vertex AI models (empty: the app defaults; see README "Gemini on Vertex AI"). Change when Google retires one.
gemini_model      = ""
gemini_live_model = ""
