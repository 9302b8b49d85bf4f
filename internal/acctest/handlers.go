package acctest

import (
	"context"
	"errors"

	"github.com/flero/terraform-provider-flero/internal/client"
)

// The handlers of the provider's resource types.
func init() {
	Register("flero_organization", Handler{
		Get: func(ctx context.Context, c *client.Client, a map[string]string) error {
			_, err := c.Organizations.Get(ctx, a["id"])
			return err
		},
		Delete: func(ctx context.Context, c *client.Client, a map[string]string) error {
			return c.Organizations.Delete(ctx, a["id"], client.WriteOptions{})
		},
	})
	Register("flero_workspace", Handler{
		Get: func(ctx context.Context, c *client.Client, a map[string]string) error {
			_, err := c.Workspaces.Get(ctx, a["id"])
			return err
		},
		Delete: func(ctx context.Context, c *client.Client, a map[string]string) error {
			return c.Workspaces.Delete(ctx, a["id"], client.WriteOptions{})
		},
	})
	Register("flero_team", Handler{
		Get: func(ctx context.Context, c *client.Client, a map[string]string) error {
			_, err := c.Teams.Get(ctx, a["id"])
			return err
		},
		Delete: func(ctx context.Context, c *client.Client, a map[string]string) error {
			return c.Teams.Delete(ctx, a["id"], client.WriteOptions{})
		},
	})
	Register("flero_organization_membership", Handler{
		Get: func(ctx context.Context, c *client.Client, a map[string]string) error {
			_, err := c.OrganizationMemberships.Get(ctx, a["organization_id"], a["user_id"])
			return err
		},
		Delete: func(ctx context.Context, c *client.Client, a map[string]string) error {
			return c.OrganizationMemberships.Delete(ctx, a["organization_id"], a["user_id"], client.WriteOptions{})
		},
	})
	Register("flero_team_membership", Handler{
		Get: func(ctx context.Context, c *client.Client, a map[string]string) error {
			_, err := c.TeamMemberships.Get(ctx, a["team_id"], a["user_id"])
			return err
		},
		Delete: func(ctx context.Context, c *client.Client, a map[string]string) error {
			return c.TeamMemberships.Delete(ctx, a["team_id"], a["user_id"], client.WriteOptions{})
		},
	})
	Register("flero_workspace_membership", Handler{
		Get: func(ctx context.Context, c *client.Client, a map[string]string) error {
			typ, id, err := principal(a)
			if err != nil {
				return err
			}
			_, err = c.WorkspaceMemberships.Get(ctx, a["workspace_id"], typ, id)
			return err
		},
		Delete: func(ctx context.Context, c *client.Client, a map[string]string) error {
			typ, id, err := principal(a)
			if err != nil {
				return err
			}
			return c.WorkspaceMemberships.Delete(ctx, a["workspace_id"], typ, id, client.WriteOptions{})
		},
	})
	Register("flero_credential", Handler{
		Get: func(ctx context.Context, c *client.Client, a map[string]string) error {
			_, err := c.Credentials.Get(ctx, a["id"])
			return err
		},
		Delete: func(ctx context.Context, c *client.Client, a map[string]string) error {
			return c.Credentials.Delete(ctx, a["id"], client.WriteOptions{})
		},
	})
}

func principal(a map[string]string) (typ, id string, err error) {
	switch {
	case a["user_id"] != "":
		return client.PrincipalUser, a["user_id"], nil
	case a["team_id"] != "":
		return client.PrincipalTeam, a["team_id"], nil
	}
	return "", "", errors.New("workspace membership with neither user_id nor team_id in state")
}
