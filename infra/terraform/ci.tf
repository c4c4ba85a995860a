# Images, and the identity GitHub Actions deploys with: Workload Identity
# Federation, so no service account key exists anywhere.
resource "google_artifact_registry_repository" "images" {
  repository_id = var.artifact_repository
  location      = var.region
  format        = "DOCKER"
  description   = "Service images, tagged with the commit they were built from."

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 10
    }
  }

  cleanup_policies {
    id     = "delete-older"
    action = "DELETE"
    condition {
      older_than = "2592000s"
    }
  }
}

locals {
  ci_enabled = var.github_repository != ""
}

resource "google_iam_workload_identity_pool" "github" {
  count                     = local.ci_enabled ? 1 : 0
  workload_identity_pool_id = "github"
  display_name              = "GitHub Actions"
}

resource "google_iam_workload_identity_pool_provider" "github" {
  count                              = local.ci_enabled ? 1 : 0
  workload_identity_pool_id          = google_iam_workload_identity_pool.github[0].workload_identity_pool_id
  workload_identity_pool_provider_id = "github"
  display_name                       = "GitHub Actions OIDC"

  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
    "attribute.ref"        = "assertion.ref"
  }
  # Only workflows of this repository running on main may deploy.
  attribute_condition = "assertion.repository == \"${var.github_repository}\" && assertion.ref == \"refs/heads/main\""

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account" "deployer" {
  count        = local.ci_enabled ? 1 : 0
  account_id   = "github-deployer"
  display_name = "GitHub Actions deployer"
}

locals {
  deployer_member = local.ci_enabled ? "serviceAccount:${google_service_account.deployer[0].email}" : null
}

resource "google_service_account_iam_member" "deployer_workload_identity" {
  count              = local.ci_enabled ? 1 : 0
  service_account_id = google_service_account.deployer[0].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github[0].name}/attribute.repository/${var.github_repository}"
}

resource "google_artifact_registry_repository_iam_member" "deployer_writer" {
  count      = local.ci_enabled ? 1 : 0
  repository = google_artifact_registry_repository.images.name
  location   = google_artifact_registry_repository.images.location
  role       = "roles/artifactregistry.writer"
  member     = local.deployer_member
}

# Deploying a revision: update the service, and run it as its own account.
resource "google_cloud_run_v2_service_iam_member" "deployer_developer" {
  for_each = { for name, service in var.services : name => service if local.ci_enabled }
  name     = google_cloud_run_v2_service.services[each.key].name
  location = google_cloud_run_v2_service.services[each.key].location
  role     = "roles/run.developer"
  member   = local.deployer_member
}

resource "google_service_account_iam_member" "deployer_acts_as_service" {
  for_each           = { for name, service in var.services : name => service if local.ci_enabled }
  service_account_id = google_service_account.services[each.key].name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer_member
}
