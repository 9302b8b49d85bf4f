# Resend a pending invitation:
#   terraform apply -invoke=action.flero_invitation_resend.alice
action "flero_invitation_resend" "alice" {
  config {
    organization_id = "org_5b2e8f1c9a7d3e4f6a0b1c2d"
    email           = "alice@example.com"
  }
}
