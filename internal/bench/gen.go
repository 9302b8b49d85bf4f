// Package bench measures the provider against Terraform's own floor: a tenancy
// configuration of N flero objects and a configuration of the same N terraform_data
// resources with the same dependency graph, applied, planned, changed and destroyed
// side by side against the reference server (run in-process, on a fresh database).
// cmd/flero-bench is its command line; BENCHMARKS.md holds the figures.
package bench

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Resource types of the tenancy configuration.
const (
	TypeOrganization           = "flero_organization"
	TypeWorkspace              = "flero_workspace"
	TypeTeam                   = "flero_team"
	TypeOrganizationMembership = "flero_organization_membership"
	TypeWorkspaceMembership    = "flero_workspace_membership"
	TypeTeamMembership         = "flero_team_membership"
	TypeCredential             = "flero_credential"
)

// Mix is how many objects of each type a configuration of N objects holds: about one
// organization, 5% workspaces, 2% teams, 30% organization memberships, 30% workspace
// memberships, 10% team memberships and the rest (about 23%) credentials.
type Mix struct {
	Organizations, Workspaces, Teams                               int
	OrganizationMemberships, WorkspaceMemberships, TeamMemberships int
	Credentials                                                    int
}

// MinObjects is the smallest N the generator accepts.
const MinObjects = 20

// MixFor returns the mix of n objects.
func MixFor(n int) (Mix, error) {
	if n < MinObjects {
		return Mix{}, fmt.Errorf("bench: %d objects is too few; the mix needs at least %d", n, MinObjects)
	}
	pct := func(p float64) int { return int(math.Round(p * float64(n))) }
	m := Mix{
		Organizations:           1,
		Workspaces:              max(1, pct(0.05)),
		Teams:                   max(1, pct(0.02)),
		OrganizationMemberships: pct(0.30),
		WorkspaceMemberships:    pct(0.30),
		TeamMemberships:         pct(0.10),
	}
	m.Credentials = n - m.Total()
	if m.Credentials < 1 {
		return Mix{}, fmt.Errorf("bench: %d objects leave no room for credentials", n)
	}
	return m, nil
}

// Total is the number of objects.
func (m Mix) Total() int {
	return m.Organizations + m.Workspaces + m.Teams + m.OrganizationMemberships +
		m.WorkspaceMemberships + m.TeamMemberships + m.Credentials
}

// Value is an attribute value: a string, a number, a reference to another object's
// attribute, or a map of strings.
type Value struct {
	Str string
	Num int64
	Ref *Ref
	Map []Attr // a map of string values, in this order
	num bool
}

// Ref names another object's attribute.
type Ref struct {
	Object *Object
	Attr   string // "id" or "user_id"
}

// Attr is one attribute of an object.
type Attr struct {
	Key string
	Val Value
}

func strVal(s string) Value            { return Value{Str: s} }
func numVal(n int64) Value             { return Value{Num: n, num: true} }
func refVal(o *Object, a string) Value { return Value{Ref: &Ref{Object: o, Attr: a}} }

// Object is one managed object of the configuration.
type Object struct {
	Type  string // a flero resource type
	Label string // the resource name, unique in the configuration
	Attrs []Attr
	// Changed is the object's attributes in the changed configuration; nil when the
	// change set leaves it alone. ChangeKind says what changes ("scope workspace ->
	// organization", "role", "description", "rotation").
	Changed    []Attr
	ChangeKind string
}

// Spec is a generated configuration: its objects in dependency order.
type Spec struct {
	N       int
	Seed    uint64
	Mix     Mix
	Objects []*Object
}

