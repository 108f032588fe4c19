//! An in-memory storage backend whose size stays readable after redb takes ownership of it.

use redb::backends::InMemoryBackend;
use redb::StorageBackend;
use std::io;
use std::sync::Arc;

/// redb's [`InMemoryBackend`], shared so that [`Database::stats`](crate::Database::stats) can
/// report its size.
#[derive(Debug, Clone, Default)]
pub(crate) struct SharedMemory(
    Arc<InMemoryBackend>,
    // For tests: once set, writes fail as on a full disk.
    #[cfg(test)] pub(crate) Arc<std::sync::atomic::AtomicBool>,
);

impl SharedMemory {
    pub(crate) fn size(&self) -> io::Result<u64> {
        self.0.len()
    }
}

// The lock methods keep their defaults, as InMemoryBackend's do: a database in memory is never
// shared with another process.
impl StorageBackend for SharedMemory {
    fn len(&self) -> io::Result<u64> {
        self.0.len()
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        self.0.read(offset, out)
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        self.0.set_len(len)
    }

    fn sync_data(&self) -> io::Result<()> {
        self.0.sync_data()
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        #[cfg(test)]
        if self.1.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(io::ErrorKind::StorageFull.into());
        }
        self.0.write(offset, data)
    }

    fn close(&self) -> io::Result<()> {
        self.0.close()
    }
}
