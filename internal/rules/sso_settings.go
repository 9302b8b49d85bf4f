package rules

// Rule 11: SSO settings. Organization admins view single sign-on; only a platform
// admin (the operator of the platform, such as the bootstrap token's user) sets or
// clears sso_enabled, and the change is audited. Otherwise an organization admin could
// turn SSO off, change the memberships the identity provider owns (rule 7) and turn
// it back on.

// CodeSSOSettingForbidden refuses a change of sso_enabled by someone who is not a
// platform admin.
const CodeSSOSettingForbidden = "sso_setting_forbidden"

// SSOSettingRule is rule 11, as CheckSSOSetting's refusal states it.
const SSOSettingRule = "Only a platform admin (the operator of the platform) can turn single sign-on on or off for an organization"

// CheckSSOSetting decides whether the caller may set sso_enabled of the named
// organization to to (on create, and on a change; a create with SSO off, or an update
// that leaves it as it is, needs no right).
func CheckSSOSetting(orgName string, from, to, platformAdmin bool) *Violation {
	if from == to || platformAdmin {
		return nil
	}
	verb := "turn single sign-on off"
	if to {
		verb = "turn single sign-on on"
	}
	return violation(CodeSSOSettingForbidden, KindForbidden, "sso_enabled",
		"%s: the provider's token cannot %s for organization %q. Organization admins can view the setting; "+
			"ask the platform operator to change it, or leave sso_enabled as it is.", SSOSettingRule, verb, orgName)
}
