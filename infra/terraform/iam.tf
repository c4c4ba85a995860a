# One service account per service, granted exactly what var.services lists
# (generated from infra/src/services.ts).
resource "google_service_account" "services" {
  for_each     = var.services
  account_id   = each.key
  display_name = "${each.key} on Cloud Run"
}

locals {
  service_members = {
    for name, account in google_service_account.services : name => "serviceAccount:${account.email}"
  }

  # One entry per (service, resource) pair, keyed "service/resource".
  subscriber_grants = merge([
    for name, service in var.services : {
      for key in service.subscriptions : "${name}/${key}" => { service = name, resource = key }
    }
  ]...)
  publisher_grants = merge([
    for name, service in var.services : {
      for key in service.publishes : "${name}/${key}" => { service = name, resource = key }
    }
  ]...)
  bucket_reader_grants = merge([
    for name, service in var.services : {
      for key in service.reads_buckets : "${name}/${key}" => { service = name, resource = key }
    }
  ]...)
  bucket_writer_grants = merge([
    for name, service in var.services : {
      for key in service.writes_buckets : "${name}/${key}" => { service = name, resource = key }
    }
  ]...)
  table_editor_grants = merge([
    for name, service in var.services : {
      for key in service.warehouse_tables : "${name}/${key}" => { service = name, resource = key }
    }
  ]...)

  warehouse_users = {
    for name, service in var.services : name => service
    if service.warehouse_dataset_editor || length(service.warehouse_tables) > 0
  }
}

resource "google_pubsub_subscription_iam_member" "service_subscriber" {
  for_each     = local.subscriber_grants
  subscription = google_pubsub_subscription.subscriptions[each.value.resource].name
  role         = "roles/pubsub.subscriber"
  member       = local.service_members[each.value.service]
}

resource "google_pubsub_topic_iam_member" "service_publisher" {
  for_each = local.publisher_grants
  topic    = google_pubsub_topic.topics[each.value.resource].name
  role     = "roles/pubsub.publisher"
  member   = local.service_members[each.value.service]
}

resource "google_storage_bucket_iam_member" "service_reader" {
  for_each = local.bucket_reader_grants
  bucket   = local.buckets[each.value.resource].name
  role     = "roles/storage.objectViewer"
  member   = local.service_members[each.value.service]
}

# objectUser rather than objectCreator: rewriting an object under the same
# name, as a redelivered batch does, needs delete permission as well.
resource "google_storage_bucket_iam_member" "service_writer" {
  for_each = local.bucket_writer_grants
  bucket   = local.buckets[each.value.resource].name
  role     = "roles/storage.objectUser"
  member   = local.service_members[each.value.service]
}

resource "google_bigquery_dataset_iam_member" "service_dataset_editor" {
  for_each   = { for name, service in var.services : name => service if service.warehouse_dataset_editor }
  dataset_id = google_bigquery_dataset.warehouse.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = local.service_members[each.key]
}

resource "google_bigquery_table_iam_member" "service_table_editor" {
  for_each   = local.table_editor_grants
  dataset_id = google_bigquery_dataset.warehouse.dataset_id
  table_id   = google_bigquery_table.tables[each.value.resource].table_id
  role       = "roles/bigquery.dataEditor"
  member     = local.service_members[each.value.service]
}

# Queries, DML and MERGE run as jobs, which are created at project level.
resource "google_project_iam_member" "service_job_user" {
  for_each = local.warehouse_users
  project  = var.project_id
  role     = "roles/bigquery.jobUser"
  member   = local.service_members[each.key]
}
