// Tests of the whole Go API: every method, errors by kind, use after Close, and the garbage
// collector freeing objects in any order. Run with -race (cargo tools test go does).
package lode_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	lode "github.com/lode-db/lode/go"
)

func openTemp(t testing.TB) (*lode.Database, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.lode")
	db, err := lode.Open(path, lode.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKind(t testing.TB, err error, sentinel error) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("got error %v, want one matching %v", err, sentinel)
	}
	var e *lode.Error
	if !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("error %v is not an *lode.Error with a message", err)
	}
}

func TestVersion(t *testing.T) {
	if got := lode.Version(); got == "" || strings.Count(got, ".") != 2 {
		t.Fatalf("Version() = %q", got)
	}
	var major, minor, patch int
	if _, err := fmt.Sscanf(lode.Version(), "%d.%d.%d", &major, &minor, &patch); err != nil {
		t.Fatal(err)
	}
	if want := uint32(major<<16 | minor); lode.ABIVersion() != want {
		t.Fatalf("ABIVersion() = %#x, want %#x", lode.ABIVersion(), want)
	}
}

func TestDatabaseReadWrite(t *testing.T) {
	db, _ := openTemp(t)
	must(t, db.Put("fruit", []byte("apple"), []byte("red")))
	must(t, db.Put("fruit", []byte("banana"), []byte("yellow")))
	must(t, db.Put("veg", []byte("leek"), []byte{}))

	got, err := db.Get("fruit", []byte("apple"))
	must(t, err)
	if string(got) != "red" {
		t.Fatalf("Get = %q", got)
	}
	empty, err := db.Get("veg", []byte("leek"))
	must(t, err)
	if empty == nil || len(empty) != 0 {
		t.Fatalf("an empty value reads as %#v, want a non-nil empty slice", empty)
	}
	_, err = db.Get("fruit", []byte("cherry"))
	wantKind(t, err, lode.ErrNotFound)
	_, err = db.Get("nothing", []byte("x"))
	wantKind(t, err, lode.ErrNotFound)

	ok, err := db.Contains("fruit", []byte("banana"))
	must(t, err)
	if !ok {
		t.Fatal("Contains(banana) = false")
	}
	deleted, err := db.Delete("fruit", []byte("banana"))
	must(t, err)
	again, err := db.Delete("fruit", []byte("banana"))
	must(t, err)
	if !deleted || again {
		t.Fatalf("Delete twice = %v, %v", deleted, again)
	}

	tables, err := db.Tables()
	must(t, err)
	if tables != "fruit\nveg\n" {
		t.Fatalf("Tables() = %q", tables)
	}
	stats, err := db.Stats()
	must(t, err)
	if stats.Tables != 2 || stats.Entries != 2 || stats.FileSize == 0 {
		t.Fatalf("Stats() = %+v", stats)
	}
	dropped, err := db.DropTable("veg")
	must(t, err)
	if !dropped {
		t.Fatal("DropTable(veg) = false")
	}
	if db.IsClosed() {
		t.Fatal("IsClosed() before Close")
	}
}

func TestInMemory(t *testing.T) {
	db, err := lode.OpenInMemory()
	must(t, err)
	defer db.Close()
	must(t, db.Put("t", []byte("k"), []byte("v")))
	stats, err := db.Stats()
	must(t, err)
	if stats.Tables != 1 || stats.Entries != 1 {
		t.Fatalf("Stats() = %+v", stats)
	}
}

func TestReopenAndOptions(t *testing.T) {
	db, path := openTemp(t)
	must(t, db.Put("t", []byte("k"), []byte("v")))
	_, err := lode.Open(path, lode.Options{})
	wantKind(t, err, lode.ErrAlreadyOpen)
	must(t, db.Close())

	ro, err := lode.Open(path, lode.Options{ReadOnly: true, Durability: lode.DurabilityEventual, CacheSize: 1 << 20})
	must(t, err)
	defer ro.Close()
	got, err := ro.Get("t", []byte("k"))
	must(t, err)
	if string(got) != "v" {
		t.Fatalf("read back %q", got)
	}
	wantKind(t, ro.Put("t", []byte("k"), []byte("w")), lode.ErrReadOnly)

	_, err = lode.Open(filepath.Join(t.TempDir(), "missing", "x.lode"), lode.Options{ReadOnly: true})
	if err == nil {
		t.Fatal("opening a missing file read-only succeeded")
	}
}

