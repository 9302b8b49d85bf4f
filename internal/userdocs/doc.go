// Package userdocs holds the tests of what users read first (tests only): the README's
// "Use a local build" recipe runs as written, its HCL never hard-codes an endpoint, and
// the generated docs/ keep the sections that answer the questions users ask.
package userdocs
