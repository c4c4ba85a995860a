locals {
  image_repository = "${google_artifact_registry_repository.images.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"

  # The topology overrides that resolveTopology reads, so the services use the
  # names created here, plus the warehouse settings (WAREHOUSE and its
  # adapter's WAREHOUSE_<ADAPTER>_* variables, as libs/warehouse reads them).
  service_env = merge(
    { for topic in var.topics : topic.env => topic.name },
    { for subscription in var.subscriptions : subscription.env => subscription.name },
    { for key, bucket in local.buckets : var.buckets[key].env => bucket.name },
    {
      (var.inbox_prefix.env)      = var.inbox_prefix.value
      GOOGLE_CLOUD_PROJECT        = var.project_id
      WAREHOUSE                   = "bigquery"
      WAREHOUSE_BIGQUERY_DATASET  = google_bigquery_dataset.warehouse.dataset_id
      WAREHOUSE_BIGQUERY_LOCATION = google_bigquery_dataset.warehouse.location
    },
  )
}

resource "google_cloud_run_v2_service" "services" {
  for_each = var.services

  name     = each.key
  location = var.region

  # Nothing calls the services: they pull their work from Pub/Sub. Cloud Run
  # still needs the HTTP port for its health probes.
  ingress = "INGRESS_TRAFFIC_INTERNAL_ONLY"

  template {
    service_account = google_service_account.services[each.key].email

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = each.value.max_instances
    }

    containers {
      image = "${local.image_repository}/${each.key}:${var.image_tag}"

      resources {
        # A pull subscriber works between requests, so CPU stays allocated
        # (instance-based billing) and at least one instance stays up.
        cpu_idle          = false
        startup_cpu_boost = true
        limits = {
          cpu    = "1"
          memory = each.value.memory
        }
      }

      dynamic "env" {
        for_each = local.service_env
        content {
          name  = env.key
          value = env.value
        }
      }

      # The service's own Node flags (its heap cap), as the local stack runs it.
      dynamic "env" {
        for_each = each.value.node_options == "" ? {} : { NODE_OPTIONS = each.value.node_options }
        content {
          name  = env.key
          value = env.value
        }
      }

      startup_probe {
        period_seconds    = 2
        failure_threshold = 30
        http_get {
          path = "/healthz"
        }
      }

      liveness_probe {
        period_seconds = 30
        http_get {
          path = "/healthz"
        }
      }
    }
  }

  lifecycle {
    # CI deploys each new image with gcloud; Terraform owns the rest.
    ignore_changes = [
      template[0].containers[0].image,
      client,
      client_version,
    ]
  }

  depends_on = [
    google_project_iam_member.service_job_user,
    google_pubsub_subscription_iam_member.service_subscriber,
  ]
}
