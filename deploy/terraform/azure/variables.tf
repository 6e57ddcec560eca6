variable "name" {
  description = "Prefix of every resource name. Redis and storage account names are global in Azure, so pick one nobody else uses: 3 to 16 lower-case letters and digits, starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,15}$", var.name))
    error_message = "name must be 3 to 16 lower-case letters and digits, starting with a letter (it becomes part of a storage account name)."
  }
}

variable "resource_group_name" {
  description = "Resource group that holds both Redis instances, their private endpoints, the private DNS zone and the broker's persistence storage account."
  type        = string
}

variable "location" {
  description = "Azure region of every resource, e.g. westeurope. Put it where the workers run: every job makes several round trips to the broker."
  type        = string
}

variable "private_endpoint_subnet_id" {
  description = "Subnet in which both private endpoints get their addresses. The hosts that run batchline (workers, ingest, dashboard) must reach it on port 6380."
  type        = string
}

variable "virtual_network_ids" {
  description = "Virtual networks whose hosts must resolve the Redis host names to the private endpoints, by a short name used in the link's name, e.g. { workers = azurerm_virtual_network.main.id }."
  type        = map(string)

  validation {
    condition     = length(var.virtual_network_ids) > 0
    error_message = "Link at least one virtual network: without it the host names resolve to nothing reachable."
  }
}

variable "broker_capacity" {
  description = "Size of the Premium broker: 1 = P1 (6 GB), 2 = P2 (13 GB), 3 = P3 (26 GB), 4 = P4 (53 GB), 5 = P5 (120 GB). A broker holds queued and finished jobs, not documents' results for long: P1 suits most batches."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2, 3, 4, 5], var.broker_capacity)
    error_message = "broker_capacity must be 1 to 5 (P1 to P5)."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
