# BrightPath on DigitalOcean: a VPC, managed PostgreSQL and Valkey (reachable
# only from the app and var.admin_ips), a container registry, a Spaces bucket
# with a CDN and a certificate, DNS, and the App Platform app (web, worker,
# pre-deploy migrations). docs/deploy.md walks through `terraform apply`.

locals {
  app_fqdn   = "${var.app_host}.${var.domain}"
  files_fqdn = "${var.files_host}.${var.domain}"
  bucket     = "${var.name}-${var.app_host}-files"
}

resource "digitalocean_project" "this" {
  name        = var.name
  description = "BrightPath for a co-op"
  purpose     = "Web Application"
  environment = "Production"
}

resource "digitalocean_vpc" "this" {
  name   = "${var.name}-vpc"
  region = var.region
}

resource "digitalocean_container_registry" "this" {
  name                   = var.registry_name
  subscription_tier_slug = "basic"
  region                 = var.region
}

# --- PostgreSQL ---------------------------------------------------------------

resource "digitalocean_database_cluster" "pg" {
  name                 = "${var.name}-pg"
  engine               = "pg"
  version              = "16"
  size                 = var.pg_size
  region               = var.region
  node_count           = var.pg_nodes
  private_network_uuid = digitalocean_vpc.this.id
}

resource "digitalocean_database_db" "brightpath" {
  cluster_id = digitalocean_database_cluster.pg.id
  name       = "brightpath"
}

resource "digitalocean_database_user" "brightpath" {
  cluster_id = digitalocean_database_cluster.pg.id
  name       = "brightpath"
}

# Session mode: sqlx keeps prepared statements per connection, which a
# transaction-mode pool would hand to another client.
resource "digitalocean_database_connection_pool" "app" {
  cluster_id = digitalocean_database_cluster.pg.id
  name       = "brightpath-app"
  mode       = "session"
  size       = var.pool_size
  db_name    = digitalocean_database_db.brightpath.name
  user       = digitalocean_database_user.brightpath.name
}

# --- Valkey (the job bus) -------------------------------------------------------

resource "digitalocean_database_cluster" "valkey" {
  name                 = "${var.name}-valkey"
  engine               = "valkey"
  version              = "8"
  size                 = var.valkey_size
  region               = var.region
  node_count           = 1
  private_network_uuid = digitalocean_vpc.this.id
}

# Both clusters: reachable from the app and var.admin_ips only.
resource "digitalocean_database_firewall" "clusters" {
  for_each = {
    pg     = digitalocean_database_cluster.pg.id
    valkey = digitalocean_database_cluster.valkey.id
  }
  cluster_id = each.value

  rule {
    type  = "app"
    value = digitalocean_app.this.id
  }

  dynamic "rule" {
    for_each = var.admin_ips
    content {
      type  = "ip_addr"
      value = rule.value
    }
  }
}

# --- Spaces: backups and exports, behind a CDN ---------------------------------

resource "digitalocean_spaces_bucket" "files" {
  name   = local.bucket
  region = var.region
  acl    = "private"

  lifecycle_rule {
    id      = "backups"
    prefix  = "backups/"
    enabled = true
    expiration {
      days = var.backup_retention_days * 2
    }
  }

  lifecycle_rule {
    id      = "exports"
    prefix  = "exports/"
    enabled = true
    expiration {
      days = 7
    }
  }
}

# A key for the worker that can use this bucket only.
resource "digitalocean_spaces_key" "worker" {
  name = "${var.name}-worker"
  grant {
    bucket     = digitalocean_spaces_bucket.files.name
    permission = "readwrite"
  }
}

resource "digitalocean_certificate" "files" {
  name    = "${var.name}-files"
  type    = "lets_encrypt"
  domains = [local.files_fqdn]

  lifecycle {
    create_before_destroy = true
  }
}

resource "digitalocean_cdn" "files" {
  origin           = digitalocean_spaces_bucket.files.bucket_domain_name
  custom_domain    = local.files_fqdn
  certificate_name = digitalocean_certificate.files.name
  ttl              = 3600
}

# --- DNS ----------------------------------------------------------------------

resource "digitalocean_domain" "this" {
  name = var.domain
}

resource "digitalocean_record" "files" {
  domain = digitalocean_domain.this.id
  type   = "CNAME"
  name   = var.files_host
  value  = "${digitalocean_cdn.files.endpoint}."
  ttl    = 3600
}

# The app's own record: App Platform adds it to the zone when the domain's
# `zone` is a DigitalOcean-hosted one (below).

resource "digitalocean_project_resources" "this" {
  project = digitalocean_project.this.id
  resources = [
    digitalocean_database_cluster.pg.urn,
    digitalocean_database_cluster.valkey.urn,
    digitalocean_spaces_bucket.files.urn,
    digitalocean_domain.this.urn,
    digitalocean_app.this.urn,
  ]
}
