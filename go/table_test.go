// Tests of table handles (Snapshot.Table, WriteTxn.Table): reads and writes without a table
// name, and the errors of a handle that outlives its transaction or snapshot.
package lode_test

import (
	"testing"

	lode "github.com/lode-db/lode/go"
)

func TestTableHandles(t *testing.T) {
	db, _ := openTemp(t)
	txn, err := db.BeginWrite()
	must(t, err)
	defer txn.Close()
	users, err := txn.Table("users")
	must(t, err)
	defer users.Close()
	must(t, users.Put([]byte("ada"), []byte("lovelace")))
	must(t, users.Put([]byte("bob"), []byte("x")))
	deleted, err := users.Delete([]byte("bob"))
	must(t, err)
	if !deleted {
		t.Fatal("Delete(bob) = false")
	}
	got, err := users.Get([]byte("ada"))
	must(t, err)
	if string(got) != "lovelace" {
		t.Fatalf("TxnTable.Get = %q", got)
	}
	_, err = users.Get([]byte("bob"))
	wantKind(t, err, lode.ErrNotFound)
	_, err = txn.Table("")
	wantKind(t, err, lode.ErrInvalidArgument)
	must(t, txn.Commit())
	wantKind(t, users.Put([]byte("c"), nil), lode.ErrTransactionFinished)

	snap, err := db.Snapshot()
	must(t, err)
	table, err := snap.Table("users")
	must(t, err)
	defer table.Close()
	var buf []byte
	buf, err = table.AppendGet(buf[:0], []byte("ada"))
	must(t, err)
	if string(buf) != "lovelace" {
		t.Fatalf("SnapshotTable.AppendGet = %q", buf)
	}
	has, err := table.Contains([]byte("bob"))
	must(t, err)
	count, err := table.Count()
	must(t, err)
	if has || count != 1 {
		t.Fatalf("Contains(bob), Count() = %v, %d", has, count)
	}
	it, err := table.Prefix([]byte("a"), false)
	must(t, err)
	var keys []string
	for k := range it.All() {
		keys = append(keys, string(k))
	}
	must(t, it.Err())
	if len(keys) != 1 || keys[0] != "ada" {
		t.Fatalf("Prefix(a) = %q", keys)
	}
	// The handle outlives its Snapshot object, and reports Closed once the database is.
	must(t, snap.Close())
	_, err = table.Count()
	wantKind(t, err, lode.ErrClosed)
	must(t, table.Close())
	_, err = table.Get([]byte("ada"))
	wantKind(t, err, lode.ErrClosed)
}
