# A team membership is imported as <team_id>/<user_id>.
terraform import flero_team_membership.platform_bob team_4b2d9e7f1a6c3058e9d2b7a4/usr_7e3a1c9f5b2d8046a1e7c3f9
