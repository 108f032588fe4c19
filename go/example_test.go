// Examples of the main calls: they run as tests (their output is checked) and show in godoc.
package lode_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	lode "github.com/lode-db/lode/go"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "lode-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := lode.Open(filepath.Join(dir, "app.lode"), lode.Options{Durability: lode.DurabilityImmediate})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Put("config", []byte("theme"), []byte("dark")); err != nil {
		log.Fatal(err)
	}
	theme, err := db.Get("config", []byte("theme"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("theme = %s\n", theme)
	// Output: theme = dark
}

func ExampleDatabase_BeginWrite() {
	db, err := lode.OpenInMemory()
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	txn, err := db.BeginWrite()
	if err != nil {
		log.Fatal(err)
	}
	defer txn.Close() // aborts the transaction unless it was committed
	for _, name := range []string{"ada", "grace"} {
		if err := txn.Put("users", []byte("user:"+name), []byte(name)); err != nil {
			log.Fatal(err)
		}
	}
	if err := txn.Commit(); err != nil {
		log.Fatal(err)
	}
	stats, err := db.Stats()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stats.Entries, "entries")
	// Output: 2 entries
}

func ExampleDatabase_Get() {
	db, err := lode.OpenInMemory()
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	_, err = db.Get("users", []byte("nobody"))
	if errors.Is(err, lode.ErrNotFound) {
		fmt.Println("not found:", err)
	}
	// Output: not found: lode: key not found
}

func ExampleIter_All() {
	db, err := lode.OpenInMemory()
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	for _, k := range []string{"user:2", "team:1", "user:1"} {
		if err := db.Put("t", []byte(k), []byte("v"+k[len(k)-1:])); err != nil {
			log.Fatal(err)
		}
	}

	snapshot, err := db.Snapshot()
	if err != nil {
		log.Fatal(err)
	}
	defer snapshot.Close()
	users, err := snapshot.Prefix("t", []byte("user:"), false)
	if err != nil {
		log.Fatal(err)
	}
	defer users.Close()
	for key, value := range users.All() {
		fmt.Printf("%s = %s\n", key, value)
	}
	if err := users.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// user:1 = v1
	// user:2 = v2
}

func ExampleIter_Next() {
	db, err := lode.OpenInMemory()
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	for _, k := range []string{"a", "b", "c"} {
		if err := db.Put("t", []byte(k), nil); err != nil {
			log.Fatal(err)
		}
	}

	snapshot, err := db.Snapshot()
	if err != nil {
		log.Fatal(err)
	}
	defer snapshot.Close()
	it, err := snapshot.Range("t", []byte("b"), nil, true) // from the end down to "b"
	if err != nil {
		log.Fatal(err)
	}
	defer it.Close()
	for it.Next() {
		fmt.Println(string(it.Key()))
	}
	if err := it.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// c
	// b
}

func ExampleError() {
	db, err := lode.OpenInMemory()
	if err != nil {
		log.Fatal(err)
	}
	db.Close()

	err = db.Put("t", []byte("k"), []byte("v"))
	var lodeErr *lode.Error
	if errors.As(err, &lodeErr) {
		fmt.Println(lodeErr.Kind, errors.Is(err, lode.ErrClosed))
	}
	// Output: Closed true
}
