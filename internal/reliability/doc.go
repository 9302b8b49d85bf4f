// Package reliability holds the end-to-end suites of issue 8: real Terraform (a
// subprocess, with a dev_overrides CLI configuration pointing at a provider binary the
// tests build once) against the reference server, under injected faults, a killed
// server, concurrent changes, drift, bad input, and with secrets and authorization
// checked from the outside. The package has no code of its own: everything is in its
// tests. RELIABILITY.md at the repository root gives the scenarios, the commands and
// the figures.
//
// The suites run with TF_ACC=1 (make test, make testacc); the long variants (200
// objects, the whole acceptance suite under TF_LOG=TRACE, 60 s fuzzing) run with
// FLERO_LONG=1 (make test-long).
package reliability
