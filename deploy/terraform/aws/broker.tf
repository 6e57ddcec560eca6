# The broker: BullMQ's queues, the batch store and the results. ElastiCache's default
# parameter group evicts (volatile-lru), which can drop a job: this group says noeviction.
# ElastiCache offers no append-only file for Redis 7; durability comes from a replica in
# another zone with automatic failover, plus daily snapshots.
resource "aws_elasticache_parameter_group" "broker" {
  name        = "${var.name}-broker"
  description = "batchline broker: never evict (BullMQ requires it)"
  family      = "redis${split(".", var.engine_version)[0]}"

  parameter {
    name  = "maxmemory-policy"
    value = "noeviction"
  }

  tags = var.tags
}

resource "aws_elasticache_replication_group" "broker" {
  replication_group_id = "${var.name}-broker"
  description          = "batchline broker (durable, noeviction)"
  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.broker_node_type
  num_cache_clusters   = 2
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.broker.name

  automatic_failover_enabled = true
  multi_az_enabled           = true

  subnet_group_name  = aws_elasticache_subnet_group.redis.name
  security_group_ids = [aws_security_group.redis.id]

  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  auth_token                 = random_password.broker_auth.result

  snapshot_retention_limit = var.broker_snapshot_retention_days

  tags = var.tags
}
