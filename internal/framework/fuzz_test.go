package framework

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz target of the composite import ids. `go test` runs the seed corpus as an
// ordinary test; make test-long fuzzes it for 60 s:
//
//	go test -run '^$' -fuzz '^FuzzParseImportID$' -fuzztime 60s ./internal/framework

// importFormats are the formats the provider's resources use, and edge shapes.
var importFormats = []string{
	"<organization_id>/<email>",
	"<team_id>/<user_id>",
	"<workspace_id>/<user|team>/<id>",
	"<id>",
	"<a>/<b>/<c>/<d>",
}

// FuzzParseImportID: for any id, ParseImportID either returns exactly as many parts as
// the format, none blank, that join back into the id (so nothing is lost or invented),
// or an error that repeats the expected format and quotes the id. An id is refused
// exactly when it has too few parts or a blank one.
func FuzzParseImportID(f *testing.F) {
	for i, id := range []string{
		"org_1/alice@example.com", "org_1/a/b@example.com", "ws_1/user/usr_2", "ws_1/team/team_3",
		"team_1/usr_2", "", "/", "//", "org_1/", "/x", " /x", "x/ ", "a/b/c/d/e", "\x00/\xff", "ws_1/\t/usr_2",
	} {
		f.Add(id, uint8(i))
	}
	f.Fuzz(func(t *testing.T, id string, which uint8) {
		format := importFormats[int(which)%len(importFormats)]
		n := strings.Count(format, "/") + 1
		parts, err := ParseImportID(id, format)

		all := strings.SplitN(id, "/", n)
		blank := false
		for _, p := range all {
			blank = blank || strings.TrimSpace(p) == ""
		}
		wantErr := len(all) != n || blank

		if err != nil {
			if !wantErr {
				t.Fatalf("ParseImportID(%q, %q) refused a valid id: %v", id, format, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, format) || !strings.Contains(msg, strconv.Quote(id)) {
				t.Fatalf("error %q does not repeat the format and the id", msg)
			}
			if utf8.ValidString(id) && !utf8.ValidString(msg) {
				t.Fatalf("error %q is not valid UTF-8", msg)
			}
			return
		}
		if wantErr {
			t.Fatalf("ParseImportID(%q, %q) = %q, want an error", id, format, parts)
		}
		if len(parts) != n {
			t.Fatalf("ParseImportID(%q, %q) = %d parts, want %d", id, format, len(parts), n)
		}
		for _, p := range parts {
			if strings.TrimSpace(p) == "" {
				t.Fatalf("ParseImportID(%q, %q) returned a blank part: %q", id, format, parts)
			}
		}
		if strings.Join(parts, "/") != id {
			t.Fatalf("ParseImportID(%q, %q) = %q: does not join back into the id", id, format, parts)
		}
	})
}
