"""The Lode demo in Python, the same short program as in every language: a transaction, a read,
a prefix scan, an error. Usage: python examples/demo.py DATABASE_FILE"""

import sys

import lode


def main(path: str) -> None:
    entries = [(b"user:1", b"alice"), (b"user:2", b"bob"), (b"team:1", b"core")]
    with lode.open(path) as db:
        # Three entries in one transaction: it commits when the block ends.
        with db.transaction() as txn:
            for key, value in entries:
                txn.put("demo", key, value)
                print(f"put {key.decode()} = {value.decode()} (in a transaction)")
        print("committed")

        print(f"get user:1 -> {db.get('demo', b'user:1').decode()}")

        # Scan a prefix in a snapshot.
        with db.snapshot() as snapshot:
            found = "".join(f" {k.decode()}={v.decode()}" for k, v in snapshot.prefix("demo", b"user:"))
            print(f"scan user:* ->{found}")

        # An error: every failure has a kind and a message.
        try:
            print(f"get user:9 -> {db.get('demo', b'user:9').decode()}")
        except lode.Error as e:
            kind = "".join(word.capitalize() for word in e.kind.name.split("_"))
            print(f"get user:9 -> error {kind}: {e.message}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} <database file>")
    main(sys.argv[1])
