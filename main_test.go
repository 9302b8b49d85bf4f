package main

import (
	"os"
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
			quietLogsTerraformDrops()
			if got := os.Getenv("TF_LOG_SDK"); got != tc.wantSDK {
				t.Errorf("TF_LOG_SDK = %q, want %q", got, tc.wantSDK)
			}
			if got := os.Getenv("TF_LOG_PROVIDER_FLERO"); got != tc.wantPrv {
				t.Errorf("TF_LOG_PROVIDER_FLERO = %q, want %q", got, tc.wantPrv)
			}
		})
	}
}
