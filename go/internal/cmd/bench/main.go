// The Go row of `cargo tools bench`: the benchmark workload (BENCH-WORKLOAD.md) through the Go
// binding, speaking the row protocol described in tools/src/commands/bench.rs.
//
// Usage: bench [--n N] DIR. Creates DIR/bench.lode afresh, runs the six phases in one process,
// and prints one line per phase. Exits non-zero if a check fails.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	lode "github.com/lode-db/lode/go"
	"github.com/lode-db/lode/go/internal/cgofloor"
	"github.com/lode-db/lode/go/internal/workload"
)

const (
	table        = "bench"
	batchedTable = "bench_batched"
)

func main() {
	workload.Main("bench", run)
}

func insert(db *lode.Database, name string, n, batch uint64) error {
	var key [16]byte
	for i := uint64(0); i < n; {
		txn, err := db.BeginWrite()
		if err != nil {
			return err
		}
		// A handle for the table: the puts then take no name.
		table, err := txn.Table(name)
		if err != nil {
			return err
		}
		for end := min(n, i+batch); i < end; i++ {
			workload.Key(i, &key)
			if err := table.Put(key[:], workload.Value(i)); err != nil {
				return err
			}
		}
		table.Close()
		if err := txn.Commit(); err != nil {
			return err
		}
		txn.Close()
	}
	return nil
}

func run(n uint64, dir string) error {
	path := filepath.Join(dir, "bench.lode")
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	db, err := lode.Open(path, lode.Options{Durability: lode.DurabilityImmediate})
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Printf("system=lode %s (redb), Go binding (cgo), durability Immediate\n", lode.Version())

	start := time.Now()
	if err := insert(db, table, n, n); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	workload.Report("insert", n, start)

	start = time.Now()
	if err := insert(db, batchedTable, n, workload.Batch); err != nil {
		return fmt.Errorf("insert_batched: %w", err)
	}
	workload.Report("insert_batched", n, start)

	// One buffer for every value read, as a careful user would write it: AppendGet into it
	// after truncating it, so that no get allocates (as the C and Zig rows do).
	var key [16]byte
	value := make([]byte, 0, 256)
	start = time.Now()
	snapshot, err := db.Snapshot()
	if err != nil {
		return err
	}
	handle, err := snapshot.Table(table)
	if err != nil {
		return err
	}
	total := uint64(0)
	for q := uint64(0); q < n; q++ {
		workload.Key(workload.Lookup(n, q), &key)
		value, err = handle.AppendGet(value[:0], key[:])
		if err != nil {
			return fmt.Errorf("get_snapshot: %w", err)
		}
		total += uint64(len(value))
	}
	workload.Report("get_snapshot", n, start)
	handle.Close()
	snapshot.Close()
	if total != n*workload.ValueLen {
		return fmt.Errorf("get_snapshot: value lengths sum to %d, not %d", total, n*workload.ValueLen)
	}

	start = time.Now()
	total = 0
	for q := uint64(0); q < n; q++ {
		workload.Key(workload.Lookup(n, q), &key)
		value, err = db.AppendGet(value[:0], table, key[:])
		if err != nil {
			return fmt.Errorf("get_oneshot: %w", err)
		}
		total += uint64(len(value))
	}
	workload.Report("get_oneshot", n, start)
	if total != n*workload.ValueLen {
		return fmt.Errorf("get_oneshot: value lengths sum to %d, not %d", total, n*workload.ValueLen)
	}

	start = time.Now()
	snapshot, err = db.Snapshot()
	if err != nil {
		return err
	}
	it, err := snapshot.Range(table, nil, nil, false)
	if err != nil {
		return err
	}
	var previous [16]byte
	count, ordered := uint64(0), true
	for it.Next() {
		k := it.Key()
		// Every key is 16 bytes, and each must sort after the one before.
		ordered = ordered && len(k) == 16 && (count == 0 || bytes.Compare(previous[:], k) < 0)
		copy(previous[:], k)
		count++
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	workload.Report("scan", max(count, 1), start)
	it.Close()
	snapshot.Close()
	if !ordered {
		return fmt.Errorf("scan: keys out of order")
	}
	if count != n {
		return fmt.Errorf("scan: %d entries, not %d", count, n)
	}

	calls := n * workload.FloorCallsPerEntry
	start = time.Now()
	sum := uint64(0)
	for range calls {
		sum += uint64(lode.ABIVersion())
	}
	workload.Report("call_floor", calls, start)
	if sum != calls*uint64(lode.ABIVersion()) {
		return fmt.Errorf("call_floor: wrong results")
	}
	start = time.Now()
	floor := 0
	for range calls {
		floor += cgofloor.Call()
	}
	bare := float64(time.Since(start).Nanoseconds()) / float64(calls)
	fmt.Printf("note=Go call_floor calls lode.ABIVersion() through cgo; a bare cgo call (an empty C function) took %.1f ns in the same run\n", bare)
	if floor != int(calls) {
		return fmt.Errorf("call_floor: wrong results")
	}
	return db.Close()
}
