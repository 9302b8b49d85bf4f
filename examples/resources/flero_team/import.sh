# A team is imported by its id.
terraform import flero_team.platform team_5hW1sJd8Yc
