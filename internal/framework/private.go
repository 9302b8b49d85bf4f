package framework

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/flero/terraform-provider-flero/internal/client"
)

// The object's version (its ETag) is kept in the resource's private state: set by
// Create, Read and Update, sent back as If-Match by Update and Delete. An object changed
// by someone else after the plan read it then fails with a precondition error
// (AddAPIError words it as a conflict naming the object) instead of being overwritten.

const privateVersionKey = "version"

// PrivateGetter is the read side of private state (every request's Private).
type PrivateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// PrivateSetter is the write side of private state (every response's Private).
type PrivateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// SaveVersion records the object's version.
func SaveVersion(ctx context.Context, p PrivateSetter, version int64) diag.Diagnostics {
	return p.SetKey(ctx, privateVersionKey, []byte(strconv.FormatInt(version, 10)))
}

// WriteOptions are the options of an Update or Delete: If-Match with the version the
// plan was made against, or unconditional when none is recorded (state written by an
// older provider).
func WriteOptions(ctx context.Context, p PrivateGetter) (client.WriteOptions, diag.Diagnostics) {
	raw, diags := p.GetKey(ctx, privateVersionKey)
	if diags.HasError() || len(raw) == 0 {
		return client.WriteOptions{}, diags
	}
	v, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		diags.AddWarning("Ignoring an unreadable object version",
			fmt.Sprintf("The private state holds version %q, which is not a number; the change is sent without If-Match.", raw))
		return client.WriteOptions{}, diags
	}
	return client.WriteOptions{IfMatch: v}, diags
}

// PlanDeleteVersion is called by ModifyPlan when the plan destroys the object: it
// records the object's current version in the planned private state, so that Delete's
// If-Match refuses only a change made after this plan. Terraform plans the destroy of
// an object removed from the configuration before it refreshes it, so without this the
// plan would carry the last apply's version, and any change made outside Terraform
// since then would fail every apply with a conflict. read returns the current version;
// a not-found leaves the private state alone (Delete treats not-found as done), any
// other failure is an error of the plan.
func PlanDeleteVersion(ctx context.Context, diags *diag.Diagnostics, p PrivateSetter, object string, read func(context.Context) (int64, error)) {
	if p == nil || read == nil {
		return
	}
	v, err := read(ctx)
	if client.IsNotFound(err) {
		return
	}
	if err != nil {
		AddAPIError(diags, "read", object, err)
		return
	}
	diags.Append(SaveVersion(ctx, p, v)...)
}

// SetState ends a Create, Read or Update: the object as the platform answered it
// becomes the resource's state, and its version is kept for the next If-Match.
func SetState(ctx context.Context, diags *diag.Diagnostics, state *tfsdk.State, p PrivateSetter, model any, version int64) {
	diags.Append(state.Set(ctx, model)...)
	diags.Append(SaveVersion(ctx, p, version)...)
}

// ReadState ends a Read with what the lookup returned: an object not found is removed
// from the state (the plan creates it again), another failure is an error naming the
// object, and an object found becomes the state through model, called only then.
func ReadState(ctx context.Context, resp *resource.ReadResponse, object string, err error, model func() (any, int64)) {
	if IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		AddAPIError(&resp.Diagnostics, "read", object, err)
		return
	}
	m, version := model()
	SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, m, version)
}

// AddDeleteError ends a Delete: an object already gone counts as deleted, any other
// failure is an error naming the object.
func AddDeleteError(diags *diag.Diagnostics, object string, err error) {
	if err != nil && !IsNotFound(err) {
		AddAPIError(diags, "delete", object, err)
	}
}
