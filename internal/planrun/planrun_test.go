package planrun

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

type fake struct {
	orgCalls, accessCalls, memberCalls atomic.Int64
	orgErr                             error
	release                            chan struct{} // when set, fetches wait for it
}

func (f *fake) fetchers() Fetchers {
	return Fetchers{
		Me: func(context.Context) (*api.Me, error) { return &api.Me{User: api.User{ID: "usr_me"}}, nil },
		Access: func(_ context.Context, org, ws string) (*api.Access, error) {
			f.accessCalls.Add(1)
			return &api.Access{UserID: "usr_me", OrganizationID: org, WorkspaceID: ws, OrgRole: "admin"}, nil
		},
		Organization: func(ctx context.Context, id string) (*api.Organization, error) {
			f.orgCalls.Add(1)
			if f.release != nil {
				select {
				case <-f.release:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}
			if f.orgErr != nil {
				return nil, f.orgErr
			}
			return &api.Organization{ID: id, Name: "acme", Plan: "pro"}, nil
		},
		OrganizationMembership: func(_ context.Context, org, user string) (*api.OrganizationMembership, error) {
			f.memberCalls.Add(1)
			if user == "usr_stranger" {
				return nil, &client.APIError{Status: 404, Code: api.CodeNotFound}
			}
			return &api.OrganizationMembership{OrganizationID: org, UserID: user}, nil
		},
	}
}

func TestConcurrentCallersShareOneFetch(t *testing.T) {
	f := &fake{release: make(chan struct{})}
	c := NewWithFetchers(f.fetchers())

	const callers = 50
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			org, err := c.Organization(context.Background(), "org_1")
			if err == nil && org.Name != "acme" {
				err = errors.New("wrong organization")
			}
			errs <- err
		}()
	}
	time.Sleep(20 * time.Millisecond) // let the callers pile up on the one fetch
	close(f.release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := f.orgCalls.Load(); n != 1 {
		t.Fatalf("%d callers made %d fetches, want 1", callers, n)
	}

	// A different key is another fetch; the same key afterwards is none.
	if _, err := c.Organization(context.Background(), "org_2"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Organization(context.Background(), "org_1"); err != nil {
		t.Fatal(err)
	}
	if n := f.orgCalls.Load(); n != 2 {
		t.Fatalf("fetches = %d, want 2", n)
	}
}

func TestNotFoundIsRememberedOtherErrorsAreNot(t *testing.T) {
	f := &fake{orgErr: &client.APIError{Status: 404, Code: api.CodeNotFound}}
	c := NewWithFetchers(f.fetchers())
	for i := 0; i < 3; i++ {
		if _, err := c.Organization(context.Background(), "org_x"); !errors.Is(err, client.ErrNotFound) {
			t.Fatalf("err = %v, want not found", err)
		}
	}
	if n := f.orgCalls.Load(); n != 1 {
		t.Fatalf("not-found fetched %d times, want 1", n)
	}

	f2 := &fake{orgErr: &client.APIError{Status: 503, Code: api.CodeUnavailable}}
	c2 := NewWithFetchers(f2.fetchers())
	for i := 0; i < 3; i++ {
		if _, err := c2.Organization(context.Background(), "org_x"); err == nil {
			t.Fatal("want an error")
		}
	}
	if n := f2.orgCalls.Load(); n != 3 {
		t.Fatalf("a transient error was cached: %d fetches, want 3", n)
	}
}

func TestCancelledWaiterDoesNotPoisonTheCache(t *testing.T) {
	f := &fake{release: make(chan struct{})}
	c := NewWithFetchers(f.fetchers())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := c.Organization(ctx, "org_1"); done <- err }()
	time.Sleep(10 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	close(f.release)
	if _, err := c.Organization(context.Background(), "org_1"); err != nil {
		t.Fatalf("after a cancelled fetch: %v", err)
	}
}

func TestAccessActorAndForget(t *testing.T) {
	f := &fake{}
	c := NewWithFetchers(f.fetchers())
	ctx := context.Background()
	a, err := c.Actor(ctx, "org_1", "ws_1")
	if err != nil || a.OrgRole != "admin" || a.UserID != "usr_me" {
		t.Fatalf("actor = %+v, %v", a, err)
	}
	_, _ = c.Access(ctx, "org_1", "ws_1")
	_, _ = c.Access(ctx, "org_1", "")
	if n := f.accessCalls.Load(); n != 2 {
		t.Fatalf("access fetches = %d, want 2 (one per organization/workspace pair)", n)
	}
	c.forgetOrganization("org_1")
	_, _ = c.Access(ctx, "org_1", "ws_1")
	if n := f.accessCalls.Load(); n != 3 {
		t.Fatalf("access fetches after forgetOrganization = %d, want 3", n)
	}
}

func TestMembershipChangesForgetOnlyWhatTheyChange(t *testing.T) {
	f := &fake{}
	c := NewWithFetchers(f.fetchers())
	c.SetMe(&api.Me{User: api.User{ID: "usr_me"}})
	ctx := context.Background()
	access := func(want int64, what string) {
		t.Helper()
		_, _ = c.Access(ctx, "org_1", "ws_1")
		_, _ = c.Access(ctx, "org_1", "")
		if n := f.accessCalls.Load(); n != want {
			t.Fatalf("%s: access fetches = %d, want %d", what, n, want)
		}
	}
	access(2, "first reads")

	// Another user's memberships do not change the token's access.
	c.forgetAccessOfUser("usr_other")
	c.forgetOrganizationMembership("org_1", "usr_other")
	c.recordOrganizationMembership(&api.OrganizationMembership{OrganizationID: "org_1", UserID: "usr_new"})
	access(2, "after other users' membership changes")

	// A membership the provider created answers the membership check without a request.
	if ok, err := c.IsOrganizationMember(ctx, "org_1", "usr_new"); !ok || err != nil {
		t.Fatalf("recorded member: %v %v", ok, err)
	}
	if n := f.memberCalls.Load(); n != 0 {
		t.Fatalf("membership fetches = %d, want 0", n)
	}

	// The token's own memberships drop its access.
	c.forgetAccessOfUser("usr_me")
	access(4, "after the token's own team or workspace membership")
	c.forgetOrganizationMembership("org_1", "usr_me")
	access(6, "after the token's own organization membership")
	c.recordOrganizationMembership(&api.OrganizationMembership{OrganizationID: "org_1", UserID: "usr_me"})
	access(8, "after the token's own new organization membership")

	// While the token's user is unknown, any membership may be its own.
	u := NewWithFetchers(f.fetchers())
	_, _ = u.Access(ctx, "org_1", "")
	u.forgetAccessOfUser("usr_other")
	_, _ = u.Access(ctx, "org_1", "")
	if n := f.accessCalls.Load(); n != 10 {
		t.Fatalf("with the token's user unknown: access fetches = %d, want 10", n)
	}
}

// A team's workspace membership changes the token's access only when the token's user
// is in the team: whether it is, is read once per team per run, and again after a
// change of the token's own memberships.
func TestTeamWorkspaceMembershipForgetsOnlyForTheTokensTeams(t *testing.T) {
	f := &fake{}
	var teamReads atomic.Int64
	teamErr := error(nil)
	fs := f.fetchers()
	fs.TeamMembership = func(_ context.Context, teamID, userID string) (*api.TeamMembership, error) {
		teamReads.Add(1)
		if userID != "usr_me" {
			t.Errorf("team membership read for %s, want the token's user", userID)
		}
		if teamErr != nil {
			return nil, teamErr
		}
		if teamID != "team_mine" {
			return nil, &client.APIError{Status: 404, Code: api.CodeNotFound}
		}
		return &api.TeamMembership{TeamID: teamID, UserID: userID}, nil
	}
	c := NewWithFetchers(fs)
	ctx := context.Background()
	check := func(wantAccess, wantTeamReads int64, what string) {
		t.Helper()
		_, _ = c.Access(ctx, "org_1", "ws_1")
		_, _ = c.Access(ctx, "org_1", "")
		if n := f.accessCalls.Load(); n != wantAccess {
			t.Fatalf("%s: access fetches = %d, want %d", what, n, wantAccess)
		}
		if n := teamReads.Load(); n != wantTeamReads {
			t.Fatalf("%s: team membership reads = %d, want %d", what, n, wantTeamReads)
		}
	}

	// The token's user not known yet: any team may be its own, nothing is read.
	check(2, 0, "first reads")
	c.forgetTeamAccess(ctx, "team_other")
	check(4, 0, "token's user unknown")

	c.SetMe(&api.Me{User: api.User{ID: "usr_me"}})
	c.forgetTeamAccess(ctx, "team_other")
	check(4, 1, "a team the token's user is not in")
	c.forgetTeamAccess(ctx, "team_other")
	check(4, 1, "the same team again: no second read")
	c.forgetTeamAccess(ctx, "team_mine")
	check(6, 2, "the token's user's team")

	// The token's user joins or leaves teams: what it knew of its teams is dropped.
	c.forgetAccessOfUser("usr_me")
	check(8, 2, "the token's own membership changed")
	c.forgetTeamAccess(ctx, "team_other")
	check(8, 3, "team read again after the token's own change")
	c.forgetAccessOfUser("usr_other")
	c.forgetTeamAccess(ctx, "team_other")
	check(8, 3, "another user's change keeps what it knew")

	// A read that fails counts as "may be in the team", and is not kept.
	teamErr = &client.APIError{Status: 503, Code: "unavailable"}
	c.forgetTeamAccess(ctx, "team_new")
	check(10, 4, "team read failed")
	teamErr = nil
	c.forgetTeamAccess(ctx, "team_new")
	check(10, 5, "team read again after a failure, not in it")

	// With no access answer held there is nothing to forget, and nothing is read.
	e := NewWithFetchers(fs)
	e.SetMe(&api.Me{User: api.User{ID: "usr_me"}})
	reads := teamReads.Load()
	e.forgetTeamAccess(ctx, "team_x")
	if n := teamReads.Load(); n != reads {
		t.Fatalf("team membership reads with nothing to forget: %d, want %d", n, reads)
	}
	// Any answer held, of any workspace: the team's role may change the organization's
	// "in any workspace" flag in every answer.
	_, _ = e.Access(ctx, "org_1", "ws_2")
	e.forgetTeamAccess(ctx, "team_mine")
	if n := teamReads.Load(); n != reads+1 {
		t.Fatalf("team membership reads = %d, want %d", n, reads+1)
	}
	if _, held := e.access.peek([2]string{"org_1", "ws_2"}); held {
		t.Fatal("another workspace's answer was kept after the token's team got a role")
	}
}

func TestIsOrganizationMember(t *testing.T) {
	f := &fake{}
	c := NewWithFetchers(f.fetchers())
	ctx := context.Background()
	if ok, err := c.IsOrganizationMember(ctx, "org_1", "usr_a"); !ok || err != nil {
		t.Fatalf("member: %v %v", ok, err)
	}
	if ok, err := c.IsOrganizationMember(ctx, "org_1", "usr_stranger"); ok || err != nil {
		t.Fatalf("stranger: %v %v", ok, err)
	}
	_, _ = c.IsOrganizationMember(ctx, "org_1", "usr_stranger")
	if n := f.memberCalls.Load(); n != 2 {
		t.Fatalf("membership fetches = %d, want 2", n)
	}
}

func TestMeIsSetOnce(t *testing.T) {
	c := NewWithFetchers(Fetchers{Me: func(context.Context) (*api.Me, error) { return nil, errors.New("must not be called") }})
	c.SetMe(&api.Me{User: api.User{ID: "usr_1"}})
	me, err := c.Me(context.Background())
	if err != nil || me.ID != "usr_1" {
		t.Fatalf("me = %+v, %v", me, err)
	}
}

func TestOrganizationAfterApply(t *testing.T) {
	f := &fake{}
	c := NewWithFetchers(f.fetchers())
	ctx := context.Background()

	org, unknown, err := c.OrganizationAfterApply(ctx, "org_1")
	if err != nil || org.Plan != "pro" || org.SSOEnabled || unknown {
		t.Fatalf("unplanned: %+v %v %v", org, unknown, err)
	}

	sso := true
	c.RecordPlannedOrganization("org_1", PlannedOrganization{Plan: "enterprise", SSOEnabled: &sso})
	org, unknown, err = c.OrganizationAfterApply(ctx, "org_1")
	if err != nil || org.Plan != "enterprise" || !org.SSOEnabled || unknown {
		t.Fatalf("planned: %+v %v %v", org, unknown, err)
	}
	// The cached organization itself is untouched.
	cur, _ := c.Organization(ctx, "org_1")
	if cur.Plan != "pro" {
		t.Fatalf("the planned values leaked into the cache: %+v", cur)
	}

	c.RecordPlannedOrganization("org_1", PlannedOrganization{})
	if _, unknown, _ = c.OrganizationAfterApply(ctx, "org_1"); !unknown {
		t.Fatal("a plan unknown at plan time must be reported")
	}
}

func TestConcurrentMixedUse(t *testing.T) {
	// Run with -race: readers, writers and forgetters at once.
	f := &fake{}
	c := NewWithFetchers(f.fetchers())
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(3)
		go func() { defer wg.Done(); _, _ = c.Organization(ctx, "org_1"); _, _ = c.Access(ctx, "org_1", "") }()
		go func() { defer wg.Done(); c.RecordPlannedOrganization("org_1", PlannedOrganization{Plan: "pro"}) }()
		go func() {
			defer wg.Done()
			c.forgetOrganization("org_1")
			_, _, _ = c.OrganizationAfterApply(ctx, "org_1")
		}()
	}
	wg.Wait()
}

func TestRecordedWorkspacesAndTeamsNeedNoRequest(t *testing.T) {
	c := NewWithFetchers(Fetchers{
		Workspace: func(context.Context, string) (*api.Workspace, error) { return nil, errors.New("workspace fetched") },
		Team:      func(context.Context, string) (*api.Team, error) { return nil, errors.New("team fetched") },
	})
	ctx := context.Background()
	c.recordWorkspace(&api.Workspace{ID: "ws_1", OrganizationID: "org_1", Name: "prod"})
	c.recordTeam(&api.Team{ID: "team_1", OrganizationID: "org_1", Name: "ops"})
	if ws, err := c.Workspace(ctx, "ws_1"); err != nil || ws.Name != "prod" {
		t.Errorf("recorded workspace: %+v, %v", ws, err)
	}
	if tm, err := c.Team(ctx, "team_1"); err != nil || tm.Name != "ops" {
		t.Errorf("recorded team: %+v, %v", tm, err)
	}
	// A workspace forgotten after a change is fetched again.
	c.forgetWorkspace("ws_1")
	if _, err := c.Workspace(ctx, "ws_1"); err == nil {
		t.Error("a forgotten workspace was answered from the cache")
	}
}