// Generate returns the configuration of n objects for a seed. The same n and seed
// always give the same configuration.
func Generate(n int, seed uint64) (*Spec, error) {
	mix, err := MixFor(n)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	sp := &Spec{N: n, Seed: seed, Mix: mix}
	add := func(typ, label string, attrs ...Attr) *Object {
		o := &Object{Type: typ, Label: label, Attrs: attrs}
		sp.Objects = append(sp.Objects, o)
		return o
	}

	org := add(TypeOrganization, "org",
		Attr{"name", strVal(fmt.Sprintf("bench-%d", n))},
		Attr{"description", strVal("Benchmark organization")},
		Attr{"plan", strVal("enterprise")}, // organization scope needs it
	)

	workspaces := make([]*Object, mix.Workspaces)
	for i := range workspaces {
		workspaces[i] = add(TypeWorkspace, fmt.Sprintf("ws_%04d", i),
			Attr{"organization_id", refVal(org, "id")},
			Attr{"name", strVal(fmt.Sprintf("ws-%04d", i))},
			Attr{"description", strVal(fmt.Sprintf("Workspace %d", i))},
		)
	}
	teams := make([]*Object, mix.Teams)
	for i := range teams {
		teams[i] = add(TypeTeam, fmt.Sprintf("team_%04d", i),
			Attr{"organization_id", refVal(org, "id")},
			Attr{"name", strVal(fmt.Sprintf("team-%04d", i))},
			Attr{"description", strVal(fmt.Sprintf("Team %d", i))},
		)
	}
	people := make([]*Object, mix.OrganizationMemberships)
	for i := range people {
		role := "member"
		if i%10 == 0 {
			role = "admin"
		}
		people[i] = add(TypeOrganizationMembership, fmt.Sprintf("om_%04d", i),
			Attr{"organization_id", refVal(org, "id")},
			Attr{"email", strVal(fmt.Sprintf("user%04d@bench.example.com", i))},
			Attr{"role", strVal(role)},
		)
	}

	// Workspace memberships: about one in five for a team, each (workspace, principal)
	// pair once.
	if mix.Workspaces*(len(people)+len(teams)) < mix.WorkspaceMemberships {
		return nil, fmt.Errorf("bench: %d objects: not enough workspaces and principals for %d workspace memberships", n, mix.WorkspaceMemberships)
	}
	roles := []string{"viewer", "editor", "admin", "owner"}
	seenWM := map[[2]*Object]bool{}
	for i := 0; i < mix.WorkspaceMemberships; {
		ws := workspaces[rng.IntN(len(workspaces))]
		var principal *Object
		attr, ref := "user_id", "user_id"
		if rng.IntN(5) == 0 || len(people) == 0 {
			principal, attr, ref = teams[rng.IntN(len(teams))], "team_id", "id"
		} else {
			principal = people[rng.IntN(len(people))]
		}
		if seenWM[[2]*Object{ws, principal}] {
			continue
		}
		seenWM[[2]*Object{ws, principal}] = true
		add(TypeWorkspaceMembership, fmt.Sprintf("wm_%04d", i),
			Attr{"workspace_id", refVal(ws, "id")},
			Attr{attr, refVal(principal, ref)},
			Attr{"role", strVal(roles[rng.IntN(len(roles))])},
		)
		i++
	}

	if len(teams)*len(people) < mix.TeamMemberships {
		return nil, fmt.Errorf("bench: %d objects: not enough teams and people for %d team memberships", n, mix.TeamMemberships)
	}
	seenTM := map[[2]*Object]bool{}
	for i := 0; i < mix.TeamMemberships; {
		team, person := teams[rng.IntN(len(teams))], people[rng.IntN(len(people))]
		if seenTM[[2]*Object{team, person}] {
			continue
		}
		seenTM[[2]*Object{team, person}] = true
		add(TypeTeamMembership, fmt.Sprintf("tm_%04d", i),
			Attr{"team_id", refVal(team, "id")},
			Attr{"user_id", refVal(person, "user_id")},
		)
		i++
	}

	// Credentials across all scopes: 2 in 10 personal, 5 workspace, 3 organization.
	types := []string{"slack_bot", "stripe", "openai_api", "github_app", "salesforce"}
	for i := 0; i < mix.Credentials; i++ {
		add(TypeCredential, fmt.Sprintf("cred_%04d", i),
			Attr{"workspace_id", refVal(workspaces[rng.IntN(len(workspaces))], "id")},
			Attr{"name", strVal(fmt.Sprintf("cred-%04d", i))},
			Attr{"type", strVal(types[i%len(types)])},
			Attr{"description", strVal(fmt.Sprintf("Credential %d", i))},
			Attr{"scope", strVal(credentialScope(i))},
			Attr{"data_wo", Value{Map: []Attr{{"api_key", strVal(fmt.Sprintf("bench-secret-%04d", i))}}}},
			Attr{"data_wo_version", numVal(1)},
		)
	}

	sp.pickChanges(rng)
	return sp, nil
}

