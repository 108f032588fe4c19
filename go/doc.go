// Package lode is the Go binding of Lode, an embedded, crash-safe key-value store: named tables
// of byte keys mapped to byte values, kept sorted by key, in one file.
//
// Open a database, write with [Database.Put] or inside a [WriteTxn], read with [Database.Get]
// or through a [Snapshot] (a consistent view that later writes do not disturb), and iterate
// over a key range or prefix with an [Iter]:
//
//	db, err := lode.Open("app.lode", lode.Options{})
//	if err != nil {
//		return err
//	}
//	defer db.Close()
//
//	txn, err := db.BeginWrite()
//	if err != nil {
//		return err
//	}
//	defer txn.Close() // aborts the transaction unless it was committed
//	if err := txn.Put("users", []byte("user:1"), []byte("ada")); err != nil {
//		return err
//	}
//	if err := txn.Commit(); err != nil {
//		return err
//	}
//
//	value, err := db.Get("users", []byte("user:1"))
//	if errors.Is(err, lode.ErrNotFound) {
//		// no such key
//	}
//
// # Errors
//
// Every error the package returns is an [*Error] holding an [ErrorKind] and a message. Compare
// kinds with [errors.Is] against the sentinels ([ErrNotFound], [ErrClosed], ...), or read them
// with [errors.As].
//
// # Lifetimes and goroutines
//
// [Database] and [Snapshot] are safe for concurrent use. Their Close releases the store (the
// small Go handle itself is freed by the garbage collector), after which every method reports
// [ErrClosed]. [WriteTxn] and [Iter] are freed by Close, or by the garbage collector when
// unreachable; any of them may outlive the database they came from and then reports
// [ErrClosed]. Close is idempotent and may be called from any goroutine. An [Iter] is read
// from one goroutine at a time.
//
// # Performance
//
// Each call crosses into C through cgo, which costs about 30 ns; reads copy the value into Go
// memory. In loops, read with AppendGet into one reused buffer (no allocation per read), and
// iterate with [Iter.Next] or [Iter.All], which fetch entries a batch per call.
//
// A goroutine that does little but call Lode in a tight loop (a bulk load, millions of
// lookups) runs up to 20% faster pinned to its OS thread with [runtime.LockOSThread]. Go's
// scheduler preempts a goroutine that has run for 10 ms without blocking, also while it is in
// a cgo call, and the preempted goroutine often resumes on another thread (measured with Go
// 1.26), away from the caches that held what the store was reading. Pinning keeps it on its
// thread:
//
//	runtime.LockOSThread()
//	defer runtime.UnlockOSThread()
//	for _, key := range keys {
//		buf, err = snap.AppendGet(buf[:0], "users", key)
//		...
//	}
//
// # Linking
//
// The module carries Lode's static library for each platform it supports (lib/GOOS_GOARCH), so
// building needs a C compiler (cgo) but no Rust toolchain and no flags. To link your own build
// of liblode instead, build with -tags lode_external and point the linker at it, for example
// CGO_LDFLAGS=-L/path/to/dir.
//
// # ABI compatibility
//
// When the package is initialised it compares the ABI version of the linked library
// ([ABIVersion]) with the one it was generated for ([ExpectedABIVersion]) and panics with a
// message naming both if they are incompatible: a mis-linked library cannot work. Build with
// -tags lode_no_abi_check to skip that and call [CheckABI] yourself.
//
// The files named *_gen.go are generated from Lode's Rust definition of its API; the others,
// like this one, are written by hand.
package lode
