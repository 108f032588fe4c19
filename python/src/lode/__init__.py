"""Lode: an embedded, crash-safe key-value store (Rust, on redb).

Named tables of byte keys mapped to byte values::

    import lode

    with lode.open("app.lode") as db:                      # closed when the block ends
        with db.transaction() as txn:                      # commits, or aborts on an exception
            txn.put("users", b"user:1", b"alice")
        with db.snapshot() as snapshot:                    # a consistent view, released at the end
            for key, value in snapshot.prefix("users", b"user:"):
                print(key, value)
        try:
            db.get("users", b"user:9")
        except lode.NotFoundError as e:                    # one subclass of lode.Error per kind
            print(e.kind, e.message)

Keys and values are bytes (any buffer: bytes, bytearray, memoryview); table names are str.
Calls that wait for the disk or for the write lock release the GIL. The classes come from the
generated extension (`lode._lode`) and its Python half (`lode._types`); this module adds the
idioms.
"""

from ._lode import Database, Iter, Snapshot, WriteTxn
from ._types import (
    AlreadyOpenError,
    BusyError,
    ClosedError,
    CorruptedError,
    Durability,
    Error,
    ErrorKind,
    InternalError,
    InvalidArgumentError,
    IoError,
    NotFoundError,
    Options,
    ReadOnlyError,
    Stats,
    TransactionFinishedError,
)

__all__ = [
    "AlreadyOpenError",
    "BusyError",
    "ClosedError",
    "CorruptedError",
    "Database",
    "Durability",
    "Error",
    "ErrorKind",
    "InternalError",
    "InvalidArgumentError",
    "IoError",
    "Iter",
    "NotFoundError",
    "Options",
    "ReadOnlyError",
    "Snapshot",
    "Stats",
    "TransactionFinishedError",
    "WriteTxn",
    "open",
    "open_in_memory",
    "version",
]


def open(  # noqa: A001 - lode.open, as io.open and dbm.open
    path: str,
    *,
    durability: Durability = Durability.IMMEDIATE,
    read_only: bool = False,
    cache_size: int = 0,
) -> Database:
    """Opens the database file at `path`, creating it if it is missing.

    `durability`: when commits reach the disk; `read_only`: open without write access (the file
    must exist); `cache_size`: the page cache in bytes (0: the default). Use it in a `with`
    block, or call `close()`.
    """
    return Database.open(path, Options(durability, read_only, cache_size))


def open_in_memory() -> Database:
    """Opens a new, empty database that lives in memory only."""
    return Database.open_in_memory()


def version() -> str:
    """The version of the loaded library, e.g. `0.2.0`."""
    return Database.version()

