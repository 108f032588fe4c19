//go:build lode_faults

// Lode's fault tests in Go (issue 16), run by `cargo tools test faults` with -tags lode_faults:
// reader goroutines under -race while one goroutine commits, and native fuzzing of random
// sequences of calls over a pool of handles. LODE_FAULTS_LONG=1 runs the long forms.
package lode_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	lode "github.com/lode-db/lode/go"
)

const faultKeys = 8

// TestFaultsReaderGoroutines: transaction g sets every key of table "gen" to g; every
// snapshot must see all of them at one generation, by lookups and by a scan, never older than
// what the same goroutine saw before.
func TestFaultsReaderGoroutines(t *testing.T) {
	db, _ := openTemp(t)
	commits := 500
	if os.Getenv("LODE_FAULTS_LONG") == "1" {
		commits = 20000
	}
	encode := func(g uint64) []byte { return binary.BigEndian.AppendUint64(nil, g) }
	key := func(i int) []byte { return fmt.Appendf(nil, "key%d", i) }
	var done atomic.Bool
	var checked atomic.Int64
	errs := make(chan error, 64)
	report := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var newest uint64
			for !done.Load() {
				snap, err := db.Snapshot()
				if err != nil {
					report(err)
					return
				}
				seen := map[uint64]int{}
				for i := range faultKeys {
					v, err := snap.Get("gen", key(i))
					if errors.Is(err, lode.ErrNotFound) {
						continue
					}
					if err != nil {
						report(err)
					} else {
						seen[binary.BigEndian.Uint64(v)]++
					}
				}
				it, err := snap.Prefix("gen", []byte("key"), false)
				if err != nil {
					report(err)
					snap.Close()
					return
				}
				scanned := 0
				for _, v := range it.All() {
					seen[binary.BigEndian.Uint64(v)]++
					scanned++
				}
				if err := it.Err(); err != nil {
					report(err)
				}
				it.Close()
				snap.Close()
				if len(seen) > 1 {
					report(fmt.Errorf("a snapshot saw generations %v: part of a transaction", seen))
				}
				if scanned != 0 && scanned != faultKeys {
					report(fmt.Errorf("the scan saw %d keys", scanned))
				}
				for g := range seen {
					if g < newest {
						report(fmt.Errorf("a later snapshot saw generation %d after %d", g, newest))
					}
					newest = g
				}
				checked.Add(1)
			}
		}()
	}
	for g := 1; g <= commits; g++ {
		txn, err := db.BeginWrite()
		if err != nil {
			report(err)
			break
		}
		for i := range faultKeys {
			if err := txn.Put("gen", key(i), encode(uint64(g))); err != nil {
				report(err)
			}
		}
		if err := txn.Commit(); err != nil {
			report(err)
		}
		txn.Close()
	}
	done.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if checked.Load() == 0 {
		t.Fatal("no snapshot was checked while the writer committed")
	}
	t.Logf("figure: Go goroutines (-race): %d commits, %d snapshots checked, 0 failures", commits, checked.Load())
}

// callPool is the state of one fuzzed program: handles that may be closed (using them then is
// fair: it is an error the binding reports) and, per database, whether this goroutine holds
// its write transaction (a one-shot write then would wait for itself: never made here).
type callPool struct {
	t     *testing.T
	dbs   []*lode.Database
	snaps []*lode.Snapshot
	txns  []*lode.WriteTxn
	owner []int // the database of each transaction
	iters []*lode.Iter
	data  []byte
}

func (p *callPool) byte() byte {
	if len(p.data) == 0 {
		return 0
	}
	b := p.data[0]
	p.data = p.data[1:]
	return b
}

func (p *callPool) bytes() []byte {
	n := int(p.byte() % 12)
	if n > len(p.data) {
		n = len(p.data)
	}
	b := p.data[:n]
	p.data = p.data[n:]
	return b
}

func (p *callPool) table() string {
	switch p.byte() % 8 {
	case 0:
		return ""
	case 1:
		return "bad\xff"
	case 2:
		return "a\nb"
	default:
		return string(rune('t' + p.byte()%3))
	}
}

// check fails the test on an error that is not a *lode.Error of a named kind other than
// Internal, with a message.
func (p *callPool) check(what string, err error) {
	if err == nil {
		return
	}
	var e *lode.Error
	if !errors.As(err, &e) || e.Message == "" || e.Kind == lode.ErrorKindInternal || strings.HasPrefix(e.Kind.String(), "ErrorKind(") {
		p.t.Fatalf("%s: %v (%#v)", what, err, err)
	}
}

func (p *callPool) holdsWrite(d int) bool {
	for i, txn := range p.txns {
		if p.owner[i] == d && !txn.IsFinished() {
			return true
		}
	}
	return false
}

func pick[T any](p *callPool, items []T) (T, int, bool) {
	var zero T
	if len(items) == 0 {
		return zero, -1, false
	}
	i := int(p.byte()) % len(items)
	return items[i], i, true
}

