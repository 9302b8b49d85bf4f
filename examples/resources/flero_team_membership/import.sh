# A team membership is imported as <team_id>/<user_id>.
terraform import flero_team_membership.platform_bob team_5hW1sJd8Yc/usr_9Tg4kWz1Pa
