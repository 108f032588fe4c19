// FuzzPutGet: arbitrary table names, keys and values either round-trip or fail with a clear
// error (an *lode.Error of kind InvalidArgument), never anything else.
package lode_test

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	lode "github.com/lode-db/lode/go"
)

var fuzzDB = sync.OnceValues(lode.OpenInMemory)

func FuzzPutGet(f *testing.F) {
	f.Add("t", []byte("key"), []byte("value"))
	f.Add("", []byte{}, []byte{})
	f.Add("bad\xff", []byte{0}, []byte{0, 1})
	f.Add("名前", bytes.Repeat([]byte{0xff}, 300), []byte("x"))
	f.Fuzz(func(t *testing.T, table string, key, value []byte) {
		db, err := fuzzDB()
		if err != nil {
			t.Fatal(err)
		}
		// Table names hold no control characters (U+0000 to U+001F, U+007F).
		control := strings.ContainsFunc(table, func(r rune) bool { return r < 0x20 || r == 0x7f })
		valid := table != "" && len(table) <= 255 && utf8.ValidString(table) && !control && len(key) <= 65536
		err = db.Put(table, key, value)
		if !valid {
			var e *lode.Error
			if !errors.As(err, &e) || e.Kind != lode.ErrorKindInvalidArgument || e.Message == "" {
				t.Fatalf("Put(%q, %d-byte key) = %v, want an InvalidArgument error", table, len(key), err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Put(%q, %q) = %v", table, key, err)
		}
		got, err := db.Get(table, key)
		if err != nil || !bytes.Equal(got, value) {
			t.Fatalf("Get(%q, %q) = %q, %v; want %q", table, key, got, err, value)
		}
		if _, err := db.Delete(table, key); err != nil {
			t.Fatal(err)
		}
	})
}
