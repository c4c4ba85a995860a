# Bucket names are global across Google Cloud, so the project id prefixes the
# topology's names; the services learn the result through INBOX_BUCKET and
# ERRORS_BUCKET (see run.tf).
resource "google_storage_bucket" "inbox" {
  name                        = "${var.project_id}-${var.buckets.inbox.name}"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # A file is processed minutes after upload; it stays for replays, then goes.
  lifecycle_rule {
    condition {
      age = var.inbox_retention_days
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket" "errors" {
  name                        = "${var.project_id}-${var.buckets.errors.name}"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  lifecycle_rule {
    condition {
      age                   = var.errors_nearline_after_days
      matches_storage_class = ["STANDARD"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  lifecycle_rule {
    condition {
      age                   = var.errors_coldline_after_days
      matches_storage_class = ["NEARLINE"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "COLDLINE"
    }
  }

  lifecycle_rule {
    condition {
      age = var.errors_retention_days
    }
    action {
      type = "Delete"
    }
  }
}

locals {
  # Keyed like var.buckets, for the grants and the services' environment.
  buckets = {
    inbox  = google_storage_bucket.inbox
    errors = google_storage_bucket.errors
  }
}

data "google_storage_project_service_account" "gcs" {}

# Cloud Storage publishes the notifications as its Google-managed account.
resource "google_pubsub_topic_iam_member" "gcs_notification_publisher" {
  topic  = google_pubsub_topic.topics[var.inbox_notification.topic].name
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

resource "google_storage_notification" "inbox" {
  bucket             = google_storage_bucket.inbox.name
  topic              = google_pubsub_topic.topics[var.inbox_notification.topic].id
  payload_format     = var.inbox_notification.payload_format
  event_types        = var.inbox_notification.event_types
  object_name_prefix = var.inbox_prefix.value == "" ? null : var.inbox_prefix.value

  depends_on = [google_pubsub_topic_iam_member.gcs_notification_publisher]
}
