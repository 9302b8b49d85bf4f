//go:build !flero_profile

package serve

// StartCPUProfile does nothing without the flero_profile build tag (see profile.go).
func StartCPUProfile() (stop func()) { return func() {} }
