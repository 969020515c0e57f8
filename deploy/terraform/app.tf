# The App Platform app: the same shape as .do/app.yaml (web, worker, the
# pre-deploy migration job), wired to the clusters above by their private
# addresses. The app is created after the clusters; the firewalls after the app.

locals {
  image = {
    registry_type = "DOCR"
    repository    = "brightpath"
    tag           = var.image_tag
  }

  common_env = {
    BRIGHTPATH_DATABASE_URL       = digitalocean_database_connection_pool.app.private_uri
    BRIGHTPATH_VALKEY_URL         = digitalocean_database_cluster.valkey.private_uri
    BRIGHTPATH_SERVER__PUBLIC_URL = "https://${local.app_fqdn}"
    BRIGHTPATH_LOG_FORMAT         = "json"
    RUST_LOG                      = "info"
  }

  secret_env = {
    BRIGHTPATH_OAUTH__CLIENT_ID     = var.oauth_client_id
    BRIGHTPATH_OAUTH__CLIENT_SECRET = var.oauth_client_secret
    BRIGHTPATH_SENTRY__DSN          = var.sentry_dsn
  }

  # The nightly backup to the bucket, with the worker's own Spaces key.
  worker_env = {
    BRIGHTPATH_BACKUP__TO             = "s3://${digitalocean_spaces_bucket.files.name}/backups/"
    BRIGHTPATH_BACKUP__AT             = "daily 03:00"
    BRIGHTPATH_BACKUP__RETENTION_DAYS = tostring(var.backup_retention_days)
    BRIGHTPATH_S3__ENDPOINT           = "https://${var.region}.digitaloceanspaces.com"
    BRIGHTPATH_S3__REGION             = var.region
  }

  worker_secret_env = {
    BRIGHTPATH_S3__ACCESS_KEY = digitalocean_spaces_key.worker.access_key
    BRIGHTPATH_S3__SECRET_KEY = digitalocean_spaces_key.worker.secret_key
  }
}

resource "digitalocean_app" "this" {
  spec {
    name   = var.name
    region = var.app_region

    alert {
      rule = "DEPLOYMENT_FAILED"
    }

    domain {
      name = local.app_fqdn
      type = "PRIMARY"
      zone = var.domain
    }

    ingress {
      rule {
        component {
          name = "web"
        }
        match {
          path {
            prefix = "/"
          }
        }
      }
    }

    service {
      name               = "web"
      run_command        = "brightpath serve --listen 0.0.0.0:8080"
      http_port          = 8080
      instance_count     = var.web_instances
      instance_size_slug = var.instance_size

      image {
        registry_type = local.image.registry_type
        repository    = local.image.repository
        tag           = local.image.tag
      }

      health_check {
        http_path             = "/readyz"
        initial_delay_seconds = 10
        period_seconds        = 10
        timeout_seconds       = 3
        failure_threshold     = 3
      }

      dynamic "env" {
        for_each = local.common_env
        content {
          key   = env.key
          value = env.value
          scope = "RUN_TIME"
        }
      }

      dynamic "env" {
        for_each = local.secret_env
        content {
          key   = env.key
          value = env.value
          scope = "RUN_TIME"
          type  = "SECRET"
        }
      }
    }

    worker {
      name               = "worker"
      run_command        = "brightpath worker --concurrency 4"
      instance_count     = var.worker_instances
      instance_size_slug = var.instance_size

      image {
        registry_type = local.image.registry_type
        repository    = local.image.repository
        tag           = local.image.tag
      }

      dynamic "env" {
        for_each = merge(local.common_env, local.worker_env)
        content {
          key   = env.key
          value = env.value
          scope = "RUN_TIME"
        }
      }

      dynamic "env" {
        for_each = merge(local.secret_env, local.worker_secret_env)
        content {
          key   = env.key
          value = env.value
          scope = "RUN_TIME"
          type  = "SECRET"
        }
      }
    }

    job {
      name               = "migrate"
      kind               = "PRE_DEPLOY"
      run_command        = "brightpath db migrate"
      instance_size_slug = "apps-s-1vcpu-0.5gb"

      image {
        registry_type = local.image.registry_type
        repository    = local.image.repository
        tag           = local.image.tag
      }

      env {
        key   = "BRIGHTPATH_DATABASE_URL"
        value = digitalocean_database_cluster.pg.private_uri
        scope = "RUN_TIME"
        type  = "SECRET"
      }
    }
  }
}
