/* An LD_PRELOAD shim that logs what a process writes to one file and when it syncs it, for the power-cut replays (tools/tests/faults/src/powercut.rs).
 *
 * LODE_IOLOG_DB names the database file, LODE_IOLOG_ACKS the file the writer reports acknowledged commits to, LODE_IOLOG_OUT the log. Each record is
 * an op byte and two little-endian u64s, then data: 'W' offset, length, bytes (a write to the database, logged once it returned); 'T' length (ftruncate);
 * 'S' time (fsync or fdatasync of the database, logged once it returned); 'A' time, length, bytes (a write to the acks file); 'U' (a call on the database this shim
 * cannot replay, which fails the test). Times are CLOCK_MONOTONIC nanoseconds. One lock orders the calls and their records. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum { MAX_FD = 4096, NONE = 0, DB = 1, ACKS = 2 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char kind_of[MAX_FD];
static int log_fd = -1;
static const char* db_path;
static const char* acks_path;

static void put_all(const void* data, size_t len) {
  const char* p = data;
  while (len > 0) {
    long n = syscall(SYS_write, log_fd, p, len);
    if (n <= 0) abort(); /* a lost record would make every replay wrong */
    p += n;
    len -= (size_t)n;
  }
}

static void record(char op, uint64_t a, uint64_t b, const void* data, size_t len) {
  unsigned char header[17];
  header[0] = (unsigned char)op;
  for (int i = 0; i < 8; i++) {
    header[1 + i] = (unsigned char)(a >> (8 * i));
    header[9 + i] = (unsigned char)(b >> (8 * i));
  }
  put_all(header, sizeof header);
  if (len) put_all(data, len);
}

__attribute__((constructor)) static void iolog_start(void) {
  db_path = getenv("LODE_IOLOG_DB");
  acks_path = getenv("LODE_IOLOG_ACKS");
  const char* out = getenv("LODE_IOLOG_OUT");
  if (out) log_fd = (int)syscall(SYS_openat, AT_FDCWD, out, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
}

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int kind(int fd) { return log_fd >= 0 && fd >= 0 && fd < MAX_FD ? kind_of[fd] : NONE; }

static void opened(int fd, const char* path) {
  if (fd < 0 || fd >= MAX_FD || log_fd < 0) return;
  kind_of[fd] = db_path && strcmp(path, db_path) == 0 ? DB : acks_path && strcmp(path, acks_path) == 0 ? ACKS : NONE;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

#define OPEN_LIKE(name, ...)                                   \
  mode_t mode = 0;                                             \
  if (flags & (O_CREAT | O_TMPFILE)) {                         \
    va_list args;                                              \
    va_start(args, flags);                                     \
    mode = (mode_t)va_arg(args, int);                          \
    va_end(args);                                              \
  }                                                            \
  pthread_mutex_lock(&lock);                                   \
  int fd = REAL(name)(__VA_ARGS__, flags, mode);               \
  opened(fd, path);                                            \
  pthread_mutex_unlock(&lock);                                 \
  return fd;

int open(const char* path, int flags, ...) { OPEN_LIKE(open, path) }
int open64(const char* path, int flags, ...) { OPEN_LIKE(open64, path) }
int openat(int dir, const char* path, int flags, ...) { OPEN_LIKE(openat, dir, path) }
int openat64(int dir, const char* path, int flags, ...) { OPEN_LIKE(openat64, dir, path) }

int close(int fd) {
  pthread_mutex_lock(&lock);
  if (fd >= 0 && fd < MAX_FD) kind_of[fd] = NONE;
  int r = REAL(close)(fd);
  pthread_mutex_unlock(&lock);
  return r;
}

static ssize_t logged_pwrite(ssize_t (*real)(int, const void*, size_t, off_t), int fd, const void* buf, size_t n, off_t off) {
  pthread_mutex_lock(&lock);
  ssize_t r = real(fd, buf, n, off);
  if (r > 0 && kind(fd) == DB) record('W', (uint64_t)off, (uint64_t)r, buf, (size_t)r);
  pthread_mutex_unlock(&lock);
  return r;
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) { return logged_pwrite(REAL(pwrite), fd, buf, n, off); }
ssize_t pwrite64(int fd, const void* buf, size_t n, off_t off) { return logged_pwrite(REAL(pwrite64), fd, buf, n, off); }

ssize_t write(int fd, const void* buf, size_t n) {
  pthread_mutex_lock(&lock);
  ssize_t r = REAL(write)(fd, buf, n);
  if (r > 0 && kind(fd) == ACKS) record('A', now_ns(), (uint64_t)r, buf, (size_t)r);
  if (kind(fd) == DB) record('U', 0, 0, NULL, 0);
  pthread_mutex_unlock(&lock);
  return r;
}

static int logged_sync(int (*real)(int), int fd) {
  pthread_mutex_lock(&lock);
  int r = real(fd);
  if (r == 0 && kind(fd) == DB) record('S', now_ns(), 0, NULL, 0);
  pthread_mutex_unlock(&lock);
  return r;
}

int fsync(int fd) { return logged_sync(REAL(fsync), fd); }
int fdatasync(int fd) { return logged_sync(REAL(fdatasync), fd); }

static int logged_truncate(int (*real)(int, off_t), int fd, off_t len) {
  pthread_mutex_lock(&lock);
  int r = real(fd, len);
  if (r == 0 && kind(fd) == DB) record('T', (uint64_t)len, 0, NULL, 0);
  pthread_mutex_unlock(&lock);
  return r;
}

int ftruncate(int fd, off_t len) { return logged_truncate(REAL(ftruncate), fd, len); }
int ftruncate64(int fd, off_t len) { return logged_truncate(REAL(ftruncate64), fd, len); }

/* Calls that change the file in ways the replay does not model: logged as unsupported, so that a new write path in redb fails the test instead of going unseen. */
#define UNSUPPORTED(ret, name, params, args) \
  ret name params {                          \
    pthread_mutex_lock(&lock);               \
    ret r = REAL(name) args;                 \
    if (kind(fd) == DB) record('U', 0, 0, NULL, 0); \
    pthread_mutex_unlock(&lock);             \
    return r;                                \
  }

UNSUPPORTED(ssize_t, writev, (int fd, const struct iovec* iov, int n), (fd, iov, n))
UNSUPPORTED(ssize_t, pwritev, (int fd, const struct iovec* iov, int n, off_t off), (fd, iov, n, off))
UNSUPPORTED(ssize_t, pwritev2, (int fd, const struct iovec* iov, int n, off_t off, int flags), (fd, iov, n, off, flags))
UNSUPPORTED(int, fallocate, (int fd, int mode, off_t off, off_t len), (fd, mode, off, len))
UNSUPPORTED(int, sync_file_range, (int fd, off_t off, off_t len, unsigned int flags), (fd, off, len, flags))