func (p *callPool) step() {
	switch p.byte() % 20 {
	case 0:
		if len(p.dbs) < 3 {
			db, err := lode.OpenInMemory()
			p.check("OpenInMemory", err)
			if err == nil {
				p.dbs = append(p.dbs, db)
			}
		}
	case 1, 2:
		if db, d, ok := pick(p, p.dbs); ok && !p.holdsWrite(d) {
			table, key, value := p.table(), p.bytes(), p.bytes()
			err := db.Put(table, key, value)
			p.check("Put", err)
			if err == nil {
				got, err := db.Get(table, key)
				if err != nil || !bytes.Equal(got, value) {
					p.t.Fatalf("Get after Put(%q, %q) = %q, %v", table, key, got, err)
				}
			}
		}
	case 3:
		if db, _, ok := pick(p, p.dbs); ok {
			_, err := db.Get(p.table(), p.bytes())
			if !errors.Is(err, lode.ErrNotFound) {
				p.check("Get", err)
			}
		}
	case 4:
		if db, d, ok := pick(p, p.dbs); ok && !p.holdsWrite(d) {
			_, err := db.Delete(p.table(), p.bytes())
			p.check("Delete", err)
		}
	case 5:
		if db, _, ok := pick(p, p.dbs); ok {
			_, err := db.Tables()
			p.check("Tables", err)
			_, err = db.Stats()
			p.check("Stats", err)
		}
	case 6:
		if db, d, ok := pick(p, p.dbs); ok && !p.holdsWrite(d) && len(p.txns) < 4 {
			txn, err := db.BeginWrite()
			p.check("BeginWrite", err)
			if err == nil {
				p.txns = append(p.txns, txn)
				p.owner = append(p.owner, d)
			}
		}
	case 7:
		if db, _, ok := pick(p, p.dbs); ok && len(p.snaps) < 6 {
			snap, err := db.Snapshot()
			p.check("Snapshot", err)
			if err == nil {
				p.snaps = append(p.snaps, snap)
			}
		}
	case 8:
		if db, _, ok := pick(p, p.dbs); ok && p.byte()%4 == 0 {
			p.check("Close", db.Close())
		}
	case 9, 10:
		if txn, _, ok := pick(p, p.txns); ok {
			table, key, value := p.table(), p.bytes(), p.bytes()
			err := txn.Put(table, key, value)
			p.check("WriteTxn.Put", err)
			if err == nil {
				got, err := txn.Get(table, key)
				if err != nil || !bytes.Equal(got, value) {
					p.t.Fatalf("WriteTxn.Get after Put = %q, %v", got, err)
				}
			}
		}
	case 11:
		if txn, _, ok := pick(p, p.txns); ok {
			_, err := txn.Delete(p.table(), p.bytes())
			p.check("WriteTxn.Delete", err)
			if p.byte()%8 == 0 {
				_, err = txn.DropTable(p.table())
				p.check("WriteTxn.DropTable", err)
			}
		}
	case 12:
		if txn, _, ok := pick(p, p.txns); ok {
			switch p.byte() % 3 {
			case 0:
				p.check("Commit", txn.Commit())
			case 1:
				p.check("Abort", txn.Abort())
			default:
				p.check("WriteTxn.Close", txn.Close())
			}
		}
	case 13, 14:
		if snap, _, ok := pick(p, p.snaps); ok && len(p.iters) < 6 {
			var it *lode.Iter
			var err error
			if p.byte()%2 == 0 {
				it, err = snap.Prefix(p.table(), p.bytes(), p.byte()%2 == 0)
			} else {
				it, err = snap.Range(p.table(), p.bytes(), p.bytes(), p.byte()%2 == 0)
			}
			p.check("Range/Prefix", err)
			if err == nil {
				p.iters = append(p.iters, it)
			}
		}
	case 15:
		if snap, _, ok := pick(p, p.snaps); ok {
			_, err := snap.Count(p.table())
			p.check("Count", err)
			if p.byte()%4 == 0 {
				p.check("Snapshot.Close", snap.Close())
			}
		}
	case 16, 17:
		if it, _, ok := pick(p, p.iters); ok {
			for n := p.byte() % 8; n > 0 && it.Next(); n-- {
				_ = append(it.Key(), it.Value()...)
			}
			p.check("Iter", it.Err())
		}
	case 18:
		if it, _, ok := pick(p, p.iters); ok {
			buf := make([]byte, int(p.byte()%64))
			n, err := it.ReadBatch(buf)
			p.check("ReadBatch", err)
			if n > uint(len(buf)) {
				p.t.Fatalf("ReadBatch wrote %d bytes into %d", n, len(buf))
			}
		}
	default:
		if it, _, ok := pick(p, p.iters); ok && p.byte()%3 == 0 {
			p.check("Iter.Close", it.Close())
		}
	}
}

// FuzzFaultsCalls interprets its input as a program of binding calls over in-memory
// databases: every call returns a result or an error of a declared kind, never Internal,
// never a panic.
func FuzzFaultsCalls(f *testing.F) {
	f.Add([]byte{0, 1, 0, 3, 't', 2, 'k', 1, 'v'})
	f.Add([]byte{0, 6, 0, 9, 0, 1, 2, 'k', 'x', 12, 0, 0, 7, 0, 13, 0, 0, 0, 16, 0, 7, 8, 0, 0})
	f.Add(bytes.Repeat([]byte{0, 7, 13, 16, 8, 15, 18, 12, 6, 9}, 8))
	f.Fuzz(func(t *testing.T, program []byte) {
		// Go's fuzzing does not notice an input that never returns: a call waiting forever
		// crashes the worker instead, which reports the input.
		hang := time.AfterFunc(20*time.Second, func() { panic("a fuzzed call sequence did not return within 20 s") })
		defer hang.Stop()
		p := &callPool{t: t, data: program}
		for len(p.data) > 0 {
			p.step()
		}
		for _, it := range p.iters {
			p.check("Iter.Close", it.Close())
		}
		for _, txn := range p.txns {
			p.check("WriteTxn.Close", txn.Close())
		}
		for _, snap := range p.snaps {
			p.check("Snapshot.Close", snap.Close())
		}
		for _, db := range p.dbs {
			p.check("Close", db.Close())
		}
	})
}
