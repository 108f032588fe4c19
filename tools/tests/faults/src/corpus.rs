//! The corpus of damaged files: one cleanly closed database with known contents, and the cases
//! made from it (bit flips, truncations, zeroed and copied pages, garbage, an empty file, a
//! directory in its place).

use crate::rng::Rng;
use crate::workload;
use lode::{Database, Options};
use std::path::Path;

const PAGE: usize = 4096;

pub enum Content {
    Bytes(Vec<u8>),
    /// A directory where the file should be.
    Directory,
}

pub struct Case {
    pub name: String,
    pub content: Content,
    /// Whether reading it as a new, empty database is correct too (an empty file is one).
    pub may_read_empty: bool,
}

/// Writes the intact database to `path`: the workload's last transactions and a table of many
/// small entries (a B-tree several levels deep), closed cleanly.
pub fn write_base(path: &Path) -> Result<Vec<u8>, String> {
    let db = Database::open(path, &Options::default()).map_err(|e| e.to_string())?;
    for n in 0..40 {
        workload::commit(&db, n).map_err(|e| e.to_string())?;
    }
    let txn = db.begin_write().map_err(|e| e.to_string())?;
    for i in 0..1500u32 {
        let value = vec![(i % 251) as u8; 40 + (i as usize * 7) % 120];
        txn.put("bulk", format!("bulk-{i:05}").as_bytes(), &value)
            .map_err(|e| e.to_string())?;
    }
    txn.commit().map_err(|e| e.to_string())?;
    db.close().map_err(|e| e.to_string())?;
    std::fs::read(path).map_err(|e| e.to_string())
}

/// The cases made from the intact file `base`; `long` makes many more of each kind.
pub fn cases(base: &[u8], rng: &mut Rng, long: bool) -> Vec<Case> {
    let scale = if long { 12 } else { 1 };
    let len = base.len();
    let pages = len.div_ceil(PAGE);
    let mut out = vec![Case {
        name: "intact".into(),
        content: Content::Bytes(base.to_vec()),
        may_read_empty: false,
    }];
    let mut push = |name: String, bytes: Vec<u8>| {
        out.push(Case {
            may_read_empty: bytes.is_empty(),
            name,
            content: Content::Bytes(bytes),
        })
    };

    // Bit flips: densely in the first page (the header, region and allocator state), then
    // anywhere in the file.
    let mut offsets: Vec<usize> = (0..512).step_by(if long { 1 } else { 5 }).collect();
    offsets.extend((0..80 * scale).map(|_| 512 + rng.below((PAGE - 512) as u64) as usize));
    offsets.extend((0..150 * scale).map(|_| rng.below(len as u64) as usize));
    for offset in offsets {
        let bit = rng.below(8);
        let mut bytes = base.to_vec();
        bytes[offset] ^= 1 << bit;
        push(format!("flip byte {offset} bit {bit}"), bytes);
    }
    // Truncations: at page boundaries and anywhere.
    let mut lengths: Vec<usize> = (1..pages)
        .step_by(1.max(pages / (10 * scale)))
        .map(|p| p * PAGE)
        .collect();
    lengths.extend((0..30 * scale).map(|_| 1 + rng.below(len as u64 - 1) as usize));
    for cut in lengths {
        push(format!("truncated to {cut} bytes"), base[..cut].to_vec());
    }
    // Zeroed pages, and pages copied over others.
    for page in (0..pages).step_by(1.max(pages / (30 * scale))) {
        let mut bytes = base.to_vec();
        let end = ((page + 1) * PAGE).min(len);
        bytes[page * PAGE..end].fill(0);
        push(format!("page {page} zeroed"), bytes);
    }
    for _ in 0..20 * scale {
        let (from, to) = (
            rng.below(pages as u64) as usize,
            rng.below(pages as u64) as usize,
        );
        if from == to || (from + 1) * PAGE > len || (to + 1) * PAGE > len {
            continue;
        }
        let mut bytes = base.to_vec();
        bytes.copy_within(from * PAGE..(from + 1) * PAGE, to * PAGE);
        push(format!("page {from} copied over page {to}"), bytes);
    }
    // Garbage: random files of several sizes, the header kept with garbage after it, and
    // garbage appended.
    for size in [1, 100, PAGE, 3 * PAGE + 17, len] {
        let bytes = (0..size).map(|_| rng.next_u64() as u8).collect();
        push(format!("{size} random bytes"), bytes);
    }
    let mut bytes = base[..PAGE].to_vec();
    bytes.extend((PAGE..len).map(|_| rng.next_u64() as u8));
    push("the first page, then random bytes".into(), bytes);
    let mut bytes = base.to_vec();
    bytes.extend((0..3 * PAGE).map(|_| rng.next_u64() as u8));
    push("random bytes appended".into(), bytes);
    push("empty file".into(), Vec::new());
    out.push(Case {
        name: "a directory".into(),
        content: Content::Directory,
        may_read_empty: false,
    });
    out
}
