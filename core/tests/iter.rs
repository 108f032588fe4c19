//! Iteration order and bounds, over ranges and prefixes, forward and backward.

use lode::{Database, Iter, Result, Snapshot};

fn keys(iter: Iter) -> Vec<Vec<u8>> {
    iter.map(|entry| entry.map(|(key, _)| key))
        .collect::<Result<_>>()
        .unwrap()
}

fn range(s: &Snapshot, start: Option<&[u8]>, end: Option<&[u8]>, reverse: bool) -> Vec<Vec<u8>> {
    keys(s.range("t", start, end, reverse).unwrap())
}

fn owned(keys: &[&[u8]]) -> Vec<Vec<u8>> {
    keys.iter().map(|key| key.to_vec()).collect()
}

fn reversed(keys: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut keys = owned(keys);
    keys.reverse();
    keys
}

fn snapshot_of(keys: &[&[u8]]) -> Snapshot {
    let db = Database::in_memory().unwrap();
    let txn = db.begin_write().unwrap();
    for key in keys {
        txn.put("t", key, &[key.len() as u8]).unwrap();
    }
    txn.commit().unwrap();
    db.snapshot().unwrap()
}

#[test]
fn bounds_are_half_open() {
    let all: &[&[u8]] = &[b"", b"\0", b"a", b"a\0", b"a\0b", b"ab", b"b", b"\xff"];
    let s = snapshot_of(all);

    assert_eq!(range(&s, None, None, false), owned(all));
    assert_eq!(range(&s, None, None, true), reversed(all));

    let middle: &[&[u8]] = &[b"a", b"a\0", b"a\0b", b"ab"];
    assert_eq!(range(&s, Some(b"a"), Some(b"b"), false), owned(middle));
    assert_eq!(range(&s, Some(b"a"), Some(b"b"), true), reversed(middle));

    // Start included, end excluded, in both directions.
    assert_eq!(
        range(&s, Some(b"a\0"), Some(b"ab"), false),
        owned(&[b"a\0", b"a\0b"])
    );
    assert_eq!(
        range(&s, Some(b"a\0"), Some(b"ab"), true),
        reversed(&[b"a\0", b"a\0b"])
    );
    // Bounds that are not keys.
    assert_eq!(
        range(&s, Some(b"a\0a"), Some(b"aa"), false),
        owned(&[b"a\0b"])
    );

    assert_eq!(range(&s, Some(b"b"), None, false), owned(&[b"b", b"\xff"]));
    assert_eq!(range(&s, None, Some(b"\0"), false), owned(&[b""]));
    assert_eq!(range(&s, None, Some(b"\0"), true), owned(&[b""]));
    assert_eq!(
        range(&s, Some(b""), Some(b"\0\0"), false),
        owned(&[b"", b"\0"])
    );

    // Empty ranges, including an inverted one, are empty rather than errors.
    assert!(range(&s, Some(b"a"), Some(b"a"), false).is_empty());
    assert!(range(&s, Some(b"b"), Some(b"a"), false).is_empty());
    assert!(range(&s, Some(b"b"), Some(b"a"), true).is_empty());
    assert!(range(&s, Some(b"\xff\x00"), None, false).is_empty());
    assert!(range(&s, None, Some(b""), true).is_empty());
}

#[test]
fn prefixes_handle_0xff_and_empty() {
    let all: &[&[u8]] = &[
        b"",
        b"\xfe",
        b"\xfe\xff",
        b"\xff",
        b"\xff\x00",
        b"\xff\xff",
        b"\xff\xff\xff",
        b"a",
        b"a\xff",
        b"a\xff\x00",
        b"a\xff\xff",
        b"b",
    ];
    let mut sorted = owned(all);
    sorted.sort();
    let s = snapshot_of(all);
    let prefix = |p: &[u8], reverse| keys(s.prefix("t", p, reverse).unwrap());

    assert_eq!(prefix(b"", false), sorted);
    assert_eq!(prefix(b"", true).len(), all.len());
    assert_eq!(
        prefix(b"a", false),
        owned(&[b"a", b"a\xff", b"a\xff\x00", b"a\xff\xff"])
    );
    assert_eq!(
        prefix(b"a\xff", false),
        owned(&[b"a\xff", b"a\xff\x00", b"a\xff\xff"])
    );
    assert_eq!(
        prefix(b"a\xff", true),
        reversed(&[b"a\xff", b"a\xff\x00", b"a\xff\xff"])
    );
    assert_eq!(
        prefix(b"\xff", false),
        owned(&[b"\xff", b"\xff\x00", b"\xff\xff", b"\xff\xff\xff"])
    );
    assert_eq!(
        prefix(b"\xff\xff", false),
        owned(&[b"\xff\xff", b"\xff\xff\xff"])
    );
    assert_eq!(prefix(b"\xfe", true), reversed(&[b"\xfe", b"\xfe\xff"]));
    assert!(prefix(b"c", false).is_empty());
    assert!(prefix(b"a\x00", false).is_empty());
}

