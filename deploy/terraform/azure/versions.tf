terraform {
  required_version = ">= 1.5"

  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # 4.x names the switches non_ssl_port_enabled and public_network_access_enabled.
      version = ">= 4.0, < 5.0"
    }
  }
}
