"""The Python package over the whole API: values and errors, use after close, threads, the order
objects are collected in, and leaks. Run by `cargo tools test python` (pytest; mypy --strict)."""

import dataclasses
import gc
import os
import threading
import time
import tracemalloc
from pathlib import Path
from typing import List

import pytest

import lode


def test_put_get_delete_and_the_types_of_values(tmp_path: Path) -> None:
    with lode.open(str(tmp_path / "db.lode")) as db:
        db.put("users", b"user:1", b"alice")
        db.put("users", bytearray(b"user:2"), memoryview(b"bob"))
        value = db.get("users", b"user:1")
        assert value == b"alice" and type(value) is bytes
        assert db.get("users", memoryview(b"user:2")) == b"bob"
        assert db.contains("users", b"user:2")
        assert db.delete("users", b"user:2") is True
        assert db.delete("users", b"user:2") is False
        assert db.tables() == "users\n"
        stats = db.stats()
        assert isinstance(stats, lode.Stats)
        assert (stats.tables, stats.entries) == (1, 1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            stats.entries = 5  # type: ignore[misc]
        assert db.drop_table("users") is True
        assert not db.is_closed()
    assert db.is_closed()


def test_errors_carry_their_kind_and_message() -> None:
    db = lode.open_in_memory()
    with pytest.raises(lode.NotFoundError) as missing:
        db.get("users", b"nobody")
    assert isinstance(missing.value, lode.Error)
    assert missing.value.kind is lode.ErrorKind.NOT_FOUND
    assert missing.value.message == str(missing.value) != ""
    with pytest.raises(lode.InvalidArgumentError) as invalid:
        db.put("", b"k", b"v")
    assert invalid.value.kind == lode.ErrorKind.INVALID_ARGUMENT
    assert issubclass(lode.BusyError, lode.Error) and issubclass(lode.Error, Exception)


def test_invalid_arguments_raise_before_reaching_rust(tmp_path: Path) -> None:
    db = lode.open_in_memory()
    with pytest.raises(ValueError, match="table: not valid Unicode"):
        db.put("\udc80", b"k", b"v")
    with pytest.raises(TypeError, match="key: expected a bytes-like object"):
        db.put("t", "text", b"v")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="table: expected str"):
        db.put(b"t", b"k", b"v")  # type: ignore[arg-type]
    path = str(tmp_path / "x.lode")
    with pytest.raises(ValueError, match="not a valid Durability"):
        lode.Database.open(path, lode.Options(7, False, 0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected Durability"):
        lode.Database.open(path, lode.Options("x", False, 0))  # type: ignore[arg-type]
    with pytest.raises(OverflowError, match="cache_size"):
        lode.open(path, cache_size=-1)
    with pytest.raises(TypeError, match="expected Options"):
        lode.Database.open(path, (0, False, 0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not directly"):
        lode.Database()
    assert not os.path.exists(path)


def test_transactions_commit_or_abort() -> None:
    db = lode.open_in_memory()
    with db.transaction() as txn:
        txn.put("t", b"a", b"1")
        assert txn.get("t", b"a") == b"1"
    assert db.get("t", b"a") == b"1"
    with pytest.raises(RuntimeError):
        with db.transaction() as txn:
            txn.put("t", b"b", b"2")
            raise RuntimeError("abort it")
    assert not db.contains("t", b"b")
    with db.transaction() as txn:
        txn.put("t", b"c", b"3")
        txn.commit()
    assert txn.is_finished()
    with pytest.raises(lode.TransactionFinishedError):
        txn.put("t", b"d", b"4")


def test_iteration() -> None:
    db = lode.open_in_memory()
    for i in range(100):
        db.put("t", b"k%03d" % i, b"v%d" % i)
    with db.snapshot() as snapshot:
        entries = list(snapshot.prefix("t", b"k0"))
        assert len(entries) == 100 and entries[0] == (b"k000", b"v0")
        assert [k for k, _ in snapshot.range("t", b"k010", b"k013")] == [b"k010", b"k011", b"k012"]
        assert next(snapshot.prefix("t", b"k", reverse=True))[0] == b"k099"
        assert snapshot.count("t") == 100
        assert snapshot.get("t", b"k005") == b"v5"
        it = snapshot.range("t", b"", b"")
        assert it.advance() and it.key() == b"k000" and it.value() == b"v0"
        buffer = bytearray(64)
        written = it.read_batch(buffer)
        assert 0 < written <= 64
        with pytest.raises(TypeError, match="bytearray"):
            it.read_batch(bytes(64))  # type: ignore[arg-type]


def test_use_after_close_raises_and_never_crashes() -> None:
    db = lode.open_in_memory()
    db.put("t", b"k", b"v")
    snapshot = db.snapshot()
    it = snapshot.prefix("t", b"")
    txn = db.transaction()
    db.close()
    db.close()  # idempotent
    with pytest.raises(lode.ClosedError):
        db.get("t", b"k")
    with pytest.raises(lode.ClosedError):
        snapshot.get("t", b"k")
    with pytest.raises(lode.ClosedError):
        next(it)
    with pytest.raises(lode.Error):
        txn.put("t", b"k", b"v")
    snapshot.close()
    with pytest.raises(lode.ClosedError):
        db.snapshot()


def test_children_keep_their_parents_alive_and_any_order_of_collection() -> None:
    for order in range(6):
        db = lode.open_in_memory()
        db.put("t", b"k", b"v")
        snapshot = db.snapshot()
        it = snapshot.prefix("t", b"")
        objects: List[object] = [db, snapshot, it]
        del db, snapshot
        rotation = objects[order % 3:] + objects[: order % 3]
        if order >= 3:
            rotation.reverse()
        objects.clear()
        assert next(it) == (b"k", b"v")  # the snapshot and the database are still alive
        del it
        for obj in rotation:
            del obj
        rotation.clear()
        gc.collect()


def test_a_blocked_writer_releases_the_gil() -> None:
    # A thread waiting for the write lock must let the thread that holds it run and commit: it
    # waits without the GIL, or this never finishes.
    db = lode.open_in_memory()
    txn = db.transaction()
    done = threading.Event()

    def writer() -> None:
        db.put("t", b"second", b"2")  # waits for `txn`
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.2)
    assert not done.is_set()
    txn.put("t", b"first", b"1")
    txn.commit()
    thread.join(timeout=10)
    assert done.is_set()
    assert db.get("t", b"second") == b"2"


def test_threads_read_while_one_writes(tmp_path: Path) -> None:
    db = lode.open(str(tmp_path / "db.lode"), durability=lode.Durability.EVENTUAL)
    errors: List[BaseException] = []
    stop = threading.Event()

    def write() -> None:
        try:
            for i in range(200):
                with db.transaction() as txn:
                    txn.put("t", b"%05d" % i, b"x" * 100)
        except BaseException as e:  # noqa: B902 - reported by the test
            errors.append(e)
        finally:
            stop.set()

    def read() -> None:
        try:
            last = 0
            while not stop.is_set():
                with db.snapshot() as snapshot:
                    n = sum(1 for _ in snapshot.prefix("t", b""))
                    assert n >= last
                    last = n
        except BaseException as e:  # noqa: B902 - reported by the test
            errors.append(e)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert db.snapshot().count("t") == 200
    db.close()


def rss_kib() -> int:
    """The resident set of this process, in KiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_no_leak_over_many_cycles(tmp_path: Path) -> None:
    path = str(tmp_path / "db.lode")

    def cycle(i: int) -> None:
        with lode.open(path) as db:
            db.put("t", b"k%d" % (i % 10), b"v" * 1000)
            assert db.get("t", b"k%d" % (i % 10)) == b"v" * 1000
            with db.snapshot() as snapshot:
                for _ in snapshot.prefix("t", b""):
                    pass
            with pytest.raises(lode.NotFoundError):
                db.get("t", b"missing")

    for i in range(50):
        cycle(i)  # warm up: caches, the allocator's pools
    gc.collect()
    tracemalloc.start()
    before_rss = rss_kib()
    before, _ = tracemalloc.get_traced_memory()
    for i in range(400):
        cycle(i)
    gc.collect()
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    grown_rss = rss_kib() - before_rss
    assert after - before < 64 * 1024, f"Python objects grew by {after - before} bytes"
    assert grown_rss < 8 * 1024, f"the resident set grew by {grown_rss} KiB over 400 cycles"
