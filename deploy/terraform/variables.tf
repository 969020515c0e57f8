variable "name" {
  description = "Prefix of every resource's name (the app, clusters, bucket)."
  type        = string
  default     = "brightpath"
}

variable "region" {
  description = "DigitalOcean region of the database clusters, the VPC and the Spaces bucket (e.g. fra1, ams3, nyc3)."
  type        = string
  default     = "fra1"
}

variable "app_region" {
  description = "App Platform region slug (ams, nyc, fra, sfo, sgp, blr, tor, lon, syd): the same place as var.region."
  type        = string
  default     = "fra"
}

variable "domain" {
  description = "The DNS zone DigitalOcean hosts for the co-op (the registrar's name servers point to ns1-3.digitalocean.com)."
  type        = string
}

variable "app_host" {
  description = "Host name of the web app inside var.domain (\"school\" gives school.example.org)."
  type        = string
  default     = "school"
}

variable "files_host" {
  description = "Host name of the CDN in front of the Spaces bucket (exports, reports and calendars by expiring link)."
  type        = string
  default     = "files"
}

variable "image_tag" {
  description = "Tag of the brightpath image in the container registry (deploy.yml pushes the git SHA)."
  type        = string
  default     = "latest"
}

variable "registry_name" {
  description = "Name of the DigitalOcean Container Registry (unique across DigitalOcean)."
  type        = string
}

variable "web_instances" {
  description = "Instances of the web service (serve). Two or more keep the app up during deployments."
  type        = number
  default     = 2
}

variable "worker_instances" {
  description = "Instances of the worker. Workers scale horizontally: each takes jobs from Valkey (docs/deploy.md)."
  type        = number
  default     = 1
}

variable "instance_size" {
  description = "App Platform instance size of the web service and the workers."
  type        = string
  default     = "apps-s-1vcpu-1gb"
}

variable "pg_size" {
  description = "Size slug of the PostgreSQL cluster's nodes."
  type        = string
  default     = "db-s-1vcpu-2gb"
}

variable "pg_nodes" {
  description = "PostgreSQL nodes: 1, or 2-3 for a standby that takes over on failure."
  type        = number
  default     = 1
}

variable "pool_size" {
  description = "Connections of the PgBouncer pool the app uses (session mode). Keep it at least (web instances + worker instances) x 10, under the cluster's limit."
  type        = number
  default     = 22
}

variable "valkey_size" {
  description = "Size slug of the Valkey cluster's node."
  type        = string
  default     = "db-s-1vcpu-1gb"
}

variable "backup_retention_days" {
  description = "Days the worker keeps its nightly backups (backup.retention_days); the bucket's lifecycle rule deletes what is left after twice that."
  type        = number
  default     = 90
}

variable "oauth_client_id" {
  description = "OAuth client of the sign-in provider (BRIGHTPATH_OAUTH__CLIENT_ID)."
  type        = string
  sensitive   = true
}

variable "oauth_client_secret" {
  description = "Its secret (BRIGHTPATH_OAUTH__CLIENT_SECRET)."
  type        = string
  sensitive   = true
}

variable "sentry_dsn" {
  description = "Sentry DSN for errors (empty: off)."
  type        = string
  default     = ""
  sensitive   = true
}

variable "admin_ips" {
  description = "Addresses (CIDR) allowed to reach the database clusters besides the app, e.g. an operator's address for psql; empty: the app only."
  type        = list(string)
  default     = []
}
