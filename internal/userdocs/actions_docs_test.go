package userdocs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestActionDocs: tfplugindocs does not render actions, so their pages are written by
// hand; each exists in docs/actions and names every attribute of its action.
func TestActionDocs(t *testing.T) {
	for name, attrs := range map[string][]string{
		"credential_test":   {"credential_id", "action_trigger", "after_update", "-invoke=action.flero_credential_test"},
		"invitation_resend": {"organization_id", "email", "-invoke=action.flero_invitation_resend"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", "docs", "actions", name+".md"))
		if err != nil {
			t.Errorf("no page for action flero_%s: %v", name, err)
			continue
		}
		for _, a := range attrs {
			if !strings.Contains(string(b), a) {
				t.Errorf("docs/actions/%s.md does not mention %s", name, a)
			}
		}
	}
}
