# A team is imported by its id.
terraform import flero_team.platform team_4b2d9e7f1a6c3058e9d2b7a4
