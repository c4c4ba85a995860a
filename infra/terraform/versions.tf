terraform {
  required_version = ">= 1.5"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0, < 8.0"
    }
  }

  # The state bucket is made once by hand (see ../DEPLOYMENT.md) and passed
  # at init: terraform init -backend-config="bucket=STATE_BUCKET"
  backend "gcs" {
    prefix = "event-pipeline"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

data "google_project" "this" {}
