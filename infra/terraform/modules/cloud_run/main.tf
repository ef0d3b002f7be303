# Services and jobs are created from the publisher's map so that networking, identity, scaling and secrets are owned
# by Terraform. The image and traffic split are ignored: CI rolls out new images (gcloud run services replace with the
# publisher's YAML, then canary traffic shifts), and Terraform must not undo that.

locals {
  # Names shared with the publisher's YAML (azure-free-gcp-manifests TelemetrySidecar; a test compares them).
  collector = {
    name              = "otel-collector"
    config_secret     = "otel-collector-config"
    config_volume     = "otel-collector-config"
    config_directory  = "/etc/otelcol-google"
    health_check_port = 13133
  }

  ingress = {
    all                               = "INGRESS_TRAFFIC_ALL"
    internal                          = "INGRESS_TRAFFIC_INTERNAL_ONLY"
    internal-and-cloud-load-balancing = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
  }
}

resource "google_cloud_run_v2_service" "service" {
  for_each = var.services

  project             = var.project_id
  name                = each.key
  location            = var.region
  ingress             = local.ingress[each.value.ingress]
  deletion_protection = var.deletion_protection
  labels              = { environment = var.environment }

  template {
    service_account                  = var.service_account_emails[each.key]
    timeout                          = "${each.value.timeout_seconds}s"
    max_instance_request_concurrency = each.value.concurrency
    session_affinity                 = each.value.session_affinity
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"

    scaling {
      min_instance_count = each.value.min_instances
      max_instance_count = each.value.max_instances
    }

    vpc_access {
      egress = "ALL_TRAFFIC"
      network_interfaces {
        network    = var.network_name
        subnetwork = var.subnet_name
      }
    }

    containers {
      name  = each.key
      image = each.value.image
      # With the telemetry sidecar, the app starts once the collector is healthy (as in the publisher's YAML).
      depends_on = each.value.otel_collector_image == "" ? null : [local.collector.name]

      ports {
        name           = "http1"
        container_port = each.value.port
      }

      resources {
        limits            = { cpu = each.value.cpu, memory = each.value.memory }
        cpu_idle          = !each.value.cpu_always_allocated
        startup_cpu_boost = true
      }

      dynamic "env" {
        for_each = each.value.env
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = each.value.secret_env
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value
              version = "latest"
            }
          }
        }
      }

      dynamic "startup_probe" {
        for_each = each.value.health_probes ? [each.value.port] : []
        content {
          period_seconds    = 5
          timeout_seconds   = 3
          failure_threshold = 24
          http_get {
            path = "/health"
            port = startup_probe.value
          }
        }
      }

      dynamic "liveness_probe" {
        for_each = each.value.health_probes ? [each.value.port] : []
        content {
          period_seconds    = 30
          timeout_seconds   = 5
          failure_threshold = 3
          http_get {
            path = "/alive"
            port = liveness_probe.value
          }
        }
      }
    }

    # The OpenTelemetry Collector sidecar: same container, probe and config volume as the publisher's YAML, so an
    # apply after a rollout keeps it. Config: the telemetry module's secret.
    dynamic "containers" {
      for_each = each.value.otel_collector_image == "" ? [] : [each.value.otel_collector_image]
      content {
        name  = local.collector.name
        image = containers.value
        args  = ["--config=${local.collector.config_directory}/config.yaml"]

        resources {
          limits   = { cpu = "1", memory = "512Mi" }
          cpu_idle = !each.value.cpu_always_allocated
        }

        startup_probe {
          period_seconds    = 5
          timeout_seconds   = 3
          failure_threshold = 12
          http_get {
            path = "/"
            port = local.collector.health_check_port
          }
        }

        volume_mounts {
          name       = local.collector.config_volume
          mount_path = local.collector.config_directory
        }
      }
    }

    dynamic "volumes" {
      for_each = each.value.otel_collector_image == "" ? [] : [local.collector.config_secret]
      content {
        name = local.collector.config_volume
        secret {
          secret = volumes.value
          items {
            version = "latest"
            path    = "config.yaml"
          }
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [
      template[0].containers[0].image,
      template[0].revision,
      template[0].labels,
      template[0].annotations,
      traffic,
      client,
      client_version,
    ]
  }
}

# Public services (telephony webhooks, media streams) accept unauthenticated requests; the app authenticates them
# (Twilio signatures, API keys). Internal services get no invoker grant.
resource "google_cloud_run_v2_service_iam_member" "public_invoker" {
  for_each = { for name, service in var.services : name => service if service.public }

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.service[each.key].name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_job" "job" {
  for_each = var.jobs

  project             = var.project_id
  name                = each.key
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = { environment = var.environment }

  template {
    task_count  = 1
    parallelism = 1

    template {
      service_account       = var.service_account_emails[each.key]
      timeout               = "${each.value.timeout_seconds}s"
      max_retries           = each.value.max_retries
      execution_environment = "EXECUTION_ENVIRONMENT_GEN2"

      vpc_access {
        egress = "ALL_TRAFFIC"
        network_interfaces {
          network    = var.network_name
          subnetwork = var.subnet_name
        }
      }

      containers {
        name  = each.key
        image = each.value.image
        args  = each.value.args

        resources {
          limits = { cpu = each.value.cpu, memory = each.value.memory }
        }

        dynamic "env" {
          for_each = each.value.env
          content {
            name  = env.key
            value = env.value
          }
        }

        dynamic "env" {
          for_each = each.value.secret_env
          content {
            name = env.key
            value_source {
              secret_key_ref {
                secret  = env.value
                version = "latest"
              }
            }
          }
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [
      template[0].template[0].containers[0].image,
      client,
      client_version,
    ]
  }
}
