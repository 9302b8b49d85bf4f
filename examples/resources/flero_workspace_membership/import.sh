# A workspace membership is imported as <workspace_id>/user/<user_id> or
# <workspace_id>/team/<team_id>.
terraform import flero_workspace_membership.payments_carol ws_2d9f4b7e1c8a3056f2b9d4e1/user/usr_5c8e2a7f9d1b4063c7a2e5f8
terraform import flero_workspace_membership.payments_platform ws_2d9f4b7e1c8a3056f2b9d4e1/team/team_4b2d9e7f1a6c3058e9d2b7a4
