output "app_url" {
  description = "Where people reach BrightPath (the app's primary domain)."
  value       = "https://${local.app_fqdn}"
}

output "app_default_url" {
  description = "The app's own ondigitalocean.app address (works before DNS has spread)."
  value       = digitalocean_app.this.default_ingress
}

output "app_id" {
  description = "The App Platform app's id: the DO_APP_ID variable of .github/workflows/deploy.yml."
  value       = digitalocean_app.this.id
}

output "registry_endpoint" {
  description = "Push the image here: <endpoint>/brightpath:<tag>."
  value       = digitalocean_container_registry.this.endpoint
}

output "database_url" {
  description = "PostgreSQL through the app's connection pool, for `brightpath --db ... backup` from an allowed address (admin_ips)."
  value       = digitalocean_database_connection_pool.app.uri
  sensitive   = true
}

output "valkey_url" {
  description = "The Valkey cluster (TLS), for `brightpath jobs list` from an allowed address."
  value       = digitalocean_database_cluster.valkey.uri
  sensitive   = true
}

output "bucket" {
  description = "The Spaces bucket of backups (backups/) and exports (exports/)."
  value       = digitalocean_spaces_bucket.files.name
}

output "files_url" {
  description = "The CDN address of the bucket (expiring links to exports are signed for it)."
  value       = "https://${local.files_fqdn}"
}

output "worker_spaces_access_key" {
  description = "The worker's Spaces key id (set as BRIGHTPATH_S3__ACCESS_KEY already)."
  value       = digitalocean_spaces_key.worker.access_key
  sensitive   = true
}