func TestInvalidArguments(t *testing.T) {
	db, _ := openTemp(t)
	wantKind(t, db.Put("", []byte("k"), nil), lode.ErrInvalidArgument)
	wantKind(t, db.Put("bad\xff", []byte("k"), nil), lode.ErrInvalidArgument)
	wantKind(t, db.Put(strings.Repeat("t", 256), []byte("k"), nil), lode.ErrInvalidArgument)
	wantKind(t, db.Put("t", make([]byte, 65537), nil), lode.ErrInvalidArgument)
	_, err := db.Get("bad\xff", []byte("k"))
	wantKind(t, err, lode.ErrInvalidArgument)
	// Nil and empty slices are the empty key.
	must(t, db.Put("t", nil, []byte("empty key")))
	got, err := db.Get("t", []byte{})
	must(t, err)
	if string(got) != "empty key" {
		t.Fatalf("Get(empty key) = %q", got)
	}
}

// An enum value with no name never reaches Rust (where it would be undefined behaviour): the
// conversion panics, as an index out of range does, and nothing is opened.
func TestInvalidEnumPanicsBeforeRust(t *testing.T) {
	path := filepath.Join(t.TempDir(), "invalid.lode")
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), "invalid Durability(7)") {
			t.Fatalf("recovered %v, want a panic naming Durability(7)", r)
		}
	}()
	db, err := lode.Open(path, lode.Options{Durability: 7})
	t.Fatalf("Open with Durability(7) returned (%v, %v)", db, err)
}

func TestWriteTxn(t *testing.T) {
	db, _ := openTemp(t)
	txn, err := db.BeginWrite()
	must(t, err)
	must(t, txn.Put("t", []byte("a"), []byte("1")))
	must(t, txn.Put("t", []byte("b"), []byte("2")))
	got, err := txn.Get("t", []byte("a"))
	must(t, err)
	if string(got) != "1" {
		t.Fatalf("own write reads %q", got)
	}
	has, err := txn.Contains("t", []byte("b"))
	must(t, err)
	deleted, err := txn.Delete("t", []byte("b"))
	must(t, err)
	if !has || !deleted {
		t.Fatalf("Contains, Delete = %v, %v", has, deleted)
	}
	if _, err := db.Get("t", []byte("a")); !errors.Is(err, lode.ErrNotFound) {
		t.Fatalf("uncommitted write visible outside: %v", err)
	}
	if txn.IsFinished() {
		t.Fatal("IsFinished before Commit")
	}
	must(t, txn.Commit())
	if !txn.IsFinished() {
		t.Fatal("not IsFinished after Commit")
	}
	wantKind(t, txn.Put("t", []byte("c"), nil), lode.ErrTransactionFinished)
	must(t, txn.Close())
	got, err = db.Get("t", []byte("a"))
	must(t, err)
	if string(got) != "1" {
		t.Fatalf("committed write reads %q", got)
	}

	// Abort discards; so does Close without Commit.
	for _, finish := range []func(*lode.WriteTxn) error{(*lode.WriteTxn).Abort, (*lode.WriteTxn).Close} {
		txn, err := db.BeginWrite()
		must(t, err)
		must(t, txn.Put("t", []byte("z"), []byte("lost")))
		_, err = txn.DropTable("t")
		must(t, err)
		must(t, finish(txn))
		if _, err := db.Get("t", []byte("z")); !errors.Is(err, lode.ErrNotFound) {
			t.Fatalf("discarded write visible: %v", err)
		}
		if _, err := db.Get("t", []byte("a")); err != nil {
			t.Fatalf("discarded drop took effect: %v", err)
		}
		txn.Close()
	}
}

