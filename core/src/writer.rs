//! Which thread holds the write transaction, so that a write from that same thread fails at once
//! instead of waiting for itself forever.

use crate::error::{Error, ErrorKind, Result};
use crate::flush::Flusher;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

thread_local! {
    // This thread's number: unique for the life of the process, so that a thread that ended can
    // never be mistaken for a new one (as an address or an OS thread id could be).
    static THREAD: usize = {
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        NEXT.fetch_add(1, Ordering::Relaxed)
    };
}

fn this_thread() -> usize {
    THREAD.with(|id| *id)
}

/// The number of the thread that began the live write transaction; 0 when there is none.
#[derive(Debug, Default)]
pub(crate) struct Writer(AtomicUsize);

impl Writer {
    /// Fails if the calling thread began the write transaction that is live: waiting for the
    /// next one would wait for itself.
    pub(crate) fn check(&self) -> Result<()> {
        if self.0.load(Ordering::Acquire) == this_thread() {
            return Err(Error::new(
                ErrorKind::Busy,
                "this thread holds the database's write transaction: write through it, or \
                 commit or abort it first (waiting for the next one would wait forever)",
            ));
        }
        Ok(())
    }

    /// Records the calling thread as the writer, once it holds redb's write transaction, until
    /// the claim is dropped.
    pub(crate) fn claim(self: &Arc<Self>) -> Claim {
        let thread = this_thread();
        self.0.store(thread, Ordering::Release);
        Claim {
            writer: Arc::clone(self),
            thread,
        }
    }
}

/// The calling thread's hold on the write transaction, released when the transaction ends.
#[derive(Debug)]
pub(crate) struct Claim {
    writer: Arc<Writer>,
    thread: usize,
}

impl Drop for Claim {
    fn drop(&mut self) {
        // Only if still ours: redb may already have handed the next transaction to another
        // thread, which recorded itself.
        let _ = self
            .writer
            .0
            .compare_exchange(self.thread, 0, Ordering::AcqRel, Ordering::Relaxed);
    }
}

/// What a write transaction holds of its database while it is live.
pub(crate) struct Lease {
    // Released when the transaction ends, which drops its lease.
    _claim: Claim,
    /// The file, as messages name it.
    pub(crate) file: Arc<str>,
    flusher: Option<Arc<Flusher>>,
}

impl Lease {
    pub(crate) fn new(claim: Claim, file: Arc<str>, flusher: Option<Arc<Flusher>>) -> Self {
        Self {
            _claim: claim,
            file,
            flusher,
        }
    }

    /// Called once the transaction has committed: with `Eventual` durability, the flush thread
    /// then makes it durable within its interval.
    pub(crate) fn committed(&self) {
        if let Some(flusher) = &self.flusher {
            flusher.committed();
        }
    }
}
