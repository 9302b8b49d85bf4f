// Command rsswrap is flero-bench's provider wrapper: flero-bench builds it into the
// dev_overrides directory as terraform-provider-flero, where it starts the real
// provider and records its peak RSS (see package rsswrap).
package main

import (
	"os"

	"github.com/flero/terraform-provider-flero/internal/bench/rsswrap"
)

func main() { os.Exit(rsswrap.Main()) }
