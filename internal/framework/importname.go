package framework

import (
	"fmt"
	"net/url"
	"strings"
)

// Import ids name an object by its id or by the human names on the way to it
// ("acme/payments/slack-bot"): "/"-separated segments, each percent-decoded. A name
// holding a "/" writes it %2F, and a "%" is written %25; any other character may be
// written as it is or percent-encoded ("+" as + or %2B). Keywords such as "team" in
// "acme/payments/team/sre" are matched before decoding, so a workspace named "team"
// can be written %74eam where it would be read as the keyword.

// EscapeImportSegment is the escaping of one name in an import id: "%" and "/"
// percent-encoded, everything else as it is.
func EscapeImportSegment(name string) string {
	return strings.NewReplacer("%", "%25", "/", "%2F").Replace(name)
}

// ImportSegment is one "/"-separated part of an import id.
type ImportSegment struct {
	Raw   string // as written
	Value string // percent-decoded
}

// Is reports whether the segment is the keyword kw as written (not decoded).
func (s ImportSegment) Is(kw string) bool { return s.Raw == kw }

// ImportForm is one accepted form of a resource's import id, with an example.
type ImportForm struct {
	Format  string // "<organization>/<workspace_name>"
	Example string // "acme/payments"
}

// ImportForms are every form a resource's import id accepts.
type ImportForms []ImportForm

// Split splits id into its decoded segments; an empty segment or a bad escape is an
// error showing every accepted form.
func (f ImportForms) Split(what, id string) ([]ImportSegment, error) {
	if strings.TrimSpace(id) == "" {
		return nil, f.Error(what, id, "it is empty")
	}
	raw := strings.Split(id, "/")
	segs := make([]ImportSegment, len(raw))
	for i, r := range raw {
		v, err := url.PathUnescape(r)
		if err != nil {
			return nil, f.Error(what, id, fmt.Sprintf("part %d (%q) is not valid percent-encoding: write %% as %%25", i+1, r))
		}
		if strings.TrimSpace(v) == "" {
			return nil, f.Error(what, id, fmt.Sprintf("part %d is empty", i+1))
		}
		segs[i] = ImportSegment{Raw: r, Value: v}
	}
	return segs, nil
}

// Error is the error of a malformed import id: why, and every accepted form with an
// example.
func (f ImportForms) Error(what, id, why string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "The import id %q is not a valid %s import id: %s.\n\nImport a %s by one of:\n", id, what, why, what)
	width := 0
	for _, form := range f {
		width = max(width, len(form.Format))
	}
	for _, form := range f {
		fmt.Fprintf(&b, "  %-*s  for example %s\n", width, form.Format, form.Example)
	}
	b.WriteString("\n<organization> and <workspace> may be an id or a name (a workspace by name is <organization>/<workspace_name>). " +
		`Write a "/" in a name as %2F and a "%" as %25 (percent-encoding); "+" may be written as it is.`)
	return fmt.Errorf("%s", b.String())
}

// LooksLikeID reports whether s has the form of an id with this prefix ("org" for
// org_…). A name may have that form too: callers that can, fall back to the name.
func LooksLikeID(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix+"_")
	return ok && rest != "" && !strings.ContainsAny(rest, " /@")
}
