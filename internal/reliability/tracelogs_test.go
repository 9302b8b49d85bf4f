package reliability

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
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

// traceScan is the scan of TF_LOG=TRACE logs for secret shapes. Every line counts,
// quotes of the tests' configurations included: the acceptance tests write neither
// tokens nor credential values in their configurations (acctest gives the provider its
// endpoint and token in-process; values come from variables), so a secret there is a
// leak like any other. A hit is reported by its shape and place, never printed.
type traceScan struct {
	files         int
	bytes, lines  int64
	clientEntries int // the provider's client log entries
	requestBodies int // of which request bodies (masked)
	// Lines that quote a configuration: the harness's log of each step's
	// configuration ("test_terraform_configuration=" then "  | …" lines) and
	// Terraform's source snippet under a diagnostic. Scanned like the others; counted
	// to show the scan saw them.
	configQuoteLines int
	configurations   int // "test_terraform_configuration=" fields
	hits             map[string]int
	places           []string // the first hits, "file:line: shape"
}

const maxPlaces = 20

func newTraceScan() *traceScan { return &traceScan{hits: map[string]int{}} }

// scan reads one log.
func (s *traceScan) scan(name string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	s.files++
	n := 0
	inConfig := false
	for sc.Scan() {
		line := sc.Bytes()
		n++
		s.bytes += int64(len(line)) + 1
		switch {
		case inConfig && bytes.HasPrefix(line, []byte("  |")), configQuoteRe.Match(line):
			s.configQuoteLines++
		default:
			inConfig = bytes.Contains(line, []byte("test_terraform_configuration="))
			if inConfig {
				s.configurations++
			}
			if bytes.Contains(line, []byte("component=flero-client")) {
				s.clientEntries++
				if bytes.Contains(line, []byte("request body")) {
					s.requestBodies++
				}
			}
		}
		for label, re := range secretShapes {
			if k := len(re.FindAllIndex(line, -1)); k > 0 {
				s.hits[label] += k
				if len(s.places) < maxPlaces {
					s.places = append(s.places, fmt.Sprintf("%s:%d: %s", name, n, label))
				}
			}
		}
	}
	s.lines += int64(n)
	return sc.Err()
}

func (s *traceScan) totalHits() int {
	total := 0
	for _, k := range s.hits {
		total += k
	}
	return total
}

// hitsString is the hits by shape, in a stable order.
func (s *traceScan) hitsString() string {
	var parts []string
	for label := range secretShapes {
		parts = append(parts, fmt.Sprintf("%s: %d", label, s.hits[label]))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

// TestTraceLogsHoldNoSecrets scans the logs of a whole acceptance run made with
// TF_LOG=TRACE (make test-long writes them to FLERO_TRACE_LOG_DIR) for anything shaped
// like a token or a test credential value, on every line. The tests mint every token
// and secret at random, so the shapes are what can be searched for.
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
	s := newTraceScan()
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		err = s.scan(f, fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	fig.Add("files", s.files)
	fig.Add("bytes", s.bytes)
	fig.Add("lines", s.lines)
	fig.Add("client_entries", s.clientEntries)
	fig.Add("request_bodies", s.requestBodies)
	fig.Add("configurations", s.configurations)
	fig.Add("configuration_quote_lines", s.configQuoteLines)
	fig.Add("hits", s.totalHits())
	// The logs must be the provider's trace and the harness's, or finding nothing
	// proves nothing.
	if s.clientEntries == 0 || s.requestBodies == 0 || s.configurations == 0 || s.configQuoteLines == 0 {
		t.Errorf("the logs hold %d client entries, %d request bodies, %d configurations and %d configuration lines: not a TF_LOG=TRACE acceptance run of the provider",
			s.clientEntries, s.requestBodies, s.configurations, s.configQuoteLines)
	}
	if n := s.totalHits(); n > 0 {
		t.Errorf("%d secret-shaped strings in the logs (%s); first places:\n  %s", n, s.hitsString(), strings.Join(s.places, "\n  "))
	}
}

// TestTraceScanFindsSecrets: the scanner of TestTraceLogsHoldNoSecrets finds every
// shape wherever it is — in a provider entry, in the harness's log of a step's
// configuration, in Terraform's quote of the source under an error — and counts the
// lines it needs to see to prove it scanned a real run.
func TestTraceScanFindsSecrets(t *testing.T) {
	token := "flr_" + strings.Repeat("Ab3_-", 8) + "xyz"
	value := "s3cr3t-" + strings.Repeat("0123456789abcdef", 2)
	suite := "sekret-" + strings.Repeat("abcdef", 4)
	for label, v := range map[string]string{"an API token": token, "an acceptance-test credential value": value, "a reliability-suite credential value": suite} {
		if !secretShapes[label].MatchString(v) {
			t.Fatalf("the synthetic %s does not have the shape", label)
		}
	}
	clean := `2026-01-02T10:00:00.000Z [TRACE] provider.terraform-provider-flero: request body: @module=flero component=flero-client body="{\"name\":\"acme\"}"
2026-01-02T10:00:00.001Z [DEBUG] provider.terraform-provider-flero: response: @module=flero component=flero-client status=201
2026-01-02T10:00:00.002Z [TRACE] sdk.helper_resource: Setting Terraform configuration: test_terraform_configuration=
  | 
  | provider "flero" {
  |   max_retries = 2
  | }
  | resource "flero_credential" "x" {
  |   data_wo = { token = var.secret }
  | }
  test_name=TestAccCredential_writeOnly
2026-01-02T10:00:01.000Z [ERROR] sdk.helper_resource: Error running plan:
  |   12:   data_wo = { token = var.secret }
  |     ├────────────────
  |     │ var.secret has a sensitive value
`
	s := newTraceScan()
	if err := s.scan("clean.log", strings.NewReader(clean)); err != nil {
		t.Fatal(err)
	}
	if s.totalHits() != 0 || s.clientEntries != 2 || s.requestBodies != 1 || s.configurations != 1 || s.configQuoteLines != 8 || s.lines != 15 {
		t.Fatalf("clean log: hits %d, client entries %d, request bodies %d, configurations %d, configuration lines %d, lines %d",
			s.totalHits(), s.clientEntries, s.requestBodies, s.configurations, s.configQuoteLines, s.lines)
	}

	// A token in a configuration's provider block, a value in a quote under an
	// error, one in a provider entry.
	leaky := strings.NewReplacer(
		"  |   max_retries = 2", "  |   token = \""+token+"\"",
		"  |   12:   data_wo = { token = var.secret }", "  |   12:   data_wo = { token = \""+value+"\" }",
		`{\"name\":\"acme\"}`, `{\"data\":{\"k\":\"`+suite+`\"}}`,
	).Replace(clean)
	s = newTraceScan()
	if err := s.scan("leaky.log", strings.NewReader(leaky)); err != nil {
		t.Fatal(err)
	}
	if s.totalHits() != 3 || s.hits["an API token"] != 1 || s.hits["an acceptance-test credential value"] != 1 || s.hits["a reliability-suite credential value"] != 1 {
		t.Fatalf("leaky log: %s", s.hitsString())
	}
	want := []string{"leaky.log:1: a reliability-suite credential value", "leaky.log:6: an API token", "leaky.log:13: an acceptance-test credential value"}
	if strings.Join(s.places, ",") != strings.Join(want, ",") {
		t.Fatalf("places %q, want %q", s.places, want)
	}
	for _, p := range s.places {
		if strings.Contains(p, token) || strings.Contains(p, value) || strings.Contains(p, suite) {
			t.Fatal("a place repeats the secret")
		}
	}
}
