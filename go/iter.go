// Hand-written: Iter's Go cursor (Next, Key, Value, Err) and range-over-func form (All), over
// batches of entries that one ReadBatch call copies across, rather than three calls per entry.

package lode

import (
	"encoding/binary"
	"iter"
)

// batchBytes is the size of the buffer entries are read into: large enough that a call into
// Rust is spent on many entries, small enough to stay in the CPU caches.
const batchBytes = 32 << 10

// batch is the state of an Iter's Go cursor: the entries read ahead, and the current one.
// The current entry is kept as offsets, not slices: Next then writes no pointers, which the
// garbage collector's write barrier would make cost more than the rest of Next.
type batch struct {
	buf    []byte
	n, pos int // bytes of buf that hold entries; offset of the next one (the current value's end)
	// The offsets of the current key and value: buf[keyAt:valueAt] and buf[valueAt:pos]; 0 when
	// there is no current entry (an entry's key starts after its 8-byte head).
	keyAt, valueAt int
	err            error
	done           bool
}

// Next moves to the next entry and reports whether there is one. It returns false at the end
// of the range, and after an error, which Err then returns. Entries already read ahead may
// still be returned after Close; then Next returns false and Err reports [ErrClosed].
func (i *Iter) Next() bool {
	b := &i.batch
	if b.pos >= b.n && !i.fill() {
		b.keyAt, b.valueAt, b.pos = 0, 0, 0
		return false
	}
	head := b.buf[b.pos : b.pos+8 : b.pos+8]
	b.keyAt = b.pos + 8
	b.valueAt = b.keyAt + int(binary.LittleEndian.Uint32(head))
	b.pos = b.valueAt + int(binary.LittleEndian.Uint32(head[4:]))
	return true
}

// fill reads the next batch of entries; false at the end or on an error.
func (i *Iter) fill() bool {
	b := &i.batch
	if b.done {
		return false
	}
	if b.buf == nil {
		b.buf = make([]byte, batchBytes)
	}
	for {
		n, err := i.ReadBatch(b.buf)
		if err != nil || n == 0 {
			b.err, b.done, b.n, b.pos = err, true, 0, 0
			return false
		}
		b.n, b.pos = int(n), 0
		// An entry larger than the buffer arrives as its lengths alone: grow and read it again.
		need := 8 + int(binary.LittleEndian.Uint32(b.buf)) + int(binary.LittleEndian.Uint32(b.buf[4:]))
		if b.n == 8 && need > 8 {
			b.buf = make([]byte, need)
			continue
		}
		return true
	}
}

// Key returns the key of the current entry (nil before the first Next and after the end). It
// stays valid until the next call to Next: copy it to keep it.
func (i *Iter) Key() []byte {
	b := &i.batch
	if b.valueAt == 0 {
		return nil
	}
	return b.buf[b.keyAt:b.valueAt:b.valueAt]
}

// Value returns the value of the current entry (nil before the first Next and after the end).
// It stays valid until the next call to Next: copy it to keep it.
func (i *Iter) Value() []byte {
	b := &i.batch
	if b.valueAt == 0 {
		return nil
	}
	return b.buf[b.valueAt:b.pos:b.pos]
}

// Err returns the error that ended the iteration, or nil if it ran to the end (or has not).
func (i *Iter) Err() error {
	return i.batch.err
}

// All returns the remaining entries for a range-over-func loop. Each key and value stays valid
// for one turn of the loop: copy them to keep them. After the loop, Err reports whether an
// error ended it.
//
//	for key, value := range it.All() {
//		fmt.Printf("%s = %s\n", key, value)
//	}
//	if err := it.Err(); err != nil {
//		return err
//	}
func (i *Iter) All() iter.Seq2[[]byte, []byte] {
	return func(yield func(key, value []byte) bool) {
		for i.Next() {
			if !yield(i.Key(), i.Value()) {
				return
			}
		}
	}
}
