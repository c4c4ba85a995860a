variable "project_id" {
  description = "Google Cloud project that holds everything."
  type        = string
}

variable "region" {
  description = "Region of the services, buckets, topics' storage and images."
  type        = string
  default     = "europe-west1"
}

variable "bigquery_location" {
  description = "BigQuery dataset location (a region or US/EU); defaults to var.region."
  type        = string
  default     = null
}

variable "dataset_id" {
  description = "BigQuery dataset of the warehouse tables; the services read it from WAREHOUSE_BIGQUERY_DATASET."
  type        = string
  default     = "event_pipeline"
}

variable "artifact_repository" {
  description = "Artifact Registry Docker repository of the service images."
  type        = string
  default     = "event-pipeline"
}

variable "image_tag" {
  description = "Tag the services are first created with; later deploys (CI) change the image outside Terraform."
  type        = string
  default     = "bootstrap"
}

variable "min_instances" {
  description = "Instances each service keeps running: pull subscribers need at least one."
  type        = number
  default     = 1

  validation {
    condition     = var.min_instances >= 1
    error_message = "Pull subscribers scale from one running instance: min_instances must be at least 1."
  }
}

variable "inbox_retention_days" {
  description = "Days an uploaded file stays in the inbox bucket."
  type        = number
  default     = 30
}

variable "errors_nearline_after_days" {
  description = "Days before error records move to Nearline storage."
  type        = number
  default     = 30
}

variable "errors_coldline_after_days" {
  description = "Days before error records move to Coldline storage (Coldline bills at least 90 days)."
  type        = number
  default     = 90
}

variable "errors_retention_days" {
  description = "Days before error records are deleted."
  type        = number
  default     = 365
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose main branch deploys; empty for no CI identity."
  type        = string
  default     = ""
}

# The variables below are generated from libs/schema and infra/src into
# topology.auto.tfvars.json (npx nx run infra:generate); do not set them by hand.

variable "topics" {
  description = "Topics by topology key: name, and the variable that tells it to the services."
  type = map(object({
    name = string
    env  = string
  }))
}

variable "subscriptions" {
  description = "Subscriptions by topology key, with their policies; topics by topology key."
  type = map(object({
    name                    = string
    env                     = string
    topic                   = string
    ack_deadline_seconds    = number
    enable_message_ordering = bool
    retry_policy = object({
      minimum_backoff_seconds = number
      maximum_backoff_seconds = number
    })
    dead_letter_policy = object({
      topic                 = string
      max_delivery_attempts = number
    })
  }))
}

variable "buckets" {
  description = "Bucket names by topology key (prefixed with the project id when created)."
  type = object({
    inbox = object({
      name = string
      env  = string
    })
    errors = object({
      name = string
      env  = string
    })
  })
}

variable "inbox_prefix" {
  description = "Only objects under this prefix of the inbox bucket are ingested."
  type = object({
    value = string
    env   = string
  })
}

variable "inbox_notification" {
  description = "The inbox bucket's notification: topic key, event types, payload format."
  type = object({
    topic          = string
    event_types    = list(string)
    payload_format = string
  })
}

variable "warehouse_tables" {
  description = "Warehouse tables by name: schema file, primary key and layout."
  type = map(object({
    description = string
    schema_file = string
    primary_key = list(string)
    clustering  = list(string)
    range_partitioning = object({
      field    = string
      start    = number
      end      = number
      interval = number
    })
  }))
}

variable "services" {
  description = "Services by Nx app name: what each one reads, writes and needs."
  type = map(object({
    subscriptions            = list(string)
    publishes                = list(string)
    reads_buckets            = list(string)
    writes_buckets           = list(string)
    warehouse_dataset_editor = bool
    warehouse_tables         = list(string)
    memory                   = string
    max_instances            = number
    node_options             = string
  }))
}
