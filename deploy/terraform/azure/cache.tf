# The cache: the cheapest managed Redis there is (Basic C0, 250 MB, one node, no SLA).
# Losing it costs only cache hits: batchline's breaker opens and every document runs the
# pipeline, so paying for replication or persistence here buys nothing.
resource "azurerm_redis_cache" "cache" {
  name                = "${var.name}-cache"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku_name            = "Basic"
  family              = "C"
  capacity            = 0

  non_ssl_port_enabled          = false
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false

  redis_configuration {
    # Full is normal for a cache: evict the least recently used key rather than refuse writes.
    maxmemory_policy = "allkeys-lru"
  }

  tags = var.tags
}
