# <workspace_id>/user/<user_id> or <workspace_id>/team/<team_id>
import {
  to = flero_workspace_membership.payments_carol
  id = "ws_2d9f4b7e1c8a3056f2b9d4e1/user/usr_5c8e2a7f9d1b4063c7a2e5f8"
}
