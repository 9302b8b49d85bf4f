package rules

import "fmt"

// Unique names: an organization's name and a workspace's custom domain are unique on
// the platform, a workspace's and a team's name in their organization, a credential's
// name in its workspace. Names are compared exactly (SameName). The server refuses a
// create or a rename to a taken name (HTTP 409); the provider's plan reports a create
// whose name is taken, naming the object that holds it.

// NameKind is a kind of object whose name (or, for NameCustomDomain, domain) is unique.
// Its values are the store's kinds of unique values.
type NameKind string

const (
	NameOrganization NameKind = "organization"
	NameWorkspace    NameKind = "workspace"
	NameTeam         NameKind = "team"
	NameCredential   NameKind = "credential"
	NameCustomDomain NameKind = "domain"
)

// CodeNameTaken is the code of a taken name: the API's generic conflict code, which a
// taken name has always had on the wire.
const CodeNameTaken = "conflict"

// UniqueIn says where a value of the kind must be unique: "platform",
// "organization" (the object's organization) or "workspace" (the credential's
// workspace).
func (k NameKind) UniqueIn() string {
	switch k {
	case NameWorkspace, NameTeam:
		return "organization"
	case NameCredential:
		return "workspace"
	}
	return "platform"
}

// Field is the attribute that holds the unique value.
func (k NameKind) Field() string {
	if k == NameCustomDomain {
		return "custom_domain"
	}
	return "name"
}

// Words names the value in a sentence: "Workspace name", "Custom domain".
func (k NameKind) Words() string {
	switch k {
	case NameOrganization:
		return "Organization name"
	case NameWorkspace:
		return "Workspace name"
	case NameTeam:
		return "Team name"
	case NameCredential:
		return "Credential name"
	case NameCustomDomain:
		return "Custom domain"
	}
	return string(k)
}

// CheckNameFree refuses a value of the kind that another object already holds (taken).
func CheckNameFree(k NameKind, value string, taken bool) *Violation {
	if !taken {
		return nil
	}
	return violation(CodeNameTaken, KindConflict, k.Field(), "%s %q is already taken.", k.Words(), value)
}

// ImportHint is the next step when a create conflicts with an existing object that
// Terraform could manage instead: the import command and the import block that adopt
// it. resourceType is the Terraform type ("flero_workspace"), id the import id.
func ImportHint(resourceType, id string) string {
	return fmt.Sprintf("To manage the existing object with this resource instead of creating another, import it "+
		"(the resource's address is shown above):\n"+
		"  terraform import %[1]s.<name> %[2]s\n"+
		"or with an import block:\n"+
		"  import {\n    to = %[1]s.<name>\n    id = %[2]q\n  }", resourceType, id)
}
