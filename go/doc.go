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
// # Closing before the program exits
//
// Go runs no cleanups when a program exits, and [os.Exit], [log.Fatal] and a fatal signal skip
// deferred calls too, so a [Database] still open then is left as a crash would leave it: every commit that returned is kept (with [DurabilityEventual], all but those of
// its last 200 ms), but the file is marked as not closed cleanly. The next writable [Open]
// repairs it, reading the whole file first; a read-only Open refuses it with [ErrCorrupted]
// ("needs a repair") until a writable one has. Close the database before exiting: defer
// db.Close() in main and return from main rather than call os.Exit, and stop on signals through
// [os/signal.NotifyContext] so that main returns.
//
// # One write transaction at a time
//
// A database has one write transaction at a time: [Database.BeginWrite] and the one-shot
// writes ([Database.Put], [Database.Delete], [Database.DropTable]) wait while a [WriteTxn] is
// open. A goroutine that holds a WriteTxn must therefore write through it: waiting for its own
// transaction would wait forever. Lode detects such a call per OS thread and fails it with
// [ErrBusy], but a goroutine is not a thread: a goroutine that keeps a WriteTxn open across a
// blocking operation should pin itself with [runtime.LockOSThread] until the transaction ends.
// Unpinned, it may resume on another thread, where its own one-shot write is no longer
// recognised and waits forever, while another goroutine the scheduler runs on its old thread
// meanwhile gets ErrBusy from a one-shot write instead of waiting its turn.
//
// # Verification
//
// redb trusts a file it closed cleanly. A file damaged since (by a disk, a copy, another
// program) gives [ErrCorrupted] where the damage breaks its structure, but a flipped bit in a
// key or a value can read back wrong without an error. [Database.Verify] reads every page and
// checks its checksum: call it after opening a file of doubtful origin.
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
