package bench

import (
	"net/http"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/server"
)

func TestServerCountsAnswersByStatus(t *testing.T) {
	// One request a minute after the burst of 2: the third answer is a 429.
	srv, err := StartServer(t.TempDir(), server.RateLimit{RPS: 1.0 / 60, Burst: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	get := func(path string) int {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+srv.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i, want := range []int{http.StatusOK, http.StatusOK, http.StatusTooManyRequests} {
		if got := get("/v1/me"); got != want {
			t.Fatalf("request %d: %d, want %d", i+1, got, want)
		}
	}
	st := srv.Stats()
	if st.Requests != 3 || st.Accepted != 2 || st.Status429 != 1 || st.Status5xx != 0 {
		t.Errorf("stats %+v, want 3 requests, 2 accepted, one 429, no 5xx", st)
	}
	if n := st.ByRoute["GET /v1/me"]; n != 3 {
		t.Errorf("GET /v1/me counted %d times, want 3", n)
	}
	var perSecond int64
	for _, n := range st.PerSecond {
		perSecond += n
	}
	if perSecond != 2 || st.First.IsZero() || st.Last.Before(st.First) {
		t.Errorf("per second %v (want 2 accepted in all), first %v, last %v", st.PerSecond, st.First, st.Last)
	}
	srv.Reset()
	if st := srv.Stats(); st.Requests != 0 || len(st.ByRoute) != 0 || len(st.PerSecond) != 0 {
		t.Errorf("after Reset: %+v", st)
	}
}
