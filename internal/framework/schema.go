package framework

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// OptionalString is the one way the provider declares an optional free-text attribute
// (description, avatar_url, custom_domain). The API has no null for these: "" means
// none. So the attribute is Optional+Computed with a default of "": leaving it out of the
// configuration means "", removing it clears the value, and the API's "" never flaps
// against a null in state. Validators should accept "" (see validators.EmptyOr).
func OptionalString(description string, validators ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{
		Description: description + ` Empty (the default) means none.`,
		Optional:    true,
		Computed:    true,
		Default:     stringdefault.StaticString(""),
		Validators:  validators,
	}
}

// IDAttribute is a computed id, stable for the life of the object.
func IDAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		Description:   description,
		Computed:      true,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// ChangedString is the value to send in a PATCH for one attribute: the planned value
// when it differs from state, nil (unchanged) otherwise.
func ChangedString(plan, state types.String) *string {
	if plan.IsNull() || plan.IsUnknown() || plan.Equal(state) {
		return nil
	}
	v := plan.ValueString()
	return &v
}

// ChangedBool is ChangedString for booleans.
func ChangedBool(plan, state types.Bool) *bool {
	if plan.IsNull() || plan.IsUnknown() || plan.Equal(state) {
		return nil
	}
	v := plan.ValueBool()
	return &v
}
