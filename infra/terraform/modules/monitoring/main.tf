# Alert thresholds are the infrastructure seed's table, verbatim; change them there first.
locals {
  thresholds = {
    error_rate          = 0.05    # Error rate > 5 % ...
    error_rate_duration = "300s"  # ... for 5 minutes
    p99_latency_ms      = 5000    # P99 latency > 5 seconds
    instance_count      = 80      # Instance count > 80 instances
    database_cpu        = 0.8     # Database CPU > 80 %
    llm_tokens_per_hour = 1000000 # LLM token usage > 1M tokens/hour
  }

  channels = concat(var.notification_channels, google_monitoring_notification_channel.email[*].id)

  service_filter = length(var.service_names) == 0 ? "" : " AND resource.label.service_name = one_of(${join(", ", [for name in var.service_names : "\"${name}\""])})"
  run_filter     = "resource.type = \"cloud_run_revision\"${local.service_filter}"
  title_prefix   = "${var.name_prefix} ${var.environment}"
}

resource "google_monitoring_notification_channel" "email" {
  count = var.notification_email == "" ? 0 : 1

  project      = var.project_id
  display_name = "${local.title_prefix} on-call email"
  type         = "email"
  labels = {
    email_address = var.notification_email
  }
}

resource "google_monitoring_alert_policy" "error_rate" {
  project               = var.project_id
  display_name          = "${local.title_prefix}: error rate > 5% for 5 min"
  combiner              = "OR"
  notification_channels = local.channels

  conditions {
    display_name = "5xx responses / all responses > ${local.thresholds.error_rate}"
    condition_prometheus_query_language {
      query               = "sum by (service_name) (rate(run_googleapis_com:request_count{monitored_resource=\"cloud_run_revision\",response_code_class=\"5xx\"}[5m])) / sum by (service_name) (rate(run_googleapis_com:request_count{monitored_resource=\"cloud_run_revision\"}[5m])) > ${local.thresholds.error_rate}"
      duration            = local.thresholds.error_rate_duration
      evaluation_interval = "60s"
    }
  }

  documentation {
    content   = "More than 5 % of requests to a Cloud Run service failed with 5xx for 5 minutes. Check the service's logs and the last rollout; roll back per infra/DEPLOYMENT.md."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "latency_p99" {
  project               = var.project_id
  display_name          = "${local.title_prefix}: p99 latency > 5 s"
  combiner              = "OR"
  notification_channels = local.channels

  conditions {
    display_name = "request_latencies p99 > ${local.thresholds.p99_latency_ms} ms"
    condition_threshold {
      filter          = "${local.run_filter} AND metric.type = \"run.googleapis.com/request_latencies\""
      comparison      = "COMPARISON_GT"
      threshold_value = local.thresholds.p99_latency_ms
      duration        = "300s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_PERCENTILE_99"
        cross_series_reducer = "REDUCE_MAX"
        group_by_fields      = ["resource.label.service_name"]
      }
    }
  }

  documentation {
    content   = "p99 request latency above 5 s. WebSocket media streams are long requests by design; this alert watches request latency of the HTTP endpoints."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "instance_count" {
  project               = var.project_id
  display_name          = "${local.title_prefix}: instances > 80"
  combiner              = "OR"
  notification_channels = local.channels

  conditions {
    display_name = "container instance_count > ${local.thresholds.instance_count}"
    condition_threshold {
      filter          = "${local.run_filter} AND metric.type = \"run.googleapis.com/container/instance_count\""
      comparison      = "COMPARISON_GT"
      threshold_value = local.thresholds.instance_count
      duration        = "60s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
    }
  }
}

resource "google_monitoring_alert_policy" "database_cpu" {
  count = var.database_instance_id == "" ? 0 : 1

  project               = var.project_id
  display_name          = "${local.title_prefix}: database CPU > 80%"
  combiner              = "OR"
  notification_channels = local.channels

  conditions {
    display_name = "Cloud SQL cpu/utilization > ${local.thresholds.database_cpu}"
    condition_threshold {
      filter          = "resource.type = \"cloudsql_database\" AND resource.label.database_id = \"${var.project_id}:${var.database_instance_id}\" AND metric.type = \"cloudsql.googleapis.com/database/cpu/utilization\""
      comparison      = "COMPARISON_GT"
      threshold_value = local.thresholds.database_cpu
      duration        = "300s"

      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MEAN"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "llm_tokens" {
  project               = var.project_id
  display_name          = "${local.title_prefix}: LLM tokens > 1M/hour"
  combiner              = "OR"
  notification_channels = local.channels

  conditions {
    display_name = "tokens in the last hour > ${local.thresholds.llm_tokens_per_hour}"
    condition_prometheus_query_language {
      query               = "sum(increase(${var.llm_token_metric}[1h])) > ${local.thresholds.llm_tokens_per_hour}"
      duration            = "0s"
      evaluation_interval = "300s"
    }
  }

  documentation {
    content   = "Gemini token usage (gen_ai.client.token.usage, input + output) passed 1M tokens in an hour. Check campaign volume and the rate limiter settings (Gemini RPM/TPM)."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_dashboard" "overview" {
  project = var.project_id
  dashboard_json = jsonencode({
    displayName = "${local.title_prefix} overview"
    mosaicLayout = {
      columns = 12
      tiles = [
        for index, tile in [
          { title = "Requests by response class", filter = "${local.run_filter} AND metric.type = \"run.googleapis.com/request_count\"", aligner = "ALIGN_RATE", reducer = "REDUCE_SUM", group = ["resource.label.service_name", "metric.label.response_code_class"] },
          { title = "Request latency p99 (ms)", filter = "${local.run_filter} AND metric.type = \"run.googleapis.com/request_latencies\"", aligner = "ALIGN_PERCENTILE_99", reducer = "REDUCE_MAX", group = ["resource.label.service_name"] },
          { title = "Instances", filter = "${local.run_filter} AND metric.type = \"run.googleapis.com/container/instance_count\"", aligner = "ALIGN_MAX", reducer = "REDUCE_SUM", group = ["resource.label.service_name"] },
          { title = "Database CPU utilization", filter = "resource.type = \"cloudsql_database\" AND metric.type = \"cloudsql.googleapis.com/database/cpu/utilization\"", aligner = "ALIGN_MEAN", reducer = "REDUCE_MAX", group = ["resource.label.database_id"] },
          { title = "Memorystore memory usage ratio", filter = "resource.type = \"redis_instance\" AND metric.type = \"redis.googleapis.com/stats/memory/usage_ratio\"", aligner = "ALIGN_MEAN", reducer = "REDUCE_MAX", group = ["resource.label.instance_id"] },
        ] : {
          xPos   = (index % 2) * 6
          yPos   = floor(index / 2) * 4
          width  = 6
          height = 4
          widget = {
            title = tile.title
            xyChart = {
              dataSets = [{
                plotType = "LINE"
                timeSeriesQuery = {
                  timeSeriesFilter = {
                    filter = tile.filter
                    aggregation = {
                      alignmentPeriod    = "60s"
                      perSeriesAligner   = tile.aligner
                      crossSeriesReducer = tile.reducer
                      groupByFields      = tile.group
                    }
                  }
                }
              }]
            }
          }
        }
      ]
    }
  })
}