func fill(t testing.TB, db *lode.Database, table string, keys ...string) {
	t.Helper()
	txn, err := db.BeginWrite()
	must(t, err)
	defer txn.Close()
	for _, k := range keys {
		must(t, txn.Put(table, []byte(k), []byte("v:"+k)))
	}
	must(t, txn.Commit())
}

func collect(t testing.TB, it *lode.Iter) []string {
	t.Helper()
	var out []string
	for k, v := range it.All() {
		if string(v) != "v:"+string(k) {
			t.Fatalf("value of %q is %q", k, v)
		}
		out = append(out, string(k))
	}
	must(t, it.Err())
	return out
}

func TestSnapshotAndIter(t *testing.T) {
	db, _ := openTemp(t)
	fill(t, db, "t", "user:2", "team:1", "user:1", "user:3", "zed")
	snap, err := db.Snapshot()
	must(t, err)
	defer snap.Close()
	must(t, db.Put("t", []byte("user:4"), []byte("v:user:4"))) // not in the snapshot

	count, err := snap.Count("t")
	must(t, err)
	if count != 5 {
		t.Fatalf("Count = %d", count)
	}
	if ok, err := snap.Contains("t", []byte("user:4")); err != nil || ok {
		t.Fatalf("snapshot sees a later write: %v, %v", ok, err)
	}
	got, err := snap.Get("t", []byte("zed"))
	must(t, err)
	if string(got) != "v:zed" {
		t.Fatalf("Get = %q", got)
	}

	it, err := snap.Prefix("t", []byte("user:"), false)
	must(t, err)
	if got := collect(t, it); !slices.Equal(got, []string{"user:1", "user:2", "user:3"}) {
		t.Fatalf("Prefix = %v", got)
	}
	must(t, it.Close())

	it, err = snap.Prefix("t", []byte("user:"), true)
	must(t, err)
	if got := collect(t, it); !slices.Equal(got, []string{"user:3", "user:2", "user:1"}) {
		t.Fatalf("reverse Prefix = %v", got)
	}

	it, err = snap.Range("t", []byte("team:1"), []byte("user:3"), false)
	must(t, err)
	if got := collect(t, it); !slices.Equal(got, []string{"team:1", "user:1", "user:2"}) {
		t.Fatalf("Range = %v", got)
	}

	// The cursor style, and an empty end meaning no bound.
	it, err = snap.Range("t", []byte("user:3"), nil, false)
	must(t, err)
	var keys []string
	for it.Next() {
		keys = append(keys, string(it.Key())+"="+string(it.Value()))
	}
	must(t, it.Err())
	if !slices.Equal(keys, []string{"user:3=v:user:3", "zed=v:zed"}) {
		t.Fatalf("Next loop = %v", keys)
	}
	if it.Next() || it.Key() != nil || it.Value() != nil {
		t.Fatal("Next after the end")
	}

	it, err = snap.Range("missing", nil, nil, false)
	must(t, err)
	if got := collect(t, it); len(got) != 0 {
		t.Fatalf("a missing table iterates %v", got)
	}
}

// Entries larger than the read-ahead buffer, around it, and many of them.
func TestIterLargeAndMany(t *testing.T) {
	db, _ := openTemp(t)
	txn, err := db.BeginWrite()
	must(t, err)
	sizes := []int{0, 1, 32<<10 - 20, 32 << 10, 100 << 10, 3, 1 << 20}
	for i, size := range sizes {
		must(t, txn.Put("big", []byte{byte(i)}, bytes.Repeat([]byte{byte(i + 1)}, size)))
	}
	for i := range 5000 {
		must(t, txn.Put("many", fmt.Appendf(nil, "%06d", i), fmt.Appendf(nil, "value %d", i)))
	}
	must(t, txn.Commit())
	txn.Close()

	snap, err := db.Snapshot()
	must(t, err)
	it, err := snap.Range("big", nil, nil, false)
	must(t, err)
	i := 0
	for k, v := range it.All() {
		if len(k) != 1 || int(k[0]) != i || len(v) != sizes[i] || (len(v) > 0 && v[len(v)-1] != byte(i+1)) {
			t.Fatalf("entry %d: key %v, value of %d bytes", i, k, len(v))
		}
		i++
	}
	must(t, it.Err())
	if i != len(sizes) {
		t.Fatalf("read %d entries", i)
	}

	it, err = snap.Range("many", nil, nil, false)
	must(t, err)
	n := 0
	for k, v := range it.All() {
		if string(k) != fmt.Sprintf("%06d", n) || string(v) != fmt.Sprintf("value %d", n) {
			t.Fatalf("entry %d is %q = %q", n, k, v)
		}
		n++
		if n == 4000 {
			break // stopping early is allowed, and the rest can still be read
		}
	}
	for it.Next() {
		n++
	}
	if n != 5000 {
		t.Fatalf("read %d entries", n)
	}
}

