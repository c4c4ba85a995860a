resource "google_pubsub_topic" "topics" {
  for_each = var.topics
  name     = each.value.name
}

resource "google_pubsub_subscription" "subscriptions" {
  for_each = var.subscriptions

  name                    = each.value.name
  topic                   = google_pubsub_topic.topics[each.value.topic].id
  ack_deadline_seconds    = each.value.ack_deadline_seconds
  enable_message_ordering = each.value.enable_message_ordering

  retry_policy {
    minimum_backoff = "${each.value.retry_policy.minimum_backoff_seconds}s"
    maximum_backoff = "${each.value.retry_policy.maximum_backoff_seconds}s"
  }

  dynamic "dead_letter_policy" {
    for_each = each.value.dead_letter_policy[*]
    content {
      dead_letter_topic     = google_pubsub_topic.topics[dead_letter_policy.value.topic].id
      max_delivery_attempts = dead_letter_policy.value.max_delivery_attempts
    }
  }

  # Never expire: by default a subscription without pulls for 31 days is deleted.
  expiration_policy {
    ttl = ""
  }
}

# Dead-lettering runs as Pub/Sub's Google-managed service account: it must
# read the source subscription and publish to the dead-letter topic.
locals {
  pubsub_managed_account = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  dead_lettered_subscriptions = {
    for key, subscription in var.subscriptions : key => subscription
    if subscription.dead_letter_policy != null
  }
  dead_letter_topics = toset([
    for subscription in values(local.dead_lettered_subscriptions) : subscription.dead_letter_policy.topic
  ])
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = local.dead_letter_topics
  topic    = google_pubsub_topic.topics[each.key].name
  role     = "roles/pubsub.publisher"
  member   = local.pubsub_managed_account
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each     = local.dead_lettered_subscriptions
  subscription = google_pubsub_subscription.subscriptions[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_managed_account
}
