output "inbox_bucket" {
  description = "Upload files here (under the inbox prefix) to ingest them."
  value       = google_storage_bucket.inbox.name
}

output "errors_bucket" {
  description = "Error records, as NDJSON under errors/dt=YYYY-MM-DD/."
  value       = google_storage_bucket.errors.name
}

output "dataset" {
  description = "BigQuery dataset of the warehouse tables."
  value       = google_bigquery_dataset.warehouse.dataset_id
}

output "image_repository" {
  description = "IMAGE_REPOSITORY for the docker-build targets and CI."
  value       = local.image_repository
}

output "workload_identity_provider" {
  description = "For google-github-actions/auth: workload_identity_provider."
  value       = one(google_iam_workload_identity_pool_provider.github[*].name)
}

output "deployer_service_account" {
  description = "For google-github-actions/auth: service_account."
  value       = one(google_service_account.deployer[*].email)
}
