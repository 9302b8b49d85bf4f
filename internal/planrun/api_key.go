package planrun

import (
	"errors"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// OutOfReachError is a not-found look-up made with a Flero API key (rule 14): the
// object may exist, out of the key's reach. It unwraps to the not-found error.
type OutOfReachError struct {
	Err  error
	Note string // rules.APIKeyReachNote: where the key acts
}

func (e *OutOfReachError) Error() string { return e.Err.Error() + " " + e.Note }
func (e *OutOfReachError) Unwrap() error { return e.Err }

// outOfReach wraps a not-found answer to a token that is an API key.
func (c *Cache) outOfReach(err error) error {
	if !errors.Is(err, client.ErrNotFound) {
		return err
	}
	me := c.knownMe() // read when the provider was configured: no request here
	if me == nil || me.APIKey == nil {
		return err
	}
	return &OutOfReachError{Err: err, Note: rules.APIKeyReachNote(rules.APIKeyReach{OrganizationID: me.APIKey.OrganizationID, WorkspaceID: me.APIKey.WorkspaceID})}
}
