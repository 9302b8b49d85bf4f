# An organization is imported by its id or its name.
import {
  to = flero_organization.acme
  id = "org_8c1e5f0a9b7d42e6c3a1f5d8"
}