func credentialScope(i int) string {
	switch i % 10 {
	case 0, 5:
		return "personal"
	case 1, 3, 6, 8, 9:
		return "workspace"
	}
	return "organization"
}

// ChangeFraction is the share of objects the changed configuration changes.
const ChangeFraction = 0.10

// pickChanges marks 10% of the objects as changed, among those with an attribute
// that changes in place (every type but the organization and team memberships).
// Credentials mostly change scope, in every direction.
func (sp *Spec) pickChanges(rng *rand.Rand) {
	var mutable []*Object
	for _, o := range sp.Objects {
		switch o.Type {
		case TypeWorkspace, TypeTeam, TypeOrganizationMembership, TypeWorkspaceMembership, TypeCredential:
			mutable = append(mutable, o)
		}
	}
	rng.Shuffle(len(mutable), func(i, j int) { mutable[i], mutable[j] = mutable[j], mutable[i] })
	k := min(len(mutable), int(math.Round(ChangeFraction*float64(sp.N))))
	credChanges := 0
	for _, o := range mutable[:k] {
		switch o.Type {
		case TypeWorkspace, TypeTeam:
			o.Changed = with(o.Attrs, "description", strVal(o.attr("description").Str+" (changed)"))
			o.ChangeKind = "description"
		case TypeOrganizationMembership:
			role := "admin"
			if o.attr("role").Str == "admin" {
				role = "member"
			}
			o.Changed = with(o.Attrs, "role", strVal(role))
			o.ChangeKind = "role"
		case TypeWorkspaceMembership:
			roles := map[string]string{"viewer": "editor", "editor": "admin", "admin": "owner", "owner": "viewer"}
			o.Changed = with(o.Attrs, "role", strVal(roles[o.attr("role").Str]))
			o.ChangeKind = "role"
		case TypeCredential:
			// Three in five change scope, one is rotated, one changes description.
			switch credChanges % 5 {
			case 0, 2, 4:
				from := o.attr("scope").Str
				to := map[string]string{"personal": "workspace", "workspace": "organization", "organization": "workspace"}[from]
				if from == "workspace" && credChanges%10 == 2 {
					to = "personal"
				}
				o.Changed = with(o.Attrs, "scope", strVal(to))
				o.ChangeKind = "scope " + from + " -> " + to
			case 1:
				o.Changed = with(o.Attrs, "data_wo_version", numVal(o.attr("data_wo_version").Num+1))
				o.Changed = with(o.Changed, "data_wo", Value{Map: []Attr{{"api_key", strVal(o.attr("data_wo").Map[0].Val.Str + "-rotated")}}})
				o.ChangeKind = "rotation"
			case 3:
				o.Changed = with(o.Attrs, "description", strVal(o.attr("description").Str+" (changed)"))
				o.ChangeKind = "description"
			}
			credChanges++
		}
	}
}

func (o *Object) attr(key string) Value {
	for _, a := range o.Attrs {
		if a.Key == key {
			return a.Val
		}
	}
	panic("bench: " + o.Label + " has no attribute " + key)
}

// with returns a copy of attrs with key set to v.
func with(attrs []Attr, key string, v Value) []Attr {
	out := make([]Attr, len(attrs))
	copy(out, attrs)
	for i := range out {
		if out[i].Key == key {
			out[i].Val = v
			return out
		}
	}
	panic("bench: no attribute " + key)
}

// Count returns how many objects have the type.
func (sp *Spec) Count(typ string) int {
	n := 0
	for _, o := range sp.Objects {
		if o.Type == typ {
			n++
		}
	}
	return n
}

// ChangedObjects returns the objects the changed configuration changes.
func (sp *Spec) ChangedObjects() []*Object {
	var out []*Object
	for _, o := range sp.Objects {
		if o.Changed != nil {
			out = append(out, o)
		}
	}
	return out
}

