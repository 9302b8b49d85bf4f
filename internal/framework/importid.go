package framework

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ParseImportID splits a composite import id such as "org_1/alice@example.com" along
// the format ("<organization_id>/<email>"): as many "/"-separated parts as the format
// has, none empty; the last part keeps any further "/". The error repeats the expected
// format.
func ParseImportID(id, format string) ([]string, error) {
	n := strings.Count(format, "/") + 1
	parts := strings.SplitN(id, "/", n)
	if len(parts) != n {
		return nil, importIDError(id, format)
	}
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			return nil, importIDError(id, format)
		}
	}
	return parts, nil
}

func importIDError(id, format string) error {
	return fmt.Errorf("expected an import id of the form %s, got %q", format, id)
}

// WithImportByPrefixedID is WithImportByID for objects whose ids carry a prefix, such
// as a credential's cred_…: an import id that cannot be such an id (a name, say) is
// refused at once with what an id looks like and where to find one, instead of a
// not-found from the API.
type WithImportByPrefixedID struct {
	Kind    string // "credential"
	Prefix  string // "cred_"
	Example string // a realistic id: "cred_3f9a2c41d7e85b06a1c4f932"
	Where   string // where a user finds the id
}

// ImportState checks the id's form, then sets the id attribute; Read fills in the rest.
func (w WithImportByPrefixedID) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if problem := w.IDProblem(req.ID); problem != "" {
		resp.Diagnostics.AddError("Invalid import id", problem)
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// IDProblem explains why id cannot be one of this kind's (empty, without the prefix,
// or holding a space or a "/"), or returns "".
func (w WithImportByPrefixedID) IDProblem(id string) string {
	rest, ok := strings.CutPrefix(id, w.Prefix)
	if ok && rest != "" && !strings.ContainsAny(rest, "/ \t\r\n") {
		return ""
	}
	return fmt.Sprintf("Import a %s by its id: %q followed by 24 hexadecimal characters, such as %s (got %q). %s.",
		w.Kind, w.Prefix, w.Example, id, w.Where)
}
