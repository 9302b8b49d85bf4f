import {
  to = flero_workspace.payments
  id = "ws_2d9f4b7e1c8a3056f2b9d4e1"
}
