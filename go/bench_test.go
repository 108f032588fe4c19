// Benchmarks of the workload's phases (BENCH-WORKLOAD.md) as testing.B benchmarks, and of the
// cheapest call against a bare cgo call. `cargo tools bench go` runs the whole workload instead
// (go/internal/cmd/bench), to compare with the other languages in one table.
package lode_test

import (
	"bytes"
	"testing"

	lode "github.com/lode-db/lode/go"
	"github.com/lode-db/lode/go/internal/cgofloor"
	"github.com/lode-db/lode/go/internal/workload"
)

// benchEntries is the size of the table the read benchmarks use.
const benchEntries = 100_000

func loadedDB(b *testing.B) *lode.Database {
	b.Helper()
	db, _ := openTemp(b)
	txn, err := db.BeginWrite()
	must(b, err)
	var key [16]byte
	for i := range uint64(benchEntries) {
		workload.Key(i, &key)
		must(b, txn.Put("bench", key[:], workload.Value(i)))
	}
	must(b, txn.Commit())
	txn.Close()
	return db
}

func BenchmarkInsert(b *testing.B) {
	db, _ := openTemp(b)
	txn, err := db.BeginWrite()
	must(b, err)
	defer txn.Close()
	var key [16]byte
	b.ResetTimer()
	for i := range uint64(b.N) {
		workload.Key(i, &key)
		if err := txn.Put("bench", key[:], workload.Value(i)); err != nil {
			b.Fatal(err)
		}
	}
	must(b, txn.Commit())
}

func BenchmarkGetSnapshot(b *testing.B) {
	db := loadedDB(b)
	snap, err := db.Snapshot()
	must(b, err)
	defer snap.Close()
	var key [16]byte
	b.ResetTimer()
	for q := range uint64(b.N) {
		workload.Key(workload.Lookup(benchEntries, q), &key)
		value, err := snap.Get("bench", key[:])
		if err != nil || len(value) != workload.ValueLen {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetOneshot(b *testing.B) {
	db := loadedDB(b)
	var key [16]byte
	b.ResetTimer()
	for q := range uint64(b.N) {
		workload.Key(workload.Lookup(benchEntries, q), &key)
		value, err := db.Get("bench", key[:])
		if err != nil || len(value) != workload.ValueLen {
			b.Fatal(err)
		}
	}
}

// BenchmarkScan reports the time per entry of full ordered scans.
func BenchmarkScan(b *testing.B) {
	db := loadedDB(b)
	snap, err := db.Snapshot()
	must(b, err)
	defer snap.Close()
	b.ResetTimer()
	entries := 0
	for entries < b.N {
		it, err := snap.Range("bench", nil, nil, false)
		must(b, err)
		var previous []byte
		for key := range it.All() {
			if previous != nil && bytes.Compare(previous, key) >= 0 {
				b.Fatal("keys out of order")
			}
			previous = append(previous[:0], key...)
			entries++
		}
		must(b, it.Err())
		it.Close()
	}
}

// BenchmarkCallFloor is the binding's cheapest call: compare it with BenchmarkBareCgoCall.
func BenchmarkCallFloor(b *testing.B) {
	sum := uint32(0)
	for range b.N {
		sum += lode.ABIVersion()
	}
	if sum != uint32(b.N)*lode.ABIVersion() {
		b.Fatal("wrong sum")
	}
}

// BenchmarkBareCgoCall is a cgo call to an empty C function: the floor of any cgo binding.
func BenchmarkBareCgoCall(b *testing.B) {
	sum := 0
	for range b.N {
		sum += cgofloor.Call()
	}
	if sum != b.N {
		b.Fatal("wrong sum")
	}
}
