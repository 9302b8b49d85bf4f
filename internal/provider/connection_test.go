package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestConfigValuePrecedence: the block wins, then the embedding program's default
// (WithDefaultConnection), then the environment; main.go sets no default, so for the
// released provider it is the block, then the environment, as before.
func TestConfigValuePrecedence(t *testing.T) {
	t.Setenv(EnvEndpoint, " https://env.example ")
	for _, c := range []struct {
		name               string
		block              types.String
		embedded           string
		wantValue, wantSrc string
	}{
		{"block", types.StringValue("https://block.example"), "https://embedded.example", "https://block.example", ""},
		{"embedded", types.StringNull(), "https://embedded.example", "https://embedded.example", "the provider's embedded default"},
		{"empty block, embedded", types.StringValue(""), "https://embedded.example", "https://embedded.example", "the provider's embedded default"},
		{"environment", types.StringNull(), "", "https://env.example", EnvEndpoint},
		{"blank block is not unset", types.StringValue("  "), "https://embedded.example", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, from := configValue(c.block, c.embedded, EnvEndpoint)
			if v != c.wantValue || from != c.wantSrc {
				t.Fatalf("configValue = %q from %q, want %q from %q", v, from, c.wantValue, c.wantSrc)
			}
		})
	}
}

func TestWithDefaultConnection(t *testing.T) {
	p := New("test", WithDefaultConnection("https://embedded.example", "tok"))().(*fleroProvider)
	if p.defaultEndpoint != "https://embedded.example" || p.defaultToken != "tok" {
		t.Fatalf("defaults not set: %q", p.defaultEndpoint)
	}
	if q := New("test")().(*fleroProvider); q.defaultEndpoint != "" || q.defaultToken != "" {
		t.Fatal("a provider built without options has defaults")
	}
}