#[test]
fn iteration_crosses_batches() {
    let db = Database::in_memory().unwrap();
    let txn = db.begin_write().unwrap();
    // Every key has embedded zeros; values grow so that batches are uneven.
    for i in 0u32..1000 {
        txn.put(
            "t",
            &[0, (i >> 8) as u8, 0, i as u8],
            &vec![i as u8; i as usize % 7],
        )
        .unwrap();
    }
    txn.commit().unwrap();
    let s = db.snapshot().unwrap();

    let forward: Vec<_> = s
        .range("t", None, None, false)
        .unwrap()
        .collect::<Result<_>>()
        .unwrap();
    assert_eq!(forward.len(), 1000);
    for (i, (key, value)) in forward.iter().enumerate() {
        assert_eq!(key, &[0, (i >> 8) as u8, 0, i as u8]);
        assert_eq!(value, &vec![i as u8; i % 7]);
    }

    let backward = keys(s.range("t", None, None, true).unwrap());
    let mut expected: Vec<_> = forward.into_iter().map(|(key, _)| key).collect();
    expected.reverse();
    assert_eq!(backward, expected);

    // A bounded range crossing several batches, both ways.
    let start = [0, 1, 0, 0];
    let end = [0, 3, 0, 100];
    let forward = keys(s.range("t", Some(&start), Some(&end), false).unwrap());
    assert_eq!(forward.len(), 512 + 100);
    assert_eq!(forward.first().unwrap(), &start);
    let mut backward = keys(s.range("t", Some(&start), Some(&end), true).unwrap());
    backward.reverse();
    assert_eq!(backward, forward);
    assert_eq!(keys(s.prefix("t", &[0, 2], false).unwrap()).len(), 256);
}

#[test]
fn large_values_split_batches() {
    let db = Database::in_memory().unwrap();
    let big = vec![7u8; 300_000];
    for i in 0u8..10 {
        db.put("t", &[i], &big).unwrap();
    }
    let s = db.snapshot().unwrap();
    let mut iter = s.range("t", None, None, true).unwrap();
    let mut seen = 0u8;
    while iter.advance().unwrap() {
        seen += 1;
        assert_eq!(iter.key(), [10 - seen]);
        assert_eq!(iter.value(), &big[..]);
    }
    assert_eq!(seen, 10);
}

#[test]
fn cursor_accessors_are_empty_outside_entries() {
    let s = snapshot_of(&[b"k"]);
    let mut iter = s.range("t", None, None, false).unwrap();
    assert!(iter.key().is_empty() && iter.value().is_empty());
    assert!(iter.advance().unwrap());
    assert_eq!((iter.key(), iter.value()), (&b"k"[..], &[1u8][..]));
    assert!(!iter.advance().unwrap());
    assert!(iter.key().is_empty() && iter.value().is_empty());
    assert!(!iter.advance().unwrap());
    assert!(iter.next().is_none());
}

#[test]
fn missing_tables_iterate_as_empty() {
    let s = snapshot_of(&[b"k"]);
    assert!(keys(s.range("other", None, None, false).unwrap()).is_empty());
    assert!(keys(s.prefix("other", b"", true).unwrap()).is_empty());
    assert_eq!(s.count("other").unwrap(), 0);
    assert_eq!(s.get("other", b"k").unwrap(), None);
    assert!(!s.contains("other", b"k").unwrap());
}

