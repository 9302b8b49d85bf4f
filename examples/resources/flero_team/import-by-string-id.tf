import {
  to = flero_team.platform
  id = "team_4b2d9e7f1a6c3058e9d2b7a4"
}
