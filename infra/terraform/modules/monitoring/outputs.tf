output "alert_policy_ids" {
  description = "Alert policy ids by purpose."
  value = merge(
    {
      error_rate     = google_monitoring_alert_policy.error_rate.id
      latency_p99    = google_monitoring_alert_policy.latency_p99.id
      instance_count = google_monitoring_alert_policy.instance_count.id
      llm_tokens     = google_monitoring_alert_policy.llm_tokens.id
    },
    { for policy in google_monitoring_alert_policy.database_cpu : "database_cpu" => policy.id },
  )
}

output "dashboard_id" {
  description = "Overview dashboard id."
  value       = google_monitoring_dashboard.overview.id
}

output "notification_channels" {
  description = "Channels every alert notifies."
  value       = local.channels
}
