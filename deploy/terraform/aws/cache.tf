# The cache: one small node, no replica, no snapshots. Losing it costs only cache hits
# (batchline's breaker opens and documents run the pipeline), so redundancy buys nothing.
resource "aws_elasticache_parameter_group" "cache" {
  name        = "${var.name}-cache"
  description = "batchline cache: evict least recently used keys when full"
  family      = "redis${split(".", var.engine_version)[0]}"

  parameter {
    name  = "maxmemory-policy"
    value = "allkeys-lru"
  }

  tags = var.tags
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "${var.name}-cache"
  description          = "batchline cache (disposable, allkeys-lru)"
  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.cache_node_type
  num_cache_clusters   = 1
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.cache.name

  subnet_group_name  = aws_elasticache_subnet_group.redis.name
  security_group_ids = [aws_security_group.redis.id]

  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  auth_token                 = random_password.cache_auth.result

  snapshot_retention_limit = 0

  tags = var.tags
}
