//go:build lode_faults

// Command reader is the Go reader of damaged files for Lode's fault tests
// (tools/tests/faults/src/damaged.rs describes the protocol): it opens a file,
// verifies it if asked, scans every table, looks each key up again and dumps
// what it read. Built with -tags lode_faults (and lode_verify for -verify).
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	lode "github.com/lode-db/lode/go"
)

// verify is set by verify.go, built with the lode_verify tag.
var verify func(*lode.Database) error

// kindName gives the snake_case name every reader prints for an error's kind
// (AlreadyOpen: already_open), "unknown" for a kind the binding has no name for.
func kindName(err error) string {
	var e *lode.Error
	if !errors.As(err, &e) {
		return "untyped"
	}
	if e.Kind == lode.ErrorKindIO {
		return "io"
	}
	name := e.Kind.String()
	if strings.HasPrefix(name, "ErrorKind(") {
		return "unknown"
	}
	var out strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) && i > 0 {
			out.WriteByte('_')
		}
		out.WriteRune(unicode.ToLower(r))
	}
	return out.String()
}

func record(out *bufio.Writer, tag byte, data []byte) {
	out.WriteByte(tag)
	putValue(out, data)
}

func putValue(out *bufio.Writer, data []byte) {
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(data)))
	out.Write(n[:])
	out.Write(data)
}

// readAll scans every table into out; it returns the stage and kind where it stopped.
func readAll(db *lode.Database, out *bufio.Writer) string {
	names, err := db.Tables()
	if err != nil {
		return "read " + kindName(err)
	}
	snap, err := db.Snapshot()
	if err != nil {
		return "read " + kindName(err)
	}
	defer snap.Close()
	for _, table := range strings.Split(strings.TrimSuffix(names, "\n"), "\n") {
		if table == "" {
			continue
		}
		record(out, 'T', []byte(table))
		it, err := snap.Prefix(table, nil, false)
		if err != nil {
			return "read " + kindName(err)
		}
		for it.Next() {
			key, value := it.Key(), it.Value()
			got, err := snap.Get(table, key)
			if errors.Is(err, lode.ErrNotFound) {
				// A key the scan just gave that a lookup cannot find: the two disagree.
				it.Close()
				return "read mismatch"
			}
			if err != nil {
				it.Close()
				return "read " + kindName(err)
			}
			if !bytes.Equal(got, value) {
				it.Close()
				return "read mismatch"
			}
			record(out, 'E', key)
			putValue(out, value)
		}
		err = it.Err()
		it.Close()
		if err != nil {
			return "read " + kindName(err)
		}
	}
	return ""
}

func run(args []string) error {
	withVerify := len(args) > 0 && (args[0] == "-verify" || args[0] == "--verify")
	if withVerify {
		args = args[1:]
	}
	if len(args) != 2 {
		return errors.New("usage: reader [-verify] <file> <dump>")
	}
	dump, err := os.Create(args[1])
	if err != nil {
		return err
	}
	defer dump.Close()
	out := bufio.NewWriter(dump)
	db, err := lode.Open(args[0], lode.Options{})
	if err != nil {
		fmt.Println("open " + kindName(err))
		return nil
	}
	defer db.Close()
	fmt.Println("open ok")
	if withVerify {
		if verify == nil {
			fmt.Println("verify unavailable (built without -tags lode_verify)")
			return nil
		}
		if err := verify(db); err != nil {
			fmt.Println("verify " + kindName(err))
			return nil
		}
		fmt.Println("verify ok")
	}
	if stopped := readAll(db, out); stopped != "" {
		fmt.Println(stopped)
		return nil
	}
	if err := db.Close(); err != nil {
		fmt.Println("close " + kindName(err))
		return nil
	}
	if err := out.Flush(); err != nil {
		return err
	}
	fmt.Println("read ok")
	return nil
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "reader:", err)
		os.Exit(2)
	}
}