func TestUseAfterClose(t *testing.T) {
	db, _ := openTemp(t)
	fill(t, db, "t", "a", "b")
	snap, err := db.Snapshot()
	must(t, err)
	it, err := snap.Range("t", nil, nil, false)
	must(t, err)
	txn, err := db.BeginWrite()
	must(t, err)
	must(t, txn.Put("t", []byte("c"), nil))

	// Closing the database ends what came from it: each reports ErrClosed, none crashes.
	must(t, db.Close())
	must(t, db.Close()) // idempotent
	if !db.IsClosed() {
		t.Fatal("IsClosed() after Close")
	}
	_, err = db.Get("t", []byte("a"))
	wantKind(t, err, lode.ErrClosed)
	wantKind(t, db.Put("t", []byte("a"), nil), lode.ErrClosed)
	_, err = db.Snapshot()
	wantKind(t, err, lode.ErrClosed)
	_, err = db.BeginWrite()
	wantKind(t, err, lode.ErrClosed)
	_, err = snap.Get("t", []byte("a"))
	wantKind(t, err, lode.ErrClosed)
	wantKind(t, txn.Commit(), lode.ErrClosed)
	if it.Next() {
		t.Fatal("Next on an iterator of a closed database")
	}
	wantKind(t, it.Err(), lode.ErrClosed)

	// Objects freed by Close report ErrClosed (or a zero value) from then on.
	must(t, txn.Close())
	must(t, txn.Close())
	wantKind(t, txn.Put("t", []byte("a"), nil), lode.ErrClosed)
	if txn.IsFinished() {
		t.Fatal("IsFinished of a freed transaction is its zero value")
	}
	must(t, it.Close())
	_, err = it.ReadBatch(make([]byte, 64))
	wantKind(t, err, lode.ErrClosed)
	must(t, snap.Close())
	_, err = snap.Count("t")
	wantKind(t, err, lode.ErrClosed)

	// Zero values that were never set up behave as closed.
	_, err = (&lode.Database{}).Get("t", nil)
	wantKind(t, err, lode.ErrClosed)
	wantKind(t, (&lode.WriteTxn{}).Commit(), lode.ErrClosed)
	must(t, (&lode.Snapshot{}).Close())
	if (&lode.Iter{}).Next() {
		t.Fatal("Next on a zero Iter")
	}
}

func TestSnapshotCloseEndsItsIterators(t *testing.T) {
	db, _ := openTemp(t)
	fill(t, db, "t", "a")
	snap, err := db.Snapshot()
	must(t, err)
	it, err := snap.Range("t", nil, nil, false)
	must(t, err)
	must(t, snap.Close())
	if it.Next() {
		t.Fatal("Next after the snapshot closed")
	}
	wantKind(t, it.Err(), lode.ErrClosed)
	// The database itself is untouched.
	if _, err := db.Get("t", []byte("a")); err != nil {
		t.Fatal(err)
	}
}

