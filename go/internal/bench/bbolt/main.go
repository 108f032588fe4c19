// The bbolt row of `cargo tools bench`: the benchmark workload (BENCH-WORKLOAD.md) on bbolt, the
// pure-Go B+tree store a Go user would pick instead, speaking the row protocol described in
// tools/src/commands/bench.rs.
//
// Usage: bbolt [--n N] DIR. Creates DIR/bench.bolt afresh, runs the phases in one process and
// prints one line per phase. Exits non-zero if a check fails.
//
// Two phases are left out. insert, the workload's N puts in ONE transaction: bbolt splits its
// nodes only when a transaction commits, so every put into a large transaction shifts a node
// that has grown with the transaction, and the phase grows quadratically (about 0.4 ms per put
// at N = 200,000 on the reference machine, hours at N = 1,000,000); insert_batched is bbolt's
// insert, and the read phases read its table. call_floor: bbolt is Go called from Go, with no
// binding whose per-call cost could be measured.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/lode-db/lode/go/internal/workload"
	bolt "go.etcd.io/bbolt"
)

// table is the table (bucket) insert_batched fills and the read phases read.
var table = []byte("bench_batched")

func main() {
	workload.Main("bbolt", run)
}

// version is bbolt's module version, as built into this program.
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "go.etcd.io/bbolt" {
				return dep.Version
			}
		}
	}
	return "(unknown version)"
}

// insert puts the n entries into bucket name, committing every batch entries.
func insert(db *bolt.DB, name []byte, n, batch uint64) error {
	var key [16]byte
	for i := uint64(0); i < n; {
		err := db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists(name)
			if err != nil {
				return err
			}
			for end := min(n, i+batch); i < end; i++ {
				workload.Key(i, &key)
				// bbolt keeps the key and value slices until the commit: each needs its own.
				if err := b.Put(bytes.Clone(key[:]), workload.Value(i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func run(n uint64, dir string) error {
	path := filepath.Join(dir, "bench.bolt")
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	// The defaults: every commit syncs the file (NoSync false) and the freelist.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Printf("system=bbolt %s, durability: fdatasync on every commit (default options)\n", version())

	start := time.Now()
	if err := insert(db, table, n, workload.Batch); err != nil {
		return fmt.Errorf("insert_batched: %w", err)
	}
	workload.Report("insert_batched", n, start)

	// Values are copied into one reused buffer, as every row's get does: bbolt's own slices
	// are valid only inside the transaction.
	var key [16]byte
	value := make([]byte, 0, 256)
	errMissing := errors.New("a key is missing")
	start = time.Now()
	total := uint64(0)
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(table)
		for q := uint64(0); q < n; q++ {
			workload.Key(workload.Lookup(n, q), &key)
			v := b.Get(key[:])
			if v == nil {
				return errMissing
			}
			value = append(value[:0], v...)
			total += uint64(len(value))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("get_snapshot: %w", err)
	}
	workload.Report("get_snapshot", n, start)
	if total != n*workload.ValueLen {
		return fmt.Errorf("get_snapshot: value lengths sum to %d, not %d", total, n*workload.ValueLen)
	}

	start = time.Now()
	total = 0
	for q := uint64(0); q < n; q++ {
		workload.Key(workload.Lookup(n, q), &key)
		err := db.View(func(tx *bolt.Tx) error {
			v := tx.Bucket(table).Get(key[:])
			if v == nil {
				return errMissing
			}
			value = append(value[:0], v...)
			return nil
		})
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
	count, ordered := uint64(0), true
	err = db.View(func(tx *bolt.Tx) error {
		var previous [16]byte
		c := tx.Bucket(table).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			// Every key is 16 bytes, and each must sort after the one before.
			ordered = ordered && len(k) == 16 && (count == 0 || bytes.Compare(previous[:], k) < 0)
			copy(previous[:], k)
			count++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	workload.Report("scan", max(count, 1), start)
	if !ordered {
		return fmt.Errorf("scan: keys out of order")
	}
	if count != n {
		return fmt.Errorf("scan: %d entries, not %d", count, n)
	}
	fmt.Println("note=bbolt leaves out insert (N puts in one transaction: quadratic in bbolt, which splits nodes only at commit; see go/internal/bench/bbolt/main.go) and call_floor (no binding to cross)")
	return db.Close()
}
