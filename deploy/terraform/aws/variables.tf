variable "name" {
  description = "Prefix of every resource name: 1 to 30 lower-case letters, digits and hyphens, starting with a letter (ElastiCache ids are at most 40 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.name))
    error_message = "name must be 1 to 30 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the workers; the Redis security group is created in it."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (no route to an internet gateway) for the Redis nodes, in at least two availability zones so the broker's replica can take over when its zone fails."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "Give at least two private subnets, in different availability zones."
  }
}

variable "worker_security_group_ids" {
  description = "Security groups of the hosts that run batchline (workers, ingest, dashboard): only they may connect to Redis on 6379. Give these, worker_cidr_blocks, or both."
  type        = list(string)
  default     = []
}

variable "worker_cidr_blocks" {
  description = "CIDR blocks of the hosts that run batchline, for hosts outside the workers' security groups (e.g. a peered network). Never 0.0.0.0/0."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for block in var.worker_cidr_blocks : can(cidrhost(block, 0)) && !endswith(block, "/0")])
    error_message = "worker_cidr_blocks must be valid CIDR blocks narrower than /0."
  }
}

variable "engine_version" {
  description = "Redis engine version of both replication groups (BullMQ needs 6.2 or later)."
  type        = string
  default     = "7.1"
}

variable "cache_node_type" {
  description = "Node type of the cache: the smallest is enough, since losing or filling it costs only cache hits."
  type        = string
  default     = "cache.t4g.micro"
}

variable "broker_node_type" {
  description = "Node type of the broker's primary and replica. It holds queued and finished jobs: size it for the largest backlog you expect, with headroom (it never evicts)."
  type        = string
  default     = "cache.t4g.small"
}

variable "broker_snapshot_retention_days" {
  description = "Days of daily broker snapshots kept, for restoring after a loss of both nodes."
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
