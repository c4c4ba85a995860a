resource "google_bigquery_dataset" "warehouse" {
  dataset_id  = var.dataset_id
  location    = coalesce(var.bigquery_location, var.region)
  description = "Warehouse of the event pipeline."
}

# Schemas, keys and layout come from libs/schema through the generated
# topology.auto.tfvars.json and schemas/*.json.
resource "google_bigquery_table" "tables" {
  for_each = var.warehouse_tables

  dataset_id  = google_bigquery_dataset.warehouse.dataset_id
  table_id    = each.key
  description = each.value.description
  schema      = file("${path.module}/${each.value.schema_file}")
  clustering  = each.value.clustering

  dynamic "range_partitioning" {
    for_each = each.value.range_partitioning[*]
    content {
      field = range_partitioning.value.field
      range {
        start    = range_partitioning.value.start
        end      = range_partitioning.value.end
        interval = range_partitioning.value.interval
      }
    }
  }

  # Not enforced by BigQuery; the writers keep keys unique, and the optimizer
  # uses the constraint for joins.
  table_constraints {
    primary_key {
      columns = each.value.primary_key
    }
  }
}
