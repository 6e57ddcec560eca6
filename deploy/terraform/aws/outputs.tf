# The two URLs batchline reads. They carry the auth tokens, hence sensitive; read them
# with `terraform output -raw`.
output "batchline_broker_url" {
  description = "BATCHLINE_BROKER_URL: rediss:// to the broker's primary endpoint (it follows a failover), with its auth token."
  value       = "rediss://:${urlencode(random_password.broker_auth.result)}@${aws_elasticache_replication_group.broker.primary_endpoint_address}:${aws_elasticache_replication_group.broker.port}"
  sensitive   = true
}

output "batchline_cache_url" {
  description = "BATCHLINE_CACHE_URL: rediss:// to the cache's primary endpoint, with its auth token."
  value       = "rediss://:${urlencode(random_password.cache_auth.result)}@${aws_elasticache_replication_group.cache.primary_endpoint_address}:${aws_elasticache_replication_group.cache.port}"
  sensitive   = true
}

output "redis_security_group_id" {
  description = "Security group of both replication groups, for rules beyond the workers' (e.g. a bastion for redis-cli)."
  value       = aws_security_group.redis.id
}
