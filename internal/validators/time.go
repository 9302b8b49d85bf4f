package validators

import (
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/flero/terraform-provider-flero/internal/rules"
)

// RFC3339 checks a time written as RFC 3339 (rules.ValidateRFC3339).
func RFC3339() validator.String {
	return stringRule{desc: "an RFC 3339 time such as 2026-01-02T15:04:05Z", fn: rules.ValidateRFC3339}
}
