//! The bound on [`Durability::Eventual`](crate::Durability::Eventual): a background thread
//! makes pending commits durable at most [`EVENTUAL_FLUSH_INTERVAL`] after the first of them.
//!
//! redb makes a non-durable commit durable with the next durable one, so the thread commits an
//! empty durable transaction. It holds the database only weakly, upgrading for the length of a
//! flush, so it never keeps a dropped database open; closing the database stops it.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a commit made with [`Durability::Eventual`](crate::Durability::Eventual) may stay
/// not yet durable: a background flush starts at most this long after it returned.
pub const EVENTUAL_FLUSH_INTERVAL: Duration = Duration::from_millis(200);

/// What a database with `Eventual` durability holds of its flush thread.
pub(crate) struct Flusher {
    signal: std::sync::Arc<Signal>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

/// What the committing threads and the flush thread share.
#[derive(Default)]
struct Signal {
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
struct State {
    // When the oldest commit not yet durable returned; `None` when there is none.
    pending_since: Option<Instant>,
    stop: bool,
}

impl Signal {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What the flush thread needs of the database: a durable commit of nothing.
pub(crate) trait Flush: Send + Sync + 'static {
    /// Makes every commit so far durable.
    fn flush(&self);
}

impl Flusher {
    /// Starts the flush thread of `db`.
    pub(crate) fn start<D: Flush>(db: Weak<D>) -> std::io::Result<Self> {
        let signal = std::sync::Arc::new(Signal::default());
        let thread = {
            let signal = std::sync::Arc::clone(&signal);
            std::thread::Builder::new()
                .name("lode-flush".into())
                .spawn(move || run(&db, &signal))?
        };
        Ok(Self {
            signal,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Records that a non-durable commit has returned: it will be flushed within the interval.
    pub(crate) fn committed(&self) {
        let mut state = self.signal.lock();
        if state.pending_since.is_none() {
            state.pending_since = Some(Instant::now());
            self.signal.wake.notify_one();
        }
    }

    /// Stops the thread and waits for it to end. Not from the flush thread itself, which never
    /// closes a database.
    pub(crate) fn stop(&self) {
        self.signal_stop();
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }

    /// Tells the thread to stop, without waiting: the database may be dropped on the flush
    /// thread itself, which must not wait for itself.
    pub(crate) fn signal_stop(&self) {
        self.signal.lock().stop = true;
        self.signal.wake.notify_one();
    }
}

fn run<D: Flush>(db: &Weak<D>, signal: &Signal) {
    loop {
        let mut state = signal.lock();
        let since = loop {
            if state.stop {
                return;
            }
            if let Some(since) = state.pending_since {
                break since;
            }
            state = signal
                .wake
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        };
        let deadline = since + EVENTUAL_FLUSH_INTERVAL;
        loop {
            if state.stop {
                return;
            }
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            state = signal
                .wake
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        // Cleared before flushing: a commit returning from now on may miss this flush, so it
        // starts the next interval.
        state.pending_since = None;
        drop(state);
        let Some(db) = db.upgrade() else {
            return;
        };
        db.flush();
    }
}
