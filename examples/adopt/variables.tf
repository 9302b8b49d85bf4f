variable "organization_name" {
  description = "The name of the organization to adopt."
  type        = string
}

variable "organization_id" {
  description = "The id (org_…) of the organization to adopt."
  type        = string
}
