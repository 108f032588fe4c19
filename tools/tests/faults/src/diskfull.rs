//! `diskfull`: commits into a small tmpfs until it is full (a clear `Io` error, and everything
//! acknowledged still there after the file system grows and the file reopens), then a
//! read-only file system (or, when not root, read-only permissions): a writable open and a new
//! file fail with `Io`, a read-only open reads the data, a write through it is `ReadOnly`.
//! Mounting needs root: without it the full disk is skipped with a message.

use lode::{Database, ErrorKind, Options};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const FILL: &str = "fill";

fn fill_value(n: u64) -> Vec<u8> {
    let mut value = vec![(n % 251) as u8; 24 * 1024];
    value[..8].copy_from_slice(&n.to_be_bytes());
    value
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1))
            == Some("0")
    })
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, options: &str) -> Result<Tmpfs, String> {
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "lode-faults"])
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if out.status.success() {
            Ok(Tmpfs(dir.to_path_buf()))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    }

    fn remount(&self, options: &str) -> Result<(), String> {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "remount,{options}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn expect_kind(
    what: &str,
    result: lode::Result<impl Sized>,
    kinds: &[ErrorKind],
) -> Result<String, String> {
    match result {
        Ok(_) => Err(format!(
            "{what} succeeded; expected an error of kind {kinds:?}"
        )),
        Err(e) if kinds.contains(&e.kind()) && !e.message().is_empty() => {
            Ok(format!("{} ({})", e.message(), e.kind()))
        }
        Err(e) => Err(format!(
            "{what}: expected kind {kinds:?}, got {} ({})",
            e.message(),
            e.kind()
        )),
    }
}

/// Checks that the file holds the fill transactions `0..=last` (and perhaps the one after).
fn check_fill(db: &Database, acked: Option<u64>) -> Result<u64, String> {
    let snapshot = db.snapshot().map_err(|e| e.to_string())?;
    let count = snapshot.count(FILL).map_err(|e| e.to_string())?;
    for n in 0..count {
        let value = snapshot
            .get(FILL, &n.to_be_bytes())
            .map_err(|e| e.to_string())?;
        if value != Some(fill_value(n)) {
            return Err(format!("fill transaction {n} is missing or damaged"));
        }
    }
    if let Some(acked) = acked {
        if count < acked + 1 {
            return Err(format!(
                "{} fill transactions found, {} were acknowledged",
                count,
                acked + 1
            ));
        }
    }
    Ok(count)
}

fn disk_full(root: &Path) -> Result<String, String> {
    let dir = root.join("full");
    std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
    let mount = match Tmpfs::mount(&dir, "size=2m") {
        Ok(mount) => mount,
        Err(e) => return Ok(format!("skipped: cannot mount a tmpfs ({e})")),
    };
    let path = dir.join("full.lode");
    let db = Database::open(&path, &Options::default()).map_err(|e| format!("open: {e}"))?;
    let mut acked: Option<u64> = None;
    let error = loop {
        let n = acked.map_or(0, |a| a + 1);
        let result = db.begin_write().and_then(|txn| {
            txn.put(FILL, &n.to_be_bytes(), &fill_value(n))?;
            txn.commit()
        });
        match result {
            Ok(()) => acked = Some(n),
            Err(e) => break e,
        }
        if n > 10_000 {
            return Err(
                "a 2 MiB file system took 10,000 commits of 24 KiB without filling up".into(),
            );
        }
    };
    if error.kind() != ErrorKind::Io {
        return Err(format!(
            "the full disk gave {} ({}), not an Io error",
            error.message(),
            error.kind()
        ));
    }
    println!(
        "diskfull: after {} commits: {error} ({})",
        acked.map_or(0, |a| a + 1),
        error.kind()
    );
    let again = expect_kind(
        "a commit after the disk filled",
        db.put(FILL, b"x", b"y"),
        &[ErrorKind::Io],
    )?;
    println!("diskfull: the next write: {again}");
    match db.close() {
        Ok(()) => println!("diskfull: close: ok"),
        Err(e) if e.kind() == ErrorKind::Io => println!("diskfull: close: {e} ({})", e.kind()),
        Err(e) => return Err(format!("close after the disk filled: {e} ({})", e.kind())),
    }
    drop(db);
    // Still full: a reopen either works (and holds everything) or fails with Io.
    match Database::open(&path, &Options::default()) {
        Ok(db) => {
            check_fill(&db, acked)?;
            let _ = db.close();
        }
        Err(e) if e.kind() == ErrorKind::Io => {
            println!("diskfull: reopening on the full disk: {e} ({})", e.kind())
        }
        Err(e) => return Err(format!("reopening on the full disk: {e} ({})", e.kind())),
    }
    mount.remount("size=16m")?;
    let db = Database::open(&path, &Options::default())
        .map_err(|e| format!("reopen after growing: {e} ({})", e.kind()))?;
    let found = check_fill(&db, acked)?;
    let n = found;
    db.put(FILL, &n.to_be_bytes(), &fill_value(n))
        .map_err(|e| format!("a commit after the file system grew: {e}"))?;
    db.close().map_err(|e| e.to_string())?;
    Ok(format!(
        "{} acknowledged commits all there after the disk filled and grew ({found} found)",
        acked.map_or(0, |a| a + 1)
    ))
}

