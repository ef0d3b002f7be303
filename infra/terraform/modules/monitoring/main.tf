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

  # PromQL names of the services' OpenTelemetry instruments once the collector sidecar has exported them to Managed
  # Service for Prometheus (modules/telemetry): dots become underscores, the unit is appended ({annotations} dropped,
  # ms -> milliseconds), counters end in _total, histograms are read through _sum/_count/_bucket.
  # tests/LeadGen.Publisher.Tests derives each name from the instrument's declaration in the code.
  app_metrics = {
    llm_tokens          = var.llm_token_metric                              # gen_ai.client.token.usage: histogram, {token}
    calls_active        = "leadgen_call_active"                             # leadgen.call.active: up-down counter, {call}
    calls_ended         = "leadgen_call_ended_total"                        # leadgen.call.ended: counter, {call}
    conversations_ended = "leadgen_conversation_ended_total"                # leadgen.conversation.ended: counter, {conversation}
    turn_latency_bucket = "leadgen_call_turn_latency_milliseconds_bucket"   # leadgen.call.turn.latency: histogram, ms
    call_cost           = var.call_cost_metric                              # leadgen.call.cost: histogram, USD
  }

  channels = concat(var.notification_channels, google_monitoring_notification_channel.email[*].id)
  # The same service selection as run_filter, for PromQL (Cloud Run's own metrics carry service_name).
  promql_services = length(var.service_names) == 0 ? "" : ",service_name=~\"${join("|", var.service_names)}\""
  run_promql      = "monitored_resource=\"cloud_run_revision\"${local.promql_services}"

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
      query               = "sum(increase(${local.app_metrics.llm_tokens}[1h])) > ${local.thresholds.llm_tokens_per_hour}"
      duration            = "0s"
      evaluation_interval = "300s"
    }
  }

  documentation {
    content   = "Gemini token usage (gen_ai.client.token.usage, input + output) passed 1M tokens in an hour. Check campaign volume and the rate limiter settings (Gemini RPM/TPM)."
    mime_type = "text/markdown"
  }
}

# One screen for a campaign day: the product's numbers (calls in progress, answer and qualification rates, turn latency,
# tokens, cost) above the platform's (error rate, p99 latency, instances, database CPU, Memorystore memory). Every tile
# is a PromQL query, so app metrics and Google Cloud metrics are read the same way.
locals {
  dashboard_tiles = [
    { title = "Calls in progress", unit = "calls", queries = {
      "by service" = "sum by (job) (${local.app_metrics.calls_active})" } },
    { title = "Answer rate (answered / ended outbound calls, 15 min)", unit = "ratio", queries = {
      "answer rate" = "sum(rate(${local.app_metrics.calls_ended}{direction=\"outbound\",status=\"completed\"}[15m])) / sum(rate(${local.app_metrics.calls_ended}{direction=\"outbound\"}[15m]))" } },
    { title = "Qualification rate (qualified conversations / answered calls, 1 h)", unit = "ratio", queries = {
      "qualification rate" = "sum(rate(${local.app_metrics.conversations_ended}{outcome=\"qualified\"}[1h])) / sum(rate(${local.app_metrics.calls_ended}{status=\"completed\"}[1h]))" } },
    { title = "Turn latency (caller stops -> agent audio, ms)", unit = "ms", queries = {
      "p50" = "histogram_quantile(0.5, sum by (le) (rate(${local.app_metrics.turn_latency_bucket}[5m])))"
      "p95" = "histogram_quantile(0.95, sum by (le) (rate(${local.app_metrics.turn_latency_bucket}[5m])))" } },
    { title = "LLM tokens per hour (alert at ${local.thresholds.llm_tokens_per_hour})", unit = "tokens", queries = {
      "by type" = "sum by (gen_ai_token_type) (increase(${local.app_metrics.llm_tokens}[1h]))" } },
    { title = "Call cost per hour (USD)", unit = "USD", queries = {
      "cost" = "sum(increase(${local.app_metrics.call_cost}[1h]))" } },
    { title = "Error rate (5xx / all requests)", unit = "ratio", queries = {
      "by service" = "sum by (service_name) (rate(run_googleapis_com:request_count{${local.run_promql},response_code_class=\"5xx\"}[5m])) / sum by (service_name) (rate(run_googleapis_com:request_count{${local.run_promql}}[5m]))" } },
    { title = "Request latency p99 (ms)", unit = "ms", queries = {
      "by service" = "histogram_quantile(0.99, sum by (service_name, le) (rate(run_googleapis_com:request_latencies_bucket{${local.run_promql}}[5m])))" } },
    { title = "Instances", unit = "instances", queries = {
      "by service" = "sum by (service_name) (run_googleapis_com:container_instance_count{${local.run_promql}})" } },
    { title = "Database CPU utilization", unit = "ratio", queries = {
      "by instance" = "max by (database_id) (cloudsql_googleapis_com:database_cpu_utilization{monitored_resource=\"cloudsql_database\"})" } },
    { title = "Memorystore memory usage ratio", unit = "ratio", queries = {
      "by instance" = "max by (instance_id) (redis_googleapis_com:stats_memory_usage_ratio{monitored_resource=\"redis_instance\"})" } },
  ]
}

resource "google_monitoring_dashboard" "overview" {
  project = var.project_id
  dashboard_json = jsonencode({
    displayName = "${local.title_prefix} overview"
    mosaicLayout = {
      columns = 12
      tiles = [
        for index, tile in local.dashboard_tiles : {
          xPos   = (index % 2) * 6
          yPos   = floor(index / 2) * 4
          width  = 6
          height = 4
          widget = {
            title = tile.title
            xyChart = {
              dataSets = [
                for name, query in tile.queries : {
                  plotType           = "LINE"
                  legendTemplate     = name
                  targetAxis         = "Y1"
                  timeSeriesQuery    = { prometheusQuery = query, unitOverride = tile.unit }
                }
              ]
              yAxis = { label = tile.unit, scale = "LINEAR" }
            }
          }
        }
      ]
    }
  })
}
