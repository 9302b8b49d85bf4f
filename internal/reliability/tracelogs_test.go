package reliability

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"
	"testing"
)

// Secret shapes of the test suites: API tokens (store.NewToken: "flr_" and 43 base64url
// characters), the credential values of the provider's acceptance tests
// (randomSecret: "s3cr3t-" and 32 hex digits) and of these suites ("sekret-" and 24,
// see tenancy.secret).
var secretShapes = map[string]*regexp.Regexp{
	"an API token":                         regexp.MustCompile(`flr_[A-Za-z0-9_-]{43}`),
	"an acceptance-test credential value":  regexp.MustCompile(`s3cr3t-[0-9a-f]{32}`),
	"a reliability-suite credential value": regexp.MustCompile(`sekret-[0-9a-f]{24}`),
}

// configQuoteRe is a line of Terraform's quote of the configuration's source in a
// diagnostic ("  |   23:   data_wo = { … }" in the harness's log of an error).
var configQuoteRe = regexp.MustCompile(`^\s*\|\s+\d+:\s`)

// TestTraceLogsHoldNoSecrets scans the logs of a whole acceptance run made with
// TF_LOG=TRACE (make test-long writes them to FLERO_TRACE_LOG_DIR) for anything shaped
// like a token or a test credential value. The tests mint every token and secret at
// random, so the shapes are what can be searched for; a hit is reported by its shape
// and place, never printed.
//
// Two kinds of lines are quotes of the tests' own configurations, not output of the
// provider, the client or Terraform's handling of values, and are counted apart: the
// test harness's log of each step's configuration ("Setting Terraform configuration",
// where the acceptance tests write the provider's token and some secrets literally)
// and Terraform's source snippet in an error it prints. TestSecretsStayOut, whose
// configuration takes its secrets from the environment, shows that nothing else
// remains when the configuration itself holds none.
func TestTraceLogsHoldNoSecrets(t *testing.T) {
	dir := os.Getenv("FLERO_TRACE_LOG_DIR")
	if dir == "" {
		t.Skip("set FLERO_TRACE_LOG_DIR to the logs of a TF_LOG=TRACE acceptance run (make test-long does)")
	}
	fig := newFigures(t, "trace_logs")
	files := filesUnder(t, dir)
	if len(files) == 0 {
		t.Fatalf("no log in %s", dir)
	}
	var total, lines int64
	hits, quoted := map[string]int{}, map[string]int{}
	quoteLines := 0
	providerEntries, requestBodies := 0, 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		n := 0
		inConfig := false
		for sc.Scan() {
			line := sc.Bytes()
			n++
			total += int64(len(line)) + 1
			// The harness's multi-line configuration field: "  | …" lines after it.
			if inConfig && bytes.HasPrefix(line, []byte("  |")) || configQuoteRe.Match(line) {
				quoteLines++
				for label, re := range secretShapes {
					quoted[label] += len(re.FindAll(line, -1))
				}
				continue
			}
			inConfig = bytes.Contains(line, []byte("test_terraform_configuration="))
			if bytes.Contains(line, []byte("component=flero-client")) {
				providerEntries++
				if bytes.Contains(line, []byte("request body")) {
					requestBodies++
				}
			}
			for label, re := range secretShapes {
				if re.Match(line) {
					if hits[label] < 5 {
						t.Errorf("%s line %d holds %s", f, n, label)
					}
					hits[label]++
				}
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		fh.Close()
		lines += int64(n)
	}
	// The logs must be the provider's trace, or finding nothing proves nothing.
	if providerEntries == 0 || requestBodies == 0 {
		t.Errorf("the logs hold %d client entries and %d request bodies: not a TF_LOG=TRACE run of the provider", providerEntries, requestBodies)
	}
	fig.Add("files", len(files))
	fig.Add("bytes", total)
	fig.Add("lines", lines)
	fig.Add("client_entries", providerEntries)
	fig.Add("request_bodies", requestBodies)
	fig.Add("hits", fmt.Sprint(hits))
	fig.Add("configuration_quote_lines", quoteLines)
	fig.Add("secret_shapes_in_configuration_quotes", fmt.Sprint(quoted))
}
