package api

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// documentedRoutes scans openapi.yaml's paths section: a path is a two-space
// indented key starting with "/", an operation a four-space indented HTTP method.
func documentedRoutes(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	inPaths, path := false, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "paths:":
			inPaths = true
		case inPaths && line != "" && !strings.HasPrefix(line, " "):
			inPaths = false
		case inPaths && strings.HasPrefix(line, "  /") && strings.HasSuffix(line, ":"):
			path = strings.TrimSuffix(strings.TrimSpace(line), ":")
		case inPaths && path != "" && strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "     "):
			m := strings.TrimSuffix(strings.TrimSpace(line), ":")
			switch m {
			case "get", "post", "put", "patch", "delete":
				out[strings.ToUpper(m)+" "+path] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := documentedRoutes(t)
	routes := map[string]bool{}
	for _, r := range Routes {
		key := r.Method + " " + r.Pattern
		routes[key] = true
		if !doc[key] {
			t.Errorf("openapi.yaml does not document %s", key)
		}
	}
	for key := range doc {
		if !routes[key] {
			t.Errorf("openapi.yaml documents %s, which is not in api.Routes", key)
		}
	}
}
