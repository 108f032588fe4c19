// A brand-new program using Lode from the released Go module: open, write, read, scan.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	lode "github.com/lode-db/lode/go"
)

func main() {
	dir, err := os.MkdirTemp("", "consumer")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := lode.Open(filepath.Join(dir, "app.lode"), lode.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	txn, err := db.BeginWrite()
	if err != nil {
		log.Fatal(err)
	}
	defer txn.Close()
	for _, k := range []string{"b", "a", "c"} {
		if err := txn.Put("t", []byte(k), []byte("value of "+k)); err != nil {
			log.Fatal(err)
		}
	}
	if err := txn.Commit(); err != nil {
		log.Fatal(err)
	}
	v, err := db.Get("t", []byte("b"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("get b -> %s\n", v)
	snap, err := db.Snapshot()
	if err != nil {
		log.Fatal(err)
	}
	defer snap.Close()
	it, err := snap.Range("t", nil, nil, false)
	if err != nil {
		log.Fatal(err)
	}
	defer it.Close()
	for k := range it.All() {
		fmt.Printf("scan %s\n", k)
	}
	if err := it.Err(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("lode", lode.Version())
}
