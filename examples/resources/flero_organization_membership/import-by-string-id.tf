# <organization_id>/<email>
import {
  to = flero_organization_membership.bob
  id = "org_8c1e5f0a9b7d42e6c3a1f5d8/bob@acme.example"
}
