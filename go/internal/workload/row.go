// The row protocol of `cargo tools bench` (tools/src/commands/bench), shared by the Go rows.

package workload

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"
)

// Main reads the row's arguments, `[--n N] DIR`, and runs run with them; it exits with a usage
// line on bad arguments, and with name and the error if run fails.
//
// run stays on one OS thread (runtime.LockOSThread), as the Go package's documentation advises
// for a goroutine that makes calls in a tight loop: unpinned, a goroutine that spends nearly
// all its time in cgo calls is preempted every 10 ms and often resumes on another thread:
// inserts took 1.32x native Rust's time per op instead of 1.04x (N = 1M, medians of 5 rounds).
func Main(name string, run func(n uint64, dir string) error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	n := flag.Uint64("n", 1_000_000, "entries in the database")
	flag.Parse()
	if flag.NArg() != 1 || *n == 0 {
		fmt.Fprintf(os.Stderr, "usage: %s [--n N] DIR\n", name)
		os.Exit(2)
	}
	if err := run(*n, flag.Arg(0)); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

// Report prints the line of a phase that started at start and made ops operations.
func Report(phase string, ops uint64, start time.Time) {
	ns := float64(time.Since(start).Nanoseconds()) / float64(max(ops, 1))
	fmt.Printf("phase=%s ops=%d ns_per_op=%.1f ops_per_s=%.0f\n", phase, ops, ns, 1e9/ns)
}
