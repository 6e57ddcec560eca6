# The two URLs batchline reads. They carry the access key (URL-encoded: keys contain + / =),
# hence sensitive; read them with `terraform output -raw`.
output "batchline_broker_url" {
  description = "BATCHLINE_BROKER_URL: rediss:// to the Premium broker over TLS on 6380, with its primary access key."
  value       = "rediss://:${urlencode(azurerm_redis_cache.broker.primary_access_key)}@${azurerm_redis_cache.broker.hostname}:${azurerm_redis_cache.broker.ssl_port}"
  sensitive   = true
}

output "batchline_cache_url" {
  description = "BATCHLINE_CACHE_URL: rediss:// to the Basic C0 cache over TLS on 6380, with its primary access key."
  value       = "rediss://:${urlencode(azurerm_redis_cache.cache.primary_access_key)}@${azurerm_redis_cache.cache.hostname}:${azurerm_redis_cache.cache.ssl_port}"
  sensitive   = true
}
