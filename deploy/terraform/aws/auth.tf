# One auth token per replication group, so a leaked cache URL does not open the broker.
# ElastiCache refuses @, " and / in a token; letters and digits are safe in a URL as well.
resource "random_password" "broker_auth" {
  length  = 48
  special = false
}

resource "random_password" "cache_auth" {
  length  = 48
  special = false
}
