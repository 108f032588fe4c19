// The Lode demo in Go, the same short program as in every language: a transaction, a read, a
// prefix scan, an error. It prints what cpp/examples/demo.expected holds, word for word.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	lode "github.com/lode-db/lode/go"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintf(os.Stderr, "usage: %s <database file>\n", os.Args[0])
		os.Exit(2)
	}
	if err := run(os.Stdout, os.Args[1]); err != nil {
		fmt.Println(describe(err))
		os.Exit(1)
	}
}

// run is the demo, printing to w.
func run(w io.Writer, path string) error {
	db, err := lode.Open(path, lode.Options{Durability: lode.DurabilityImmediate})
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer db.Close()

	// Three entries in one transaction.
	txn, err := db.BeginWrite()
	if err != nil {
		return fmt.Errorf("begin_write: %w", err)
	}
	defer txn.Close() // aborts it, unless it was committed
	for _, entry := range [][2]string{{"user:1", "alice"}, {"user:2", "bob"}, {"team:1", "core"}} {
		if err := txn.Put("demo", []byte(entry[0]), []byte(entry[1])); err != nil {
			return fmt.Errorf("put: %w", err)
		}
		fmt.Fprintf(w, "put %s = %s (in a transaction)\n", entry[0], entry[1])
	}
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	fmt.Fprintln(w, "committed")

	// Read one back.
	value, err := db.Get("demo", []byte("user:1"))
	if err != nil {
		fmt.Fprintln(w, describe(fmt.Errorf("get user:1: %w", err)))
	} else {
		fmt.Fprintf(w, "get user:1 -> %s\n", value)
	}

	// Scan a prefix in a snapshot, with a range-over-func loop.
	snapshot, err := db.Snapshot()
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	defer snapshot.Close()
	users, err := snapshot.Prefix("demo", []byte("user:"), false)
	if err != nil {
		return fmt.Errorf("scan user:*: %w", err)
	}
	defer users.Close()
	var found []string
	for key, value := range users.All() {
		found = append(found, fmt.Sprintf("%s=%s", key, value))
	}
	if err := users.Err(); err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	fmt.Fprintf(w, "scan user:* -> %s\n", strings.Join(found, " "))

	// An error: every failure has a kind and a message.
	if value, err := db.Get("demo", []byte("user:9")); err != nil {
		fmt.Fprintln(w, describe(fmt.Errorf("get user:9: %w", err)))
	} else {
		fmt.Fprintf(w, "get user:9 -> %s\n", value)
	}
	return nil
}

// describe prints an error as "<what> -> error <Kind>: <message>".
func describe(err error) string {
	var lodeErr *lode.Error
	if !errors.As(err, &lodeErr) {
		return err.Error()
	}
	what, _, _ := strings.Cut(err.Error(), ": ")
	return fmt.Sprintf("%s -> error %s: %s", what, lodeErr.Kind, lodeErr.Message)
}