#[test]
fn an_iterator_outlives_its_snapshot_handle() {
    let s = snapshot_of(&[b"a", b"b"]);
    let iter = s.range("t", None, None, false).unwrap();
    drop(s);
    assert_eq!(keys(iter), owned(&[b"a", b"b"]));
}

/// Reads `iter` to the end, alternating `advance`, `advance_while` calls that each accept
/// `take` entries and refuse the next (as a binding's batch read does when its buffer is full),
/// and `next_entries`.
fn read_mixed(mut iter: Iter, take: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut seen = Vec::new();
    loop {
        let before = seen.len();
        iter.advance_while(|key, value| {
            let room = seen.len() < before + take;
            if room {
                seen.push((key.to_vec(), value.to_vec()));
            }
            room
        })
        .unwrap();
        if !iter.advance().unwrap() {
            return seen;
        }
        seen.push((iter.key().to_vec(), iter.value().to_vec()));
        let entries = iter.next_entries().unwrap();
        let batch: Vec<_> = entries
            .iter()
            .map(|(key, value)| (key.to_vec(), value.to_vec()))
            .collect();
        if let Some((key, value)) = batch.last() {
            assert_eq!((iter.key(), iter.value()), (&key[..], &value[..]));
        }
        seen.extend(batch);
    }
}

#[test]
fn advance_while_and_next_entries_hand_out_each_entry_once_mixed_with_advance() {
    let db = Database::in_memory().unwrap();
    let txn = db.begin_write().unwrap();
    for i in 0u32..1500 {
        txn.put("t", &i.to_be_bytes(), &vec![i as u8; i as usize % 5])
            .unwrap();
    }
    txn.commit().unwrap();
    let s = db.snapshot().unwrap();
    let all = |start: Option<&[u8]>, end: Option<&[u8]>, reverse| -> Vec<_> {
        s.range("t", start, end, reverse)
            .unwrap()
            .collect::<Result<_>>()
            .unwrap()
    };
    let (start, end) = (100u32.to_be_bytes(), 1400u32.to_be_bytes());
    // Refusals inside a batch, at its edges, and streaming far past it; both directions.
    for take in [0, 1, 7, 255, 256, 257, 1000, 5000] {
        for reverse in [false, true] {
            let iter = s.range("t", None, None, reverse).unwrap();
            assert_eq!(
                read_mixed(iter, take),
                all(None, None, reverse),
                "take {take}"
            );
            let iter = s.range("t", Some(&start), Some(&end), reverse).unwrap();
            assert_eq!(
                read_mixed(iter, take),
                all(Some(&start), Some(&end), reverse),
                "take {take}, bounded"
            );
        }
    }
}

#[test]
fn advance_while_reports_a_closed_snapshot_and_then_nothing() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"a", b"1").unwrap();
    let s = db.snapshot().unwrap();
    let mut iter = s.range("t", None, None, false).unwrap();
    s.close();
    let err = iter.advance_while(|_, _| true).unwrap_err();
    assert_eq!(err.kind(), lode::ErrorKind::Closed);
    let mut called = false;
    iter.advance_while(|_, _| {
        called = true;
        true
    })
    .unwrap();
    assert!(!called);
    assert!(!iter.advance().unwrap());
}

#[test]
fn next_entries_walks_whole_batches_then_reports_the_end() {
    let db = Database::in_memory().unwrap();
    let txn = db.begin_write().unwrap();
    for i in 0u32..600 {
        txn.put("t", &i.to_be_bytes(), &vec![7; i as usize % 3])
            .unwrap();
    }
    txn.commit().unwrap();
    let s = db.snapshot().unwrap();
    let mut iter = s.range("t", None, None, true).unwrap();
    let mut keys = Vec::new();
    loop {
        let entries = iter.next_entries().unwrap();
        if entries.is_empty() {
            break;
        }
        assert_eq!(entries.offsets.len(), 2 * entries.len() + 1);
        keys.extend(entries.iter().map(|(key, _)| key.to_vec()));
    }
    assert_eq!(keys, range(&s, None, None, true));
    assert!(iter.next_entries().unwrap().is_empty());
    assert!(!iter.advance().unwrap());

    let mut iter = s.range("t", None, None, false).unwrap();
    s.close();
    let err = iter.next_entries().unwrap_err();
    assert_eq!(err.kind(), lode::ErrorKind::Closed);
}
