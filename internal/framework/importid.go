package framework

import (
	"fmt"
	"strings"
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
