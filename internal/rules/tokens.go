package rules

import (
	"fmt"
	"time"
)

// Rule 13: tokens. A user's tokens have a name, a creation time, an optional expiry
// and a last use; they can be listed and revoked (by their user, or by a platform
// admin); an expired or revoked token is refused at once. A token is shown once and
// never stored in a recoverable form.

// MinTokenLength is the shortest bootstrap token accepted on the server's command line:
// 32 characters, the length of 128 random bits written as hex.
const MinTokenLength = 32

// CodeTokenExpired refuses a token whose expiry has passed (HTTP 401).
const CodeTokenExpired = "token_expired"

// ValidateTokenSecret checks a token chosen by a person (the reference server's
// bootstrap token): at least MinTokenLength characters, printable ASCII without
// spaces. It never echoes the token.
func ValidateTokenSecret(field, v string) *Violation {
	if len(v) < MinTokenLength {
		return invalid(field, "%s is %d characters long; a token must be at least %d characters (for example 32 random hex characters: `openssl rand -hex 16`), "+
			"or leave it out and the server generates one.", field, len(v), MinTokenLength)
	}
	for _, r := range v {
		if r <= ' ' || r > '~' {
			return invalid(field, "%s must be printable ASCII without spaces.", field)
		}
	}
	return nil
}

// ValidateTokenExpiry checks a new token's expiry: in the future (nil: never expires).
func ValidateTokenExpiry(field string, expiresAt *time.Time, now time.Time) *Violation {
	if expiresAt != nil && !expiresAt.After(now) {
		return invalid(field, "%s must be in the future, got %s.", field, expiresAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// TokenExpired reports whether a token that expires at expiresAt (zero: never) is
// expired at now.
func TokenExpired(expiresAt, now time.Time) bool {
	return !expiresAt.IsZero() && !now.Before(expiresAt)
}

// TokenExpiredMessage is the refusal of an expired token.
func TokenExpiredMessage(expiresAt time.Time) string {
	return fmt.Sprintf("The token expired at %s: ask a platform admin for a new one.", expiresAt.UTC().Format(time.RFC3339))
}

// CanManageToken decides who lists and revokes a user's tokens: the user, or a
// platform admin. Others get not-found.
func CanManageToken(callerID string, platformAdmin bool, ownerID string) bool {
	return platformAdmin || (callerID != "" && callerID == ownerID)
}
