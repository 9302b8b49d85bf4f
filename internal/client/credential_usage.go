package client

import (
	"context"
	"net/url"
	"strconv"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// UsageByRun returns the credential's uses aggregated by workspace, workflow, run and
// user over the last sinceDays days (0: the server's default, 30).
func (s *CredentialsService) UsageByRun(ctx context.Context, id string, sinceDays int) (*api.CredentialUsageList, error) {
	q := url.Values{"by_run": {"true"}}
	if sinceDays > 0 {
		q.Set("since_days", strconv.Itoa(sinceDays))
	}
	return get[api.CredentialUsageList](ctx, s.c, pathf(routeCredentialUsage, id), q)
}
