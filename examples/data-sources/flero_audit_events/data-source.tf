# Everything alice@example.com deleted in the payments workspace since January.
data "flero_audit_events" "alice_deletions" {
  organization_id = "org_5b2e8f1c9a7d3e4f6a0b1c2d"
  email           = "alice@example.com"
  workspace_id    = "ws_9c1d4e7a2b3f5a6c8d0e1f24"
  action          = "deleted"
  entity_type     = "credential"
  since           = "2026-01-01T00:00:00Z"
}

output "alice_deleted_credentials" {
  value = [for e in data.flero_audit_events.alice_deletions.events : "${e.time} ${e.entity_id}"]
}
