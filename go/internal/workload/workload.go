// Package workload is the benchmark workload of ../shared/BENCH-WORKLOAD.md: its keys, values
// and lookup order, byte for byte those of every other row, for the Go row's program and for
// the package's testing.B benchmarks.
package workload

import "encoding/binary"

// ValueLen is the length of every value.
const ValueLen = 100

// Batch is how many entries insert_batched commits at a time.
const Batch = 10_000

// FloorCallsPerEntry is how many calls call_floor makes per entry: N calls would take too
// little time to time well.
const FloorCallsPerEntry = 10

// Splitmix64 is the workload's pseudo-random function.
func Splitmix64(x uint64) uint64 {
	z := x + 0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Key writes key i into key: big-endian Splitmix64(i), then big-endian i.
func Key(i uint64, key *[16]byte) {
	binary.BigEndian.PutUint64(key[:8], Splitmix64(i))
	binary.BigEndian.PutUint64(key[8:], i)
}

// pattern holds every value: byte k is k & 0xff, and value i is the ValueLen bytes from
// i & 0xff, so that its byte j is (i + j) & 0xff and no row spends time building values.
var pattern = func() []byte {
	p := make([]byte, 256+ValueLen)
	for k := range p {
		p[k] = byte(k)
	}
	return p
}()

// Value returns value i (shared memory: do not modify it).
func Value(i uint64) []byte {
	start := i & 0xff
	return pattern[start : start+ValueLen : start+ValueLen]
}

// Lookup is the entry that the q-th lookup of the get phases asks for.
func Lookup(n, q uint64) uint64 {
	return Splitmix64(n+q) % n
}
