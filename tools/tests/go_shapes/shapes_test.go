// Runs the Go generated for go_shapes/bridge.rs: every shape, and use after Close.
package goshapes

import (
	"errors"
	"slices"
	"testing"
)

func TestShapes(t *testing.T) {
	th := NewThing()
	n := uint32(5)
	m := ModeB
	if got := th.Maybe(&n, &Pt{X: 3}, &m); got != 9 {
		t.Fatalf("Maybe = %d", got)
	}
	if got := th.Maybe(nil, nil, nil); got != 0 {
		t.Fatalf("Maybe(nil) = %d", got)
	}
	if _, err := th.Fail(true); !errors.Is(err, ProblemBad) || err.Error() != "goshapes: Bad" {
		t.Fatalf("Fail = %v", err)
	}
	if v, err := th.Fail(false); err != nil || v != 1 {
		t.Fatal(v, err)
	}
	if err := th.UnitFail(); !errors.Is(err, ErrFailed) {
		t.Fatal(err)
	}
	if v, ok := th.Half(4); !ok || v != 2 {
		t.Fatal(v, ok)
	}
	if _, ok := th.Half(3); ok {
		t.Fatal("half of 3")
	}
	if s, ok := th.Name(); ok || s != "" {
		t.Fatal(s, ok)
	}
	if got := th.Ints(); !slices.Equal(got, []uint32{1, 2}) {
		t.Fatal(got)
	}
	if th.Sum([]int64{1, -5, 10}) != 6 {
		t.Fatal("sum")
	}
	buf := make([]uint16, 3)
	th.Fill(buf)
	if !slices.Equal(buf, []uint16{7, 7, 7}) {
		t.Fatal(buf)
	}
	if th.Text() != "hi" || th.String() != "thing" || FreeFn(4) != 4 {
		t.Fatal("text")
	}
	th.Close()
	if _, err := th.Fail(false); !errors.Is(err, ErrClosed) {
		t.Fatal(err)
	}
}