func TestErrors(t *testing.T) {
	db, _ := openTemp(t)
	_, err := db.Get("t", []byte("missing"))
	var e *lode.Error
	if !errors.As(err, &e) {
		t.Fatalf("%T is not an *lode.Error", err)
	}
	if e.Kind != lode.ErrorKindNotFound || e.Kind.String() != "NotFound" || e.Message != "key not found" {
		t.Fatalf("error = %+v", e)
	}
	if err.Error() != "lode: key not found" {
		t.Fatalf("Error() = %q", err.Error())
	}
	if errors.Is(err, lode.ErrClosed) || !errors.Is(fmt.Errorf("wrapped: %w", err), lode.ErrNotFound) {
		t.Fatal("errors.Is compares kinds, through wrapping")
	}
	if lode.ErrorKind(42).String() != "ErrorKind(42)" || lode.DurabilityEventual.String() != "Eventual" {
		t.Fatal("String of enums")
	}
}

// A collected database closes; whatever still uses its store afterwards gets ErrClosed (or,
// for what it read before, its data), in whatever order the collector frees things.
func TestGarbageCollectionInAnyOrder(t *testing.T) {
	for round := range 20 {
		db, err := lode.OpenInMemory()
		must(t, err)
		fill(t, db, "t", "a", "b", "c")
		snap, err := db.Snapshot()
		must(t, err)
		it, err := snap.Range("t", nil, nil, round%2 == 0)
		must(t, err)
		txn, err := db.BeginWrite()
		must(t, err)
		must(t, txn.Put("t", []byte("d"), nil))
		// Drop some handles and keep others, varying which, then let the collector run.
		switch round % 4 {
		case 0:
			db, snap = nil, nil
		case 1:
			it, txn = nil, nil
		case 2:
			db, txn = nil, nil
		case 3:
			snap, it = nil, nil
		}
		for range 3 {
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
		if snap != nil {
			if _, err := snap.Get("t", []byte("a")); err != nil && !errors.Is(err, lode.ErrClosed) {
				t.Fatalf("round %d: snapshot read: %v", round, err)
			}
		}
		if it != nil {
			for it.Next() {
			}
			if err := it.Err(); err != nil && !errors.Is(err, lode.ErrClosed) {
				t.Fatalf("round %d: iterator: %v", round, err)
			}
		}
		if txn != nil {
			if err := txn.Commit(); err != nil && !errors.Is(err, lode.ErrClosed) {
				t.Fatalf("round %d: commit: %v", round, err)
			}
		}
		if db != nil {
			must(t, db.Close())
		}
	}
	for range 3 {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// Values that fit the stack buffer Rust writes output into, that just do not, and large ones
// (which move to C memory), read with Get and with AppendGet after existing bytes.
func TestGetAroundWriteBuffer(t *testing.T) {
	db, _ := openTemp(t)
	sizes := []int{0, 1, 255, 256, 257, 4096, 100 << 10}
	for i, size := range sizes {
		must(t, db.Put("t", []byte{byte(i)}, bytes.Repeat([]byte{byte(i + 1)}, size)))
	}
	snap, err := db.Snapshot()
	must(t, err)
	defer snap.Close()
	buf := []byte("prefix")
	for i, size := range sizes {
		want := bytes.Repeat([]byte{byte(i + 1)}, size)
		got, err := snap.Get("t", []byte{byte(i)})
		must(t, err)
		if !bytes.Equal(got, want) {
			t.Fatalf("Get of %d bytes returned %d bytes", size, len(got))
		}
		appended, err := db.AppendGet(buf, "t", []byte{byte(i)})
		must(t, err)
		if !bytes.Equal(appended, append([]byte("prefix"), want...)) {
			t.Fatalf("AppendGet of %d bytes after 6 returned %d bytes", size, len(appended))
		}
		fresh, err := snap.AppendGet(nil, "t", []byte{byte(i)})
		must(t, err)
		if !bytes.Equal(fresh, want) {
			t.Fatalf("AppendGet of %d bytes to nil returned %d bytes", size, len(fresh))
		}
	}
	kept, err := db.AppendGet(buf, "t", []byte("missing"))
	wantKind(t, err, lode.ErrNotFound)
	if string(kept) != "prefix" {
		t.Fatalf("a failed AppendGet returned %q", kept)
	}
}
