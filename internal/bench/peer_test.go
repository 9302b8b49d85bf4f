package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPeerIsTheFloorAsTimeStatic: the real peer's configuration holds the same N
// objects as time_static resources, each with the floor's attributes as triggers
// (every value a string, the nested secret flattened) and the same references.
func TestPeerIsTheFloorAsTimeStatic(t *testing.T) {
	for _, n := range []int{MinObjects, 100} {
		sp, err := Generate(n, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, changed := range []bool{false, true} {
			floor, peer := string(sp.Floor(changed)), string(sp.Peer(changed))
			if got := strings.Count(peer, "\nresource \""+PeerType+"\" "); got != n {
				t.Errorf("N=%d changed=%v: %d %s resources, want %d", n, changed, got, PeerType, n)
			}
			if !strings.Contains(peer, "source = \""+PeerSource+"\"") {
				t.Errorf("N=%d changed=%v: the peer does not require %s", n, changed, PeerSource)
			}
			if strings.Contains(peer, "terraform_data") || strings.Contains(peer, "input =") {
				t.Errorf("N=%d changed=%v: the peer is not written in time_static's terms", n, changed)
			}
			refs := strings.Count(floor, "terraform_data.")
			if refs == 0 || strings.Count(peer, PeerType+".") != refs {
				t.Errorf("N=%d changed=%v: %d references in the floor, %d in the peer", n, changed, refs, strings.Count(peer, PeerType+"."))
			}
			// No number and no nested map: triggers is a map of strings.
			if strings.Contains(peer, "data_wo = {") || strings.Contains(peer, "data_wo_version = 1") {
				t.Errorf("N=%d changed=%v: a trigger is not a string:\n%s", n, changed, peer)
			}
			if !strings.Contains(peer, `data_wo_api_key = "bench-secret-0000"`) || !strings.Contains(peer, `data_wo_version = "1"`) {
				t.Errorf("N=%d changed=%v: the credential's attributes are missing from its triggers:\n%s", n, changed, peer)
			}
		}
		if string(sp.Peer(false)) == string(sp.Peer(true)) {
			t.Errorf("N=%d: the changed peer configuration changes nothing", n)
		}
	}
}

// TestCLIConfigOverridesThePeer: the peer is served through the same dev_overrides
// as flero, and nothing else is installable.
func TestCLIConfigOverridesThePeer(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rc")
	if err := writeCLIConfig(p, "/dev/x"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	for _, want := range []string{`"flero/flero" = "/dev/x"`, `"` + ProtocolSource + `" = "/dev/x"`, `"hashicorp/time" = "/dev/x"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the CLI configuration lacks %s:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "direct {") || strings.Contains(string(b), "network_mirror") {
		t.Errorf("the CLI configuration allows an installation:\n%s", b)
	}
}

// TestConcurrentConfigHasItsOwnOrganization: each run's configuration names its own
// organization and is otherwise the same.
func TestConcurrentConfigHasItsOwnOrganization(t *testing.T) {
	sp, err := Generate(MinObjects, 1)
	if err != nil {
		t.Fatal(err)
	}
	one, two := string(ConcurrentConfig(sp, 1)), string(ConcurrentConfig(sp, 2))
	if !strings.Contains(one, `"bench-20-run1"`) || !strings.Contains(two, `"bench-20-run2"`) {
		t.Fatalf("the runs' organizations are not their own:\n%s\n%s", one, two)
	}
	if strings.ReplaceAll(one, "bench-20-run1", "X") != strings.ReplaceAll(two, "bench-20-run2", "X") {
		t.Errorf("the runs' configurations differ beyond the organization's name")
	}
	if !strings.Contains(string(sp.Flero(false)), `"bench-20"`) {
		t.Errorf("ConcurrentConfig changed the spec it was given")
	}
}
