terraform {
  required_version = ">= 1.6"
  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = "~> 2.55"
    }
  }
}

# The token comes from DIGITALOCEAN_TOKEN; Spaces keys for the bucket
# resources from SPACES_ACCESS_KEY_ID / SPACES_SECRET_ACCESS_KEY.
provider "digitalocean" {}
