# Both replication groups live in the private subnets and accept connections only from
# the hosts that run batchline, on the Redis port alone.
resource "aws_elasticache_subnet_group" "redis" {
  name        = "${var.name}-redis"
  description = "Private subnets of batchline's broker and cache"
  subnet_ids  = var.private_subnet_ids
  tags        = var.tags
}

resource "aws_security_group" "redis" {
  name        = "${var.name}-redis"
  description = "batchline broker and cache: Redis over TLS from the workers only"
  vpc_id      = var.vpc_id
  tags        = var.tags

  lifecycle {
    precondition {
      condition     = length(var.worker_security_group_ids) + length(var.worker_cidr_blocks) > 0
      error_message = "Give worker_security_group_ids or worker_cidr_blocks: otherwise nothing can reach Redis."
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_worker_groups" {
  for_each = toset(var.worker_security_group_ids)

  security_group_id            = aws_security_group.redis.id
  description                  = "Redis from a batchline host's security group"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}

resource "aws_vpc_security_group_ingress_rule" "from_worker_cidrs" {
  for_each = toset(var.worker_cidr_blocks)

  security_group_id = aws_security_group.redis.id
  description       = "Redis from batchline hosts' addresses"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 6379
  to_port           = 6379
}