fn read_only(root: &Path) -> Result<String, String> {
    let dir = root.join("ro");
    std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
    let root_user = is_root();
    let mount = if root_user {
        match Tmpfs::mount(&dir, "size=4m") {
            Ok(mount) => Some(mount),
            Err(e) => {
                return Ok(format!(
                    "skipped: root ignores permissions, and a tmpfs cannot be mounted ({e})"
                ))
            }
        }
    } else {
        None
    };
    let path = dir.join("ro.lode");
    let db = Database::open(&path, &Options::default()).map_err(|e| e.to_string())?;
    db.put("t", b"k", b"kept").map_err(|e| e.to_string())?;
    db.close().map_err(|e| e.to_string())?;
    let how = match &mount {
        Some(mount) => {
            mount.remount("ro")?;
            "a read-only file system"
        }
        None => {
            let set =
                |p: &Path, mode| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
            set(&path, 0o444)
                .and_then(|()| set(&dir, 0o555))
                .map_err(|e| e.to_string())?;
            "read-only permissions"
        }
    };
    let writable = expect_kind(
        "a writable open of a read-only file",
        Database::open(&path, &Options::default()),
        &[ErrorKind::Io],
    )?;
    println!("diskfull: writable open on {how}: {writable}");
    let created = expect_kind(
        "creating a file in a read-only directory",
        Database::open(dir.join("new.lode"), &Options::default()),
        &[ErrorKind::Io],
    )?;
    println!("diskfull: new file in a read-only directory: {created}");
    let db = Database::open(&path, &Options::default().read_only(true))
        .map_err(|e| format!("a read-only open of a read-only file: {e} ({})", e.kind()))?;
    if db.get("t", b"k").map_err(|e| e.to_string())?.as_deref() != Some(b"kept".as_slice()) {
        return Err("the read-only open does not read what was written".into());
    }
    let write = expect_kind(
        "a write through a read-only handle",
        db.put("t", b"k", b"no"),
        &[ErrorKind::ReadOnly],
    )?;
    println!("diskfull: write through a read-only open: {write}");
    db.close().map_err(|e| e.to_string())?;
    if mount.is_none() {
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755));
    }
    Ok(format!(
        "read-only file and directory on {how}: clear Io errors, reads work, writes ReadOnly"
    ))
}

pub fn run() -> Result<(), String> {
    let root = tempfile::tempdir().map_err(|e| e.to_string())?;
    let full = if is_root() {
        disk_full(root.path())?
    } else {
        "skipped: mounting a small tmpfs needs root".to_owned()
    };
    println!("diskfull: {full}");
    let ro = read_only(root.path())?;
    println!("diskfull: {ro}");
    println!("figure: disk full: {full}");
    println!("figure: {ro}");
    Ok(())
}
