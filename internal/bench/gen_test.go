package bench

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestMixFor(t *testing.T) {
	shares := []struct {
		name  string
		share float64
		get   func(Mix) int
	}{
		{"workspaces", 0.05, func(m Mix) int { return m.Workspaces }},
		{"teams", 0.02, func(m Mix) int { return m.Teams }},
		{"organization memberships", 0.30, func(m Mix) int { return m.OrganizationMemberships }},
		{"workspace memberships", 0.30, func(m Mix) int { return m.WorkspaceMemberships }},
		{"team memberships", 0.10, func(m Mix) int { return m.TeamMemberships }},
		{"credentials", 0.23, func(m Mix) int { return m.Credentials }},
	}
	for _, n := range []int{100, 500, 1000, 2345} {
		m, err := MixFor(n)
		if err != nil {
			t.Fatalf("MixFor(%d): %v", n, err)
		}
		if m.Total() != n {
			t.Errorf("MixFor(%d) totals %d objects", n, m.Total())
		}
		if m.Organizations != 1 {
			t.Errorf("MixFor(%d) has %d organizations, want 1", n, m.Organizations)
		}
		for _, s := range shares {
			got := float64(s.get(m)) / float64(n)
			// Each share is rounded to a whole object; the organization comes out of
			// the credentials' share.
			if math.Abs(got-s.share) > 1.5/float64(n)+0.001 {
				t.Errorf("MixFor(%d): %s are %.3f of the objects, want %.2f", n, s.name, got, s.share)
			}
		}
	}
	if _, err := MixFor(MinObjects - 1); err == nil {
		t.Errorf("MixFor(%d) accepted too few objects", MinObjects-1)
	}
	if _, err := MixFor(MinObjects); err != nil {
		t.Errorf("MixFor(%d): %v", MinObjects, err)
	}
}

