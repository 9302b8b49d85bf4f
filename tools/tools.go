//go:build generate

// Package tools pins the documentation generator in its own module, so that its
// dependencies (a pre-release terraform-json among them) never enter the provider's
// build. `make generate` runs the directives below from this directory.
package tools

import (
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

// Generate the provider's documentation from its schema, the templates/ and the examples/.
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name flero

// Check the generated documentation against the registry's rules.
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs validate --provider-dir .. --provider-name flero
