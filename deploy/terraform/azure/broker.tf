# The broker: BullMQ's queues, the batch store and the results. It must never evict a key
# (a lost job key is a lost document) and must survive a restart, so it runs on Premium,
# the only Azure Cache for Redis tier with persistence, with the append-only file on.
resource "azurerm_redis_cache" "broker" {
  name                = "${var.name}-broker"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku_name            = "Premium"
  family              = "P"
  capacity            = var.broker_capacity

  non_ssl_port_enabled          = false
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false

  redis_configuration {
    # BullMQ requires noeviction: a full broker must refuse writes (batchline waits and
    # retries) rather than drop a job.
    maxmemory_policy = "noeviction"

    # AOF rather than RDB snapshots: a snapshot taken an hour ago forgets every job since.
    aof_backup_enabled              = true
    aof_storage_connection_string_0 = azurerm_storage_account.broker_persistence.primary_blob_connection_string
  }

  tags = var.tags
}

# Where Azure writes the broker's append-only file.
resource "azurerm_storage_account" "broker_persistence" {
  name                            = "${var.name}aof"
  location                        = var.location
  resource_group_name             = var.resource_group_name
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false

  tags = var.tags
}
