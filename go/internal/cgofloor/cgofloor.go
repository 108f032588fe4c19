// Package cgofloor is a bare cgo call, to an empty C function: the floor that the cost of the
// binding's cheapest call is compared with.
package cgofloor

/*
static int lode_cgo_floor(void) { return 1; }
*/
import "C"

// Call makes one cgo call that does nothing, and returns 1.
func Call() int {
	return int(C.lode_cgo_floor())
}