// Flero renders the tenancy configuration (changed: the changed configuration). The
// provider reads its endpoint and token from FLERO_ENDPOINT and FLERO_TOKEN.
func (sp *Spec) Flero(changed bool) []byte {
	var b bytes.Buffer
	b.WriteString("# Generated by flero-bench: " + sp.describe(changed) + ".\n\n")
	b.WriteString("terraform {\n  required_providers {\n    flero = {\n      source = \"flero/flero\"\n    }\n  }\n}\n\n")
	b.WriteString("provider \"flero\" {}\n")
	for _, o := range sp.Objects {
		attrs := o.Attrs
		if changed && o.Changed != nil {
			attrs = o.Changed
		}
		fmt.Fprintf(&b, "\nresource %q %q {\n", o.Type, o.Label)
		width := 0
		for _, a := range attrs {
			width = max(width, len(a.Key))
		}
		for _, a := range attrs {
			fmt.Fprintf(&b, "  %-*s = %s\n", width, a.Key, a.Val.hcl(""))
		}
		b.WriteString("}\n")
	}
	return b.Bytes()
}

// Floor renders the same objects as terraform_data resources: each object's
// attributes become its input, and references point at the same objects, so the
// dependency graph and the unknown values at plan time are the same as the tenancy
// configuration's. Terraform core runs it with no provider I/O.
func (sp *Spec) Floor(changed bool) []byte {
	return sp.data(changed, "terraform_data", "the terraform_data floor", "")
}

// ProtocolType is the resource type of the protocol floor: terraform_data
// reimplemented in a minimal framework provider (package floorprovider), whose
// address flero-bench overrides as it does flero/flero's.
const (
	ProtocolType     = "benchfloor_data"
	ProtocolProvider = "benchfloor"
	ProtocolSource   = "flero/benchfloor"
)

// Protocol renders the terraform_data floor with its resources served by the
// protocol floor provider: the same objects, attributes and references as Floor, as
// benchfloor_data resources. Terraform runs it through the plugin protocol and
// terraform-plugin-framework, with no I/O in the provider: what any framework
// provider costs.
func (sp *Spec) Protocol(changed bool) []byte {
	header := "\nterraform {\n  required_providers {\n    " + ProtocolProvider + " = {\n      source = " + quote(ProtocolSource) + "\n    }\n  }\n}\n"
	return sp.data(changed, ProtocolType, "the protocol floor", header)
}

// data renders the objects as resources of typ, a terraform_data-like type: each
// object's attributes become its input, and a reference becomes one to the other
// resource's id.
func (sp *Spec) data(changed bool, typ, what, header string) []byte {
	var b bytes.Buffer
	b.WriteString("# Generated by flero-bench: " + what + " of " + sp.describe(changed) + ".\n")
	b.WriteString(header)
	for _, o := range sp.Objects {
		attrs := o.Attrs
		if changed && o.Changed != nil {
			attrs = o.Changed
		}
		parts := make([]string, len(attrs))
		for i, a := range attrs {
			parts[i] = a.Key + " = " + a.Val.hcl(typ)
		}
		fmt.Fprintf(&b, "\nresource %q %q {\n  input = { %s }\n}\n", typ, o.Label, strings.Join(parts, ", "))
	}
	return b.Bytes()
}

func (sp *Spec) describe(changed bool) string {
	s := fmt.Sprintf("%d objects, seed %d", sp.N, sp.Seed)
	if changed {
		s += fmt.Sprintf(", with %d changed", len(sp.ChangedObjects()))
	}
	return s
}

// hcl renders the value; dataType, when not "", rewrites references to the resources
// of that terraform_data-like type.
func (v Value) hcl(dataType string) string {
	switch {
	case v.Ref != nil:
		if dataType != "" {
			return dataType + "." + v.Ref.Object.Label + ".id"
		}
		return v.Ref.Object.Type + "." + v.Ref.Object.Label + "." + v.Ref.Attr
	case v.Map != nil:
		parts := make([]string, len(v.Map))
		for i, a := range v.Map {
			parts[i] = a.Key + " = " + a.Val.hcl(dataType)
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case v.num:
		return fmt.Sprint(v.Num)
	}
	return quote(v.Str)
}

// quote renders an HCL string literal (the generator's strings are plain ASCII
// without template sequences, which quote refuses).
func quote(s string) string {
	if strings.Contains(s, "${") || strings.Contains(s, "%{") {
		panic("bench: template sequence in a generated string")
	}
	return fmt.Sprintf("%q", s)
}