func TestGenerateMatchesMix(t *testing.T) {
	for _, n := range []int{MinObjects, 100, 1000} {
		sp, err := Generate(n, 1)
		if err != nil {
			t.Fatalf("Generate(%d): %v", n, err)
		}
		if len(sp.Objects) != n {
			t.Fatalf("Generate(%d) made %d objects", n, len(sp.Objects))
		}
		want := map[string]int{
			TypeOrganization:           sp.Mix.Organizations,
			TypeWorkspace:              sp.Mix.Workspaces,
			TypeTeam:                   sp.Mix.Teams,
			TypeOrganizationMembership: sp.Mix.OrganizationMemberships,
			TypeWorkspaceMembership:    sp.Mix.WorkspaceMemberships,
			TypeTeamMembership:         sp.Mix.TeamMemberships,
			TypeCredential:             sp.Mix.Credentials,
		}
		for typ, w := range want {
			if got := sp.Count(typ); got != w {
				t.Errorf("Generate(%d): %d %s, want %d", n, got, typ, w)
			}
		}

		labels := map[string]bool{}
		pairs := map[string]bool{}
		scopes := map[string]int{}
		for i, o := range sp.Objects {
			if labels[o.Label] {
				t.Errorf("Generate(%d): label %s twice", n, o.Label)
			}
			labels[o.Label] = true
			key := o.Type
			for _, a := range o.Attrs {
				if a.Val.Ref == nil {
					continue
				}
				// Objects come in dependency order: a reference points backwards.
				if !labels[a.Val.Ref.Object.Label] {
					t.Errorf("Generate(%d): object %d (%s) refers to %s, which comes later", n, i, o.Label, a.Val.Ref.Object.Label)
				}
				key += "|" + a.Key + "=" + a.Val.Ref.Object.Label
			}
			switch o.Type {
			case TypeWorkspaceMembership, TypeTeamMembership:
				if pairs[key] {
					t.Errorf("Generate(%d): %s repeats a membership (%s)", n, o.Label, key)
				}
				pairs[key] = true
			case TypeCredential:
				scopes[o.attr("scope").Str]++
				if o.attr("data_wo_version").Num != 1 || len(o.attr("data_wo").Map) == 0 {
					t.Errorf("Generate(%d): %s does not set its secret with data_wo and data_wo_version", n, o.Label)
				}
			case TypeOrganization:
				if o.attr("plan").Str != "enterprise" {
					t.Errorf("Generate(%d): the organization is on %q, want enterprise", n, o.attr("plan").Str)
				}
			}
		}
		if n >= 100 {
			for _, s := range []string{"personal", "workspace", "organization"} {
				if scopes[s] == 0 {
					t.Errorf("Generate(%d): no credential of scope %s (%v)", n, s, scopes)
				}
			}
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, _ := Generate(500, 7)
	b, _ := Generate(500, 7)
	c, _ := Generate(500, 8)
	for _, changed := range []bool{false, true} {
		if !bytes.Equal(a.Flero(changed), b.Flero(changed)) || !bytes.Equal(a.Floor(changed), b.Floor(changed)) ||
			!bytes.Equal(a.Protocol(changed), b.Protocol(changed)) {
			t.Errorf("the same seed gave two configurations (changed=%v)", changed)
		}
		if bytes.Equal(a.Flero(changed), c.Flero(changed)) || bytes.Equal(a.Protocol(changed), c.Protocol(changed)) {
			t.Errorf("seeds 7 and 8 gave the same configuration (changed=%v)", changed)
		}
	}
}

func TestChangeSet(t *testing.T) {
	for _, n := range []int{100, 1000} {
		sp, _ := Generate(n, 1)
		changed := sp.ChangedObjects()
		if want := int(math.Round(ChangeFraction * float64(n))); len(changed) != want {
			t.Errorf("Generate(%d) changes %d objects, want %d", n, len(changed), want)
		}
		kinds := map[string]int{}
		for _, o := range changed {
			kinds[o.ChangeKind]++
			if o.Type == TypeOrganization || o.Type == TypeTeamMembership {
				t.Errorf("%s (%s) is changed; it has no attribute that changes in place", o.Label, o.Type)
			}
			diff := 0
			for i := range o.Attrs {
				if o.Attrs[i].Val.hcl("") != o.Changed[i].Val.hcl("") {
					diff++
				}
			}
			if diff == 0 {
				t.Errorf("%s is in the change set (%s) but changes nothing", o.Label, o.ChangeKind)
			}
		}
		scopeChanges := 0
		for k, c := range kinds {
			if strings.HasPrefix(k, "scope ") {
				scopeChanges += c
			}
		}
		if scopeChanges == 0 || kinds["rotation"] == 0 {
			t.Errorf("Generate(%d): the change set has no scope change or no rotation: %v", n, kinds)
		}
		if n >= 1000 {
			for _, k := range []string{"scope personal -> workspace", "scope workspace -> organization", "scope organization -> workspace", "scope workspace -> personal"} {
				if kinds[k] == 0 {
					t.Errorf("Generate(%d): no %q in the change set: %v", n, k, kinds)
				}
			}
		}

		// The changed configuration differs from the first in exactly the changed
		// objects, in both renderings.
		for _, render := range []func(bool) []byte{sp.Flero, sp.Floor, sp.Protocol} {
			before, after := blocks(render(false)), blocks(render(true))
			if len(before) != len(after) {
				t.Fatalf("the changed configuration has %d blocks, the first %d", len(after), len(before))
			}
			diff := 0
			for i := range before {
				if before[i] != after[i] {
					diff++
				}
			}
			if diff != len(changed) {
				t.Errorf("Generate(%d): %d blocks differ after the change, want %d", n, diff, len(changed))
			}
		}
	}
}

// TestProtocolIsTheFloor checks that the protocol floor is the terraform_data floor
// served by the benchfloor provider: the same N resources, each with the same input
// and the same references, only the resource type and the provider requirement
// differing.
func TestProtocolIsTheFloor(t *testing.T) {
	for _, n := range []int{MinObjects, 100, 1000} {
		sp, err := Generate(n, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, changed := range []bool{false, true} {
			floor, protocol := string(sp.Floor(changed)), string(sp.Protocol(changed))
			if got := strings.Count(protocol, "\nresource \""+ProtocolType+"\" "); got != n {
				t.Errorf("N=%d changed=%v: %d %s resources, want %d", n, changed, got, ProtocolType, n)
			}
			if got := strings.Count(protocol, "\nresource "); got != n {
				t.Errorf("N=%d changed=%v: %d resources in all, want %d", n, changed, got, n)
			}
			if strings.Contains(protocol, "terraform_data") {
				t.Errorf("N=%d changed=%v: the protocol floor mentions terraform_data", n, changed)
			}
			if !strings.Contains(protocol, "source = \""+ProtocolSource+"\"") {
				t.Errorf("N=%d changed=%v: the protocol floor does not require %s", n, changed, ProtocolSource)
			}
			refs := strings.Count(floor, "terraform_data.")
			if refs == 0 || strings.Count(protocol, ProtocolType+".") != refs {
				t.Errorf("N=%d changed=%v: %d references in the floor, %d in the protocol floor",
					n, changed, refs, strings.Count(protocol, ProtocolType+"."))
			}
			fb, pb := blocks([]byte(floor)), blocks([]byte(protocol))
			if len(fb) != n || len(pb) != n {
				t.Fatalf("N=%d changed=%v: %d floor blocks, %d protocol floor blocks", n, changed, len(fb), len(pb))
			}
			for i := range fb {
				if want := strings.ReplaceAll(fb[i], "terraform_data", ProtocolType); pb[i] != want {
					t.Fatalf("N=%d changed=%v: block %d is\n%s\nwant\n%s", n, changed, i, pb[i], want)
				}
			}
		}
	}
}

func blocks(src []byte) []string {
	parts := strings.Split(string(src), "\nresource ")
	return parts[1:] // the header differs on purpose
}

// TestRenderedHCLIsValid runs terraform fmt -check on every rendering: it fails on
// a syntax error and on anything not in canonical format.
func TestRenderedHCLIsValid(t *testing.T) {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Skip("terraform is not on PATH")
		}
	}
	sp, err := Generate(100, 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"flero.tf":            sp.Flero(false),
		"flero_changed.tf":    sp.Flero(true),
		"floor.tf":            sp.Floor(false),
		"floor_changed.tf":    sp.Floor(true),
		"protocol.tf":         sp.Protocol(false),
		"protocol_changed.tf": sp.Protocol(true),
		"peer.tf":             sp.Peer(false),
		"peer_changed.tf":     sp.Peer(true),
		"concurrent.tf":       ConcurrentConfig(sp, 2),
	}
	for name, src := range files {
		sub := filepath.Join(dir, strings.TrimSuffix(name, ".tf"))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, "main.tf"), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(tf, "fmt", "-check", "-diff", "-recursive", "-no-color", dir)
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("terraform fmt -check: %v\n%s", err, out)
	}

	// And a broken file is caught, so the check above can fail.
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "main.tf"), []byte("resource \"x\" \"y\" {\n  a = \n"), 0o644)
	cmd = exec.Command(tf, "fmt", "-check", "-no-color", bad)
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	if err := cmd.Run(); err == nil {
		t.Errorf("terraform fmt -check accepted a broken file")
	}
}
