// Verification, and the error of a write that would wait for itself (Busy).
package lode_test

import (
	"bytes"
	"os"
	"runtime"
	"testing"

	lode "github.com/lode-db/lode/go"
)

func TestVerifyFindsAFlippedBit(t *testing.T) {
	db, path := openTemp(t)
	value := bytes.Repeat([]byte("verify me "), 8)
	must(t, db.Put("t", []byte("k"), value))
	must(t, db.Verify())
	must(t, db.Close())

	data, err := os.ReadFile(path)
	must(t, err)
	at := bytes.Index(data, value)
	if at < 0 {
		t.Fatal("the value is not in the file as written")
	}
	data[at+2] ^= 1
	must(t, os.WriteFile(path, data, 0o600))
	ro, err := lode.Open(path, lode.Options{ReadOnly: true})
	must(t, err)
	defer ro.Close()
	// A read does not notice; verification does.
	got, err := ro.Get("t", []byte("k"))
	must(t, err)
	if bytes.Equal(got, value) {
		t.Fatal("the flipped bit did not reach the value")
	}
	wantKind(t, ro.Verify(), lode.ErrCorrupted)
}

func TestWriteFromTheTransactionsThreadIsBusy(t *testing.T) {
	// Lode knows threads, not goroutines: pinned, this goroutine stays on the thread that began
	// the transaction.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	db, _ := openTemp(t)
	txn, err := db.BeginWrite()
	must(t, err)
	defer txn.Close()
	wantKind(t, db.Put("t", []byte("k"), []byte("v")), lode.ErrBusy)
	_, err = db.BeginWrite()
	wantKind(t, err, lode.ErrBusy)
	must(t, txn.Put("t", []byte("k"), []byte("v")))
	must(t, txn.Commit())
	must(t, db.Put("t", []byte("k2"), []byte("v")))
}
