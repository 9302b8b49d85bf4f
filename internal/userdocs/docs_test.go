package userdocs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The generated docs (docs/, from templates/ and examples/ by make generate) keep the
// sections that answer the questions users ask first, so that a template edit cannot
// silently drop one.

var subcategoryRe = regexp.MustCompile(`(?m)^subcategory: "([^"]*)"$`)

// TestDocsPagesHaveTheirSubcategory: the registry groups pages by subcategory.
func TestDocsPagesHaveTheirSubcategory(t *testing.T) {
	want := map[string]string{
		"resources/organization.md":            "Organizations",
		"data-sources/organization.md":         "Organizations",
		"resources/workspace.md":               "Workspaces",
		"data-sources/workspace.md":            "Workspaces",
		"resources/team.md":                    "Teams & memberships",
		"resources/organization_membership.md": "Teams & memberships",
		"resources/team_membership.md":         "Teams & memberships",
		"resources/workspace_membership.md":    "Teams & memberships",
		"data-sources/team.md":                 "Teams & memberships",
		"data-sources/user.md":                 "Teams & memberships",
		"data-sources/current_user.md":         "Teams & memberships",
		"resources/credential.md":              "Credentials",
		"data-sources/credential.md":           "Credentials",
		"guides/reviewing-scope-changes.md":    "Credentials",
		"resources/api_key.md":                 "API keys",
		"ephemeral-resources/api_key.md":       "API keys",
	}
	pages, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*", "*.md"))
	if err != nil || len(pages) < len(want) {
		t.Fatalf("found %d pages under docs/ (%v), want at least %d", len(pages), err, len(want))
	}
	for _, p := range pages {
		rel, _ := filepath.Rel(filepath.Join(repoRoot, "docs"), p)
		rel = filepath.ToSlash(rel)
		m := subcategoryRe.FindStringSubmatch(readFile(t, filepath.Join("docs", rel)))
		switch {
		case m == nil || m[1] == "":
			t.Errorf("docs/%s has no subcategory: give its template one (templates/%s.tmpl)", rel, rel)
		case want[rel] != "" && m[1] != want[rel]:
			t.Errorf("docs/%s is in subcategory %q, want %q", rel, m[1], want[rel])
		}
		delete(want, rel)
	}
	for rel := range want {
		t.Errorf("docs/%s is missing", rel)
	}
}

// TestDocsAnswerTheQuestions: each page holds its added sections.
func TestDocsAnswerTheQuestions(t *testing.T) {
	for page, wants := range map[string][]string{
		"resources/credential.md": {
			"## Credential types and their keys",
			"no type is unknown to it",
			"| `salesforce` | `client_id`, `client_secret` |",
			"## Who owns, sees and manages a credential",
			"a `personal`\ncredential belongs to that user",
			"| `viewer` | yes | no |",
			"| `editor` | yes | no |",
			"| `admin` | yes | yes |",
			"| `owner` | yes | yes |",
			"import {\n  to = flero_credential.stripe\n  id = \"cred_3f9a2c41d7e85b06a1c4f932\"\n}",
		},
		"resources/api_key.md": {
			"## Where a key acts",
			"## The value lives in the state",
			"after an import, `value` is null",
		},
		"ephemeral-resources/api_key.md": {
			"## The key's life",
			"Nothing of it is written to the state or to a saved plan.",
			"token = ephemeral.flero_api_key.deploy.value",
		},
		"resources/workspace_membership.md": {
			"## What each role may do",
			"| `editor` | yes | yes | no | no |",
			"## A direct role and a team role",
			"the user acts with the **strongest** of them",
			"## Rights the token needs",
		},
		"resources/organization_membership.md": {
			"## Organization roles",
			"**The token needs** organization `admin`",
		},
		"resources/team_membership.md": {
			"## What a team membership gives, and the rights the token needs",
			"**The token needs** organization `admin`",
		},
		"guides/reviewing-scope-changes.md": {
			"# Reviewing scope changes in a plan",
			`~ scope           = "organization" -> "workspace"`,
			`Warning: Narrowing credential "salesforce-prod" from organization to workspace scope`,
			`Warning: Widening credential "stripe-live" from workspace to organization scope`,
			`workspace "growth", workflow "lead-routing" (3 uses)`,
		},
	} {
		doc := readFile(t, filepath.Join("docs", page))
		for _, want := range wants {
			if !strings.Contains(doc, want) {
				t.Errorf("docs/%s lacks %q", page, want)
			}
		}
	}
}

// TestDocsExampleIDsAreRealistic: ids in the docs look like the platform's (a prefix
// and 24 hex digits), so that a reader can tell an id from a name.
func TestDocsExampleIDsAreRealistic(t *testing.T) {
	id := regexp.MustCompile(`\b(cred|org|ws|team|usr)_([A-Za-z0-9]+)`)
	realistic := regexp.MustCompile(`^[0-9a-f]{24}$`)
	var pages []string
	for _, glob := range []string{"docs/*.md", "docs/*/*.md"} {
		m, _ := filepath.Glob(filepath.Join(repoRoot, glob))
		pages = append(pages, m...)
	}
	seen := 0
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range id.FindAllStringSubmatch(string(b), -1) {
			if m[2] == "id" || m[2] == "ids" || m[2] == "name" { // an attribute name such as team_id
				continue
			}
			if m[2] == "membership" && strings.Contains(string(b), m[0]+".md") { // a link to team_membership.md
				continue
			}
			seen++
			if !realistic.MatchString(m[2]) {
				t.Errorf("%s: example id %q is not a prefix and 24 hex digits", filepath.Base(p), m[0])
			}
		}
	}
	if seen < 10 {
		t.Errorf("only %d example ids in docs/: the check looks at the wrong files", seen)
	}
}
