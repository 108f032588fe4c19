//go:build lode_faults && lode_verify

package main

import lode "github.com/lode-db/lode/go"

// Written against the API the store's mend of issue 16 adds (LodeDatabase_verify, in Go
// Database.Verify): until it exists, building with lode_verify fails.
func init() {
	verify = (*lode.Database).Verify
}
