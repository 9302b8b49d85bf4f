# A workspace membership is imported as <workspace_id>/user/<user_id> or
# <workspace_id>/team/<team_id>.
terraform import flero_workspace_membership.payments_carol ws_3bN8pLq2Vt/user/usr_2Qm7cXv4Lb
terraform import flero_workspace_membership.payments_platform ws_3bN8pLq2Vt/team/team_5hW1sJd8Yc
