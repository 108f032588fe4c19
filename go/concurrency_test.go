// Concurrency tests: readers in many goroutines while one writes, and Close racing with use.
// They mean most under -race, which cargo tools test go uses.
package lode_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	lode "github.com/lode-db/lode/go"
)

func TestReadersWhileOneWrites(t *testing.T) {
	db, _ := openTemp(t)
	const rounds, perRound = 20, 50
	fill(t, db, "t", "seed")

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		for r := range rounds {
			txn, err := db.BeginWrite()
			if err != nil {
				errs <- err
				return
			}
			for i := range perRound {
				key := fmt.Appendf(nil, "k%03d-%03d", r, i)
				if err := txn.Put("t", key, []byte("v:"+string(key))); err != nil {
					errs <- err
				}
			}
			if err := txn.Commit(); err != nil {
				errs <- err
			}
			txn.Close()
		}
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				// A snapshot sees whole transactions only: a multiple of perRound keys.
				snap, err := db.Snapshot()
				if err != nil {
					errs <- err
					return
				}
				it, err := snap.Prefix("t", []byte("k"), false)
				if err != nil {
					errs <- err
					return
				}
				n := 0
				for k, v := range it.All() {
					if string(v) != "v:"+string(k) {
						errs <- fmt.Errorf("%q = %q", k, v)
					}
					n++
				}
				if err := it.Err(); err != nil {
					errs <- err
				}
				if n%perRound != 0 {
					errs <- fmt.Errorf("snapshot saw %d keys: part of a transaction", n)
				}
				it.Close()
				snap.Close()
				if _, err := db.Get("t", []byte("seed")); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCloseRacesWithUse(t *testing.T) {
	for range 10 {
		db, err := lode.OpenInMemory()
		must(t, err)
		fill(t, db, "t", "a", "b", "c")
		snap, err := db.Snapshot()
		must(t, err)
		txn, err := db.BeginWrite()
		must(t, err)
		var wg sync.WaitGroup
		for g := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 50 {
					var err error
					switch g {
					case 0:
						_, err = db.Get("t", []byte("a"))
					case 1:
						_, err = snap.Count("t")
					case 2:
						err = txn.Put("t", []byte("x"), nil)
					case 3:
						err = db.Close()
					case 4:
						err = txn.Close()
					case 5:
						err = snap.Close()
					}
					if err != nil && !errors.Is(err, lode.ErrClosed) {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
}
