package serve

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestQuietLogsTerraformDrops(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		wantSDK string // "" = left unset
		wantPrv string
	}{
		{"terraform drops the logs", nil, "OFF", "OFF"},
		{"TF_LOG shows them", map[string]string{"TF_LOG": "DEBUG"}, "", ""},
		{"TF_LOG_PROVIDER shows them", map[string]string{"TF_LOG_PROVIDER": "TRACE"}, "", ""},
		{"explicit levels are kept", map[string]string{"TF_LOG_SDK": "DEBUG", "TF_LOG_PROVIDER_FLERO": "INFO"}, "DEBUG", "INFO"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_PROVIDER_FLERO"} {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			QuietLogsTerraformDrops("flero")
			if got := os.Getenv("TF_LOG_SDK"); got != tc.wantSDK {
				t.Errorf("TF_LOG_SDK = %q, want %q", got, tc.wantSDK)
			}
			if got := os.Getenv("TF_LOG_PROVIDER_FLERO"); got != tc.wantPrv {
				t.Errorf("TF_LOG_PROVIDER_FLERO = %q, want %q", got, tc.wantPrv)
			}
		})
	}
}

func TestProviderLogEnv(t *testing.T) {
	for typ, want := range map[string]string{
		"flero":      "TF_LOG_PROVIDER_FLERO",
		"benchfloor": "TF_LOG_PROVIDER_BENCHFLOOR",
		"my-thing":   "TF_LOG_PROVIDER_MY_THING",
	} {
		if got := ProviderLogEnv(typ); got != want {
			t.Errorf("ProviderLogEnv(%q) = %q, want %q", typ, got, want)
		}
	}
}

func TestSetGCPercent(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)

	t.Setenv("GOGC", "")
	os.Unsetenv("GOGC")
	SetGCPercent()
	if got := debug.SetGCPercent(100); got != GCPercent {
		t.Errorf("without GOGC the GC percent is %d, want %d", got, GCPercent)
	}

	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150) // what the runtime read from GOGC at start
	SetGCPercent()
	if got := debug.SetGCPercent(100); got != 150 {
		t.Errorf("with GOGC=150 the GC percent is %d, want it left at 150", got)
	}
}
