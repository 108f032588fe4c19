/* What the C fault programs share: views of C strings, error kinds by their stable snake_case names, and taking an error apart. */
#ifndef LODE_FAULTS_H
#define LODE_FAULTS_H

#include "lode.h"

#include <string.h>

static inline DiplomatStringView faults_str(const char* text) {
  DiplomatStringView view = {text, strlen(text)};
  return view;
}

static inline DiplomatU8View faults_bytes(const void* data, size_t len) {
  DiplomatU8View view = {(const uint8_t*)data, len};
  return view;
}

/* The names the Rust crate gives the kinds (lode::ErrorKind::name), plus not_found; "unknown" for any other value, which is itself a failure. Switched
 * on as an int: 10 is Busy, which the store's mend of issue 16 appends (LodeErrorKind_Busy once its headers are merged). */
static inline const char* faults_kind_name(LodeErrorKind kind) {
  switch ((int)kind) {
    case LodeErrorKind_Busy: return "busy";
    case LodeErrorKind_Io: return "io";
    case LodeErrorKind_Corrupted: return "corrupted";
    case LodeErrorKind_Closed: return "closed";
    case LodeErrorKind_AlreadyOpen: return "already_open";
    case LodeErrorKind_ReadOnly: return "read_only";
    case LodeErrorKind_InvalidArgument: return "invalid_argument";
    case LodeErrorKind_TransactionFinished: return "transaction_finished";
    case LodeErrorKind_NotFound: return "not_found";
    case LodeErrorKind_Internal: return "internal";
  }
  return "unknown";
}

/* The kind's name, freeing the error. */
static inline const char* faults_take_kind(LodeError* err) {
  const char* name = faults_kind_name(LodeError_kind(err));
  LodeError_destroy(err);
  return name;
}

#endif /* LODE_FAULTS_H */
