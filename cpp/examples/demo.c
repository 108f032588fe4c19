/* The Lode demo in C, the same short program as in every language: a transaction, a read, a prefix scan, an error. */
#include "lode.h"

#include <stdio.h>
#include <string.h>

static DiplomatStringView str(const char* text) {
  DiplomatStringView view = {text, strlen(text)};
  return view;
}

static DiplomatU8View bytes(const char* text) {
  DiplomatU8View view = {(const uint8_t*)text, strlen(text)};
  return view;
}

static const char* kind_name(LodeErrorKind kind) {
  switch (kind) {
    case LodeErrorKind_Io: return "Io";
    case LodeErrorKind_Corrupted: return "Corrupted";
    case LodeErrorKind_Closed: return "Closed";
    case LodeErrorKind_AlreadyOpen: return "AlreadyOpen";
    case LodeErrorKind_ReadOnly: return "ReadOnly";
    case LodeErrorKind_InvalidArgument: return "InvalidArgument";
    case LodeErrorKind_TransactionFinished: return "TransactionFinished";
    case LodeErrorKind_NotFound: return "NotFound";
    case LodeErrorKind_Internal: return "Internal";
    case LodeErrorKind_Busy: return "Busy";
  }
  return "Unknown";
}

/* Prints "<what> -> error <Kind>: <message>" and frees the error. */
static void print_error(const char* what, LodeError* err) {
  DiplomatWrite* message = diplomat_buffer_write_create(64);
  LodeError_message(err, message);
  printf("%s -> error %s: %.*s\n", what, kind_name(LodeError_kind(err)),
         (int)diplomat_buffer_write_len(message), diplomat_buffer_write_get_bytes(message));
  diplomat_buffer_write_destroy(message);
  LodeError_destroy(err);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <database file>\n", argv[0]);
    return 2;
  }
  LodeOptions options = {LodeDurability_Immediate, false, 0};
  LodeDatabase_open_result opened = LodeDatabase_open(str(argv[1]), options);
  if (!opened.is_ok) {
    print_error("open", opened.err);
    return 1;
  }
  LodeDatabase* db = opened.ok;
  int status = 1;

  /* Three entries in one transaction. */
  static const char* const entries[][2] = {{"user:1", "alice"}, {"user:2", "bob"}, {"team:1", "core"}};
  LodeDatabase_begin_write_result begun = LodeDatabase_begin_write(db);
  if (!begun.is_ok) {
    print_error("begin_write", begun.err);
    goto done;
  }
  for (size_t i = 0; i < 3; i++) {
    LodeWriteTxn_put_result put =
        LodeWriteTxn_put(begun.ok, str("demo"), bytes(entries[i][0]), bytes(entries[i][1]));
    if (!put.is_ok) {
      print_error("put", put.err);
      LodeWriteTxn_destroy(begun.ok); /* unfinished: aborted */
      goto done;
    }
    printf("put %s = %s (in a transaction)\n", entries[i][0], entries[i][1]);
  }
  LodeWriteTxn_commit_result committed = LodeWriteTxn_commit(begun.ok);
  LodeWriteTxn_destroy(begun.ok);
  if (!committed.is_ok) {
    print_error("commit", committed.err);
    goto done;
  }
  printf("committed\n");

  /* Read one back: the value is written into a growable buffer. */
  DiplomatWrite* value = diplomat_buffer_write_create(64);
  LodeDatabase_get_result got = LodeDatabase_get(db, str("demo"), bytes("user:1"), value);
  if (got.is_ok) {
    printf("get user:1 -> %.*s\n", (int)diplomat_buffer_write_len(value),
           diplomat_buffer_write_get_bytes(value));
  } else {
    print_error("get user:1", got.err);
  }
  diplomat_buffer_write_destroy(value);

  /* Scan a prefix in a snapshot: advance, then read the current key and value. */
  LodeDatabase_snapshot_result snapshot = LodeDatabase_snapshot(db);
  if (!snapshot.is_ok) {
    print_error("snapshot", snapshot.err);
    goto done;
  }
  LodeSnapshot_prefix_result users = LodeSnapshot_prefix(snapshot.ok, str("demo"), bytes("user:"), false);
  if (users.is_ok) {
    printf("scan user:* ->");
    for (;;) {
      LodeIter_advance_result step = LodeIter_advance(users.ok);
      if (!step.is_ok) {
        printf("\n");
        print_error("scan", step.err);
        break;
      }
      if (!step.ok) {
        printf("\n");
        break;
      }
      DiplomatU8View k = LodeIter_key(users.ok), v = LodeIter_value(users.ok);
      printf(" %.*s=%.*s", (int)k.len, (const char*)k.data, (int)v.len, (const char*)v.data);
    }
    LodeIter_destroy(users.ok);
  } else {
    print_error("scan user:*", users.err);
  }
  LodeSnapshot_destroy(snapshot.ok);

  /* An error: every failure has a kind and a message. */
  DiplomatWrite* missing = diplomat_buffer_write_create(64);
  LodeDatabase_get_result lookup = LodeDatabase_get(db, str("demo"), bytes("user:9"), missing);
  if (lookup.is_ok) {
    printf("get user:9 -> %.*s\n", (int)diplomat_buffer_write_len(missing),
           diplomat_buffer_write_get_bytes(missing));
  } else {
    print_error("get user:9", lookup.err);
  }
  diplomat_buffer_write_destroy(missing);
  status = 0;

done:
  LodeDatabase_destroy(db); /* closes the database */
  return status;
}
