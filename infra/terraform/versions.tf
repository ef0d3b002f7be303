terraform {
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.20"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State lives in a GCS bucket created during bootstrap (see ../DEPLOYMENT.md):
  #   terraform init -backend-config="bucket=<project>-tfstate" -backend-config="prefix=leadgen/<environment>"
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app         = var.name_prefix
    environment = var.environment
    managed-by  = "terraform"
  }
}
