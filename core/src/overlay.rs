//! A storage backend that reads a file and keeps every write in memory, so that redb's integrity
//! check (which repairs as it checks) can verify a file opened read-only without changing it.

use redb::StorageBackend;
use std::collections::hash_map::{Entry, HashMap};
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Writes are kept in blocks of this many bytes, each copied from the file when first written.
const BLOCK: u64 = 4096;

/// The file, seen through the writes made to it since.
#[derive(Debug)]
pub(crate) struct Overlay {
    file: File,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    // The length redb sees.
    len: u64,
    // How much of the file still shows through: shrinking hides its tail for good, so that
    // growing again shows zeros there, as a real file would.
    file_len: u64,
    blocks: HashMap<u64, Box<[u8]>>,
}

impl Overlay {
    pub(crate) fn new(file: File) -> io::Result<Self> {
        let len = file.metadata()?.len();
        Ok(Self {
            file,
            state: Mutex::new(State {
                len,
                file_len: len,
                blocks: HashMap::new(),
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Fills `out` from the file at `offset`, with zeros past what still shows of it.
    fn read_file(&self, file_len: u64, offset: u64, out: &mut [u8]) -> io::Result<()> {
        let shown = file_len.saturating_sub(offset).min(out.len() as u64) as usize;
        self.file.read_exact_at(&mut out[..shown], offset)?;
        out[shown..].fill(0);
        Ok(())
    }
}

/// The blocks a byte range touches, each with the part of the range inside it: (block, offset
/// within the block, offset within the range, length).
fn pieces(offset: u64, len: usize) -> impl Iterator<Item = (u64, usize, usize, usize)> {
    let end = offset + len as u64;
    let mut at = offset;
    std::iter::from_fn(move || {
        if at >= end {
            return None;
        }
        let block = at / BLOCK;
        let within = (at % BLOCK) as usize;
        let take = (BLOCK as usize - within).min((end - at) as usize);
        let piece = (block, within, (at - offset) as usize, take);
        at += take as u64;
        Some(piece)
    })
}

impl StorageBackend for Overlay {
    fn len(&self) -> io::Result<u64> {
        Ok(self.lock().len)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        let state = self.lock();
        if offset + out.len() as u64 > state.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "read past the end of the file",
            ));
        }
        for (block, within, at, take) in pieces(offset, out.len()) {
            let out = &mut out[at..at + take];
            match state.blocks.get(&block) {
                Some(data) => out.copy_from_slice(&data[within..within + take]),
                None => self.read_file(state.file_len, offset + at as u64, out)?,
            }
        }
        Ok(())
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let mut state = self.lock();
        if len < state.len {
            state.file_len = state.file_len.min(len);
            state.blocks.retain(|block, _| block * BLOCK < len);
            if let Some(data) = state.blocks.get_mut(&(len / BLOCK)) {
                data[(len % BLOCK) as usize..].fill(0);
            }
        }
        state.len = len;
        Ok(())
    }

    fn sync_data(&self) -> io::Result<()> {
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        let mut state = self.lock();
        let file_len = state.file_len;
        for (block, within, at, take) in pieces(offset, data.len()) {
            let copy = match state.blocks.entry(block) {
                Entry::Occupied(entry) => entry.into_mut(),
                Entry::Vacant(entry) => {
                    let mut copy = vec![0; BLOCK as usize].into_boxed_slice();
                    self.read_file(file_len, block * BLOCK, &mut copy)?;
                    entry.insert(copy)
                }
            };
            copy[within..within + take].copy_from_slice(&data[at..at + take]);
        }
        state.len = state.len.max(offset + data.len() as u64);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_stay_in_memory_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![1u8; 10_000]).unwrap();
        let overlay = Overlay::new(File::open(&path).unwrap()).unwrap();
        overlay.write(4090, &[2; 10]).unwrap();
        let mut out = vec![0; 20];
        overlay.read(4085, &mut out).unwrap();
        assert_eq!(out, [[1; 5], [2; 5], [2; 5], [1; 5]].concat());
        overlay.set_len(4095).unwrap();
        overlay.set_len(9000).unwrap();
        overlay.read(4090, &mut out[..10]).unwrap();
        assert_eq!(&out[..10], &[2, 2, 2, 2, 2, 0, 0, 0, 0, 0]);
        assert!(overlay.read(8990, &mut out).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), vec![1u8; 10_000]);
    }
}
