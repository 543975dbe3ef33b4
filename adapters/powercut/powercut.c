// asl-powercut: the power-cut interposer of the durability capability (DEC-040).
//
// Loaded with LD_PRELOAD into an implementation under test, it records what that implementation has made
// durable under one data directory, so that a simulated power cut (adapters/powercut/powercut.ts,
// powerCut) can roll every file and directory entry back to that state. The model (DEC-040):
//  - a file's content becomes durable at fsync/fdatasync of any descriptor of it, at a write through a
//    descriptor opened with O_SYNC/O_DSYNC (that write's bytes), at pwritev2 with RWF_SYNC/RWF_DSYNC (that
//    write's bytes) and at msync(MS_SYNC) of a shared file mapping (the synced range);
//  - a directory's entries (creates, renames, unlinks in it) become durable at fsync/fdatasync of the
//    directory;
//  - sync(), and syncfs() on the data directory's file system, make the whole data directory durable.
// Nothing else does: not close, not rename, not sync_file_range (which promises nothing about a crash).
//
// Only the sync family is intercepted; the bytes are read back from the file itself when it is synced,
// so no write path needs to be followed except the synchronous ones above. What is durable is kept in
// the shadow directory: files/<key> the durable content of the file whose identity is <key>,
// dirs/<key> the durable listing of the directory whose identity is <key>, root the data directory's key.
// A key is "<st_dev>-<st_ino>-<birth time in ns>", so a rename keeps a file's content and a reused inode
// number (same st_ino, later birth) does not inherit a dead file's content.
//
// Safety: with ASL_POWERCUT_DATA or ASL_POWERCUT_SHADOW absent, every function passes straight through.
// The library never writes under the data directory (only reads it) and never calls a function it
// intercepts through its own symbol (the real ones come from dlsym(RTLD_NEXT)). A mutex serialises the
// recording (libuv calls fsync from its thread pool); pthread_atfork keeps a fork from inheriting it held.
// A sync that succeeded but could not be recorded returns -1/EIO with a message on stderr: the program is
// told that durability was not achieved rather than the record silently missing it.
//
// Built with -DASL_POWERCUT_TOOL it is instead the command `asl-powercut snapshot DATA SHADOW`, which
// records the whole data directory as durable with the same code (preparePowercut).
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef RWF_DSYNC
#define RWF_DSYNC 0x00000002
#endif
#ifndef RWF_SYNC
#define RWF_SYNC 0x00000004
#endif

#define CHUNK (64 * 1024)
#define KEY_MAX 96

typedef int (*fsync_fn)(int);
typedef void (*sync_fn)(void);
typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);
typedef ssize_t (*pwritev_fn)(int, const struct iovec *, int, off_t);
typedef ssize_t (*pwritev2_fn)(int, const struct iovec *, int, off_t, int);
typedef int (*msync_fn)(void *, size_t, int);

static fsync_fn real_fsync, real_fdatasync, real_syncfs;
static sync_fn real_sync;
static write_fn real_write;
static pwrite_fn real_pwrite, real_pwrite64;
static writev_fn real_writev;
static pwritev_fn real_pwritev, real_pwritev64;
static pwritev2_fn real_pwritev2, real_pwritev64v2;
static msync_fn real_msync;

static int active;                    // both variables present and the data directory resolved
static char data_dir[PATH_MAX];       // realpath of ASL_POWERCUT_DATA
static size_t data_len;
static char shadow_dir[PATH_MAX];     // ASL_POWERCUT_SHADOW
static dev_t data_dev;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t resolved = PTHREAD_ONCE_INIT;
static unsigned char buf_a[CHUNK], buf_b[CHUNK]; // used only under the lock

static void *next(const char *name) { return dlsym(RTLD_NEXT, name); }

static void resolve(void) {
  real_fsync = (fsync_fn)next("fsync");
  real_fdatasync = (fsync_fn)next("fdatasync");
  real_syncfs = (fsync_fn)next("syncfs");
  real_sync = (sync_fn)next("sync");
  real_write = (write_fn)next("write");
  real_pwrite = (pwrite_fn)next("pwrite");
  real_pwrite64 = (pwrite_fn)next("pwrite64");
  real_writev = (writev_fn)next("writev");
  real_pwritev = (pwritev_fn)next("pwritev");
  real_pwritev64 = (pwritev_fn)next("pwritev64");
  real_pwritev2 = (pwritev2_fn)next("pwritev2");
  real_pwritev64v2 = (pwritev2_fn)next("pwritev64v2");
  real_msync = (msync_fn)next("msync");
}

static void ensure(void) { pthread_once(&resolved, resolve); }

// Writes all of [p, p+n) at offset off of fd, through the real pwrite.
static int put_all(int fd, const void *p, size_t n, off_t off) {
  const unsigned char *c = p;
  while (n > 0) {
    ssize_t w = (real_pwrite ? real_pwrite : pwrite)(fd, c, n, off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    c += w;
    n -= (size_t)w;
    off += w;
  }
  return 0;
}

static void complain(const char *what, const char *detail, int err) {
  char msg[PATH_MAX + 256];
  int n = snprintf(msg, sizeof msg, "asl-powercut: could not record %s (%s): %s\n", what, detail,
                   strerror(err));
  if (n > 0) (void)!(real_write ? real_write : write)(2, msg, (size_t)(n < (int)sizeof msg ? n : (int)sizeof msg - 1));
}

// ---- identities ------------------------------------------------------------------------------------
static void key_from(const struct statx *sx, char *key) {
  long long bt = (long long)sx->stx_btime.tv_sec * 1000000000LL + (long long)sx->stx_btime.tv_nsec;
  if (!(sx->stx_mask & STATX_BTIME)) bt = 0;
  snprintf(key, KEY_MAX, "%llu-%llu-%lld",
           (unsigned long long)makedev(sx->stx_dev_major, sx->stx_dev_minor),
           (unsigned long long)sx->stx_ino, bt);
}

static int stat_at(int dirfd, const char *name, int flags, struct statx *sx) {
  return statx(dirfd, name, flags | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME, sx);
}

// Whether the open file fd is the data directory or lies under it (its current path, from /proc).
static int under_data(int fd) {
  char link[64], path[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return 0;
  path[n] = 0;
  if (strncmp(path, data_dir, data_len) != 0) return 0;
  return path[data_len] == 0 || path[data_len] == '/';
}

static int shadow_path(char *out, const char *kind, const char *key) {
  int n = snprintf(out, PATH_MAX, "%s/%s/%s", shadow_dir, kind, key);
  return n > 0 && n < PATH_MAX ? 0 : -1;
}

// ---- recording ---------------------------------------------------------------------------------------
// Makes files/<key> equal to the whole content readable from src. The shadow file is updated in place,
// chunk by chunk where it differs, then cut to the source's length: a process killed in the middle of
// this leaves old durable content overlaid with some of the new chunks, which is what a power loss during
// an fsync that has not returned can leave too. Cost: one read of the file per sync, writes only where it
// changed.
static int record_content(int src, const char *key) {
  char path[PATH_MAX];
  if (shadow_path(path, "files", key) < 0) return (errno = ENAMETOOLONG), -1;
  int dst = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (dst < 0) return -1;
  off_t off = 0;
  for (;;) {
    ssize_t n = pread(src, buf_a, CHUNK, off);
    if (n < 0) {
      if (errno == EINTR) continue;
      goto fail;
    }
    if (n == 0) break;
    ssize_t m = pread(dst, buf_b, (size_t)n, off);
    if (m < 0) goto fail;
    if (m != n || memcmp(buf_a, buf_b, (size_t)n) != 0)
      if (put_all(dst, buf_a, (size_t)n, off) < 0) goto fail;
    off += n;
  }
  if (ftruncate(dst, off) < 0) goto fail;
  close(dst);
  return 0;
fail: {
  int e = errno;
  close(dst);
  errno = e;
  return -1;
}
}

// Writes [p, p+n) at offset off into files/<key> (a synchronous write made that range durable).
static int record_range(const char *key, const struct iovec *iov, int cnt, size_t n, off_t off) {
  char path[PATH_MAX];
  if (shadow_path(path, "files", key) < 0) return (errno = ENAMETOOLONG), -1;
  int dst = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (dst < 0) return -1;
  for (int i = 0; i < cnt && n > 0; i++) {
    size_t k = iov[i].iov_len < n ? iov[i].iov_len : n;
    if (put_all(dst, iov[i].iov_base, k, off) < 0) {
      int e = errno;
      close(dst);
      errno = e;
      return -1;
    }
    off += (off_t)k;
    n -= k;
  }
  close(dst);
  return 0;
}

struct growbuf {
  char *p;
  size_t n, cap;
};

static int gb_put(struct growbuf *b, const void *s, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return (errno = ENOMEM), -1;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  return 0;
}

static int gb_printf(struct growbuf *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0 || n >= (int)sizeof tmp) return (errno = EOVERFLOW), -1;
  return gb_put(b, tmp, (size_t)n);
}

// Replaces a shadow file as a whole (temp file, then rename within the shadow): a process killed in the
// middle leaves the old record or the new one.
static int replace_file(const char *kind, const char *key, const char *p, size_t n) {
  char path[PATH_MAX], tmp[PATH_MAX + 64];
  if (shadow_path(path, kind, key) < 0) return (errno = ENAMETOOLONG), -1;
  snprintf(tmp, sizeof tmp, "%s.tmp-%ld-%lu", path, (long)getpid(), (unsigned long)pthread_self());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  if (put_all(fd, p, n, 0) < 0 || close(fd) < 0) {
    int e = errno;
    unlink(tmp);
    errno = e;
    return -1;
  }
  if (rename(tmp, path) < 0) {
    int e = errno;
    unlink(tmp);
    errno = e;
    return -1;
  }
  return 0;
}

// The listing of an open directory, as dirs/<key>: a header line, then per entry
// "<type> <mode> <key> <name length> <name>" and, for a symbolic link, " <target length> <target>", then
// a newline. Type: f regular file, d directory, l symbolic link, o anything else. Names are raw bytes.
// With `deep`, regular files' contents and subdirectories are recorded too (sync(), the snapshot).
static int record_dir(int dirfd, const char *key, int deep);

static int record_entry(int dirfd, const char *name, struct growbuf *b, int deep) {
  struct statx sx;
  char k[KEY_MAX];
  if (stat_at(dirfd, name, 0, &sx) < 0) return errno == ENOENT ? 0 : -1; // gone since readdir
  key_from(&sx, k);
  char type = S_ISREG(sx.stx_mode) ? 'f' : S_ISDIR(sx.stx_mode) ? 'd' : S_ISLNK(sx.stx_mode) ? 'l' : 'o';
  size_t len = strlen(name);
  if (gb_printf(b, "%c %o %s %zu ", type, (unsigned)(sx.stx_mode & 07777), k, len) < 0) return -1;
  if (gb_put(b, name, len) < 0) return -1;
  if (type == 'l') {
    char target[PATH_MAX];
    ssize_t t = readlinkat(dirfd, name, target, sizeof target);
    if (t < 0) return -1;
    if (gb_printf(b, " %zd ", t) < 0 || gb_put(b, target, (size_t)t) < 0) return -1;
  }
  if (gb_put(b, "\n", 1) < 0) return -1;
  if (deep && (type == 'f' || type == 'd')) {
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (type == 'd' ? O_DIRECTORY : 0));
    if (fd < 0) return errno == ENOENT ? 0 : -1;
    int r = type == 'd' ? record_dir(fd, k, 1) : record_content(fd, k);
    int e = errno;
    close(fd);
    errno = e;
    if (r < 0) return -1;
  }
  return 0;
}

static int record_dir(int dirfd, const char *key, int deep) {
  int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  DIR *d = fdopendir(fd);
  if (!d) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  struct growbuf b = {0};
  int r = gb_printf(&b, "asl-powercut-dir/1\n");
  struct dirent *de;
  errno = 0;
  while (r == 0 && (de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    r = record_entry(fd, de->d_name, &b, deep);
    if (r == 0) errno = 0;
  }
  if (r == 0 && errno != 0) r = -1; // readdir failed
  if (r == 0) r = replace_file("dirs", key, b.p, b.n);
  int e = errno;
  free(b.p);
  closedir(d);
  errno = e;
  return r;
}

// Everything under the data directory becomes durable (sync(), syncfs(), the snapshot).
static int record_tree(void) {
  int fd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct statx sx;
  char k[KEY_MAX];
  int r = stat_at(fd, "", AT_EMPTY_PATH, &sx);
  if (r == 0) {
    key_from(&sx, k);
    r = record_dir(fd, k, 1);
  }
  int e = errno;
  close(fd);
  errno = e;
  return r;
}

// ---- the interposed functions ------------------------------------------------------------------------
// After a successful fsync/fdatasync of fd: record its content (a regular file) or listing (a directory)
// when it lies under the data directory. Returns 0, or -1 with errno when it could not be recorded.
static int capture_sync(int fd) {
  struct statx sx;
  if (stat_at(fd, "", AT_EMPTY_PATH, &sx) < 0) return 0; // not ours to judge: the sync itself succeeded
  if (!S_ISREG(sx.stx_mode) && !S_ISDIR(sx.stx_mode)) return 0;
  if (!under_data(fd)) return 0;
  char k[KEY_MAX];
  key_from(&sx, k);
  char self[64];
  snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
  // A fresh read-only description of the same file: fd may be write-only or O_DIRECT.
  int rd = open(self, O_RDONLY | O_CLOEXEC | (S_ISDIR(sx.stx_mode) ? O_DIRECTORY : 0));
  if (rd < 0) {
    complain("a sync", self, errno);
    return -1;
  }
  pthread_mutex_lock(&lock);
  int r = S_ISDIR(sx.stx_mode) ? record_dir(rd, k, 0) : record_content(rd, k);
  int e = errno;
  pthread_mutex_unlock(&lock);
  close(rd);
  if (r < 0) {
    complain(S_ISDIR(sx.stx_mode) ? "a directory's entries" : "a file's content", k, e);
    errno = EIO;
    return -1;
  }
  return 0;
}

// The harness's hold (SHADOW/hold, absent unless it asks): a count N of syncs to let through. Each sync
// of a file or directory under the data directory counts one down; the one that finds 1 writes "held"
// and stops the process for good, before the sync: the harness then kills it, and the power cut finds
// that sync's bytes not durable. This is how a crash check lands a kill just before an operation's
// N-th sync, which no timing from outside can do reliably.
static void maybe_hold(int fd) {
  if (!active || !under_data(fd)) return;
  int saved = errno;
  char path[PATH_MAX], buf[32];
  if (snprintf(path, sizeof path, "%s/hold", shadow_dir) >= (int)sizeof path) return;
  int c = open(path, O_RDWR | O_CLOEXEC);
  if (c < 0) {
    errno = saved;
    return;
  }
  ssize_t n = pread(c, buf, sizeof buf - 1, 0);
  long left = 0;
  if (n > 0) {
    buf[n] = 0;
    left = strtol(buf, NULL, 10);
  }
  if (left > 1) {
    int m = snprintf(buf, sizeof buf, "%ld\n", left - 1);
    if (ftruncate(c, 0) < 0 || pwrite(c, buf, m, 0) != m) {}
  } else if (left == 1) {
    if (ftruncate(c, 0) < 0 || pwrite(c, "held\n", 5, 0) != 5) {}
    close(c);
    for (;;) pause();
  }
  close(c);
  errno = saved;
}

static int after_sync(int r, int fd) {
  if (r != 0 || !active) return r;
  int saved = errno;
  if (capture_sync(fd) < 0) return -1; // errno is EIO
  errno = saved;
  return 0;
}

int fsync(int fd) {
  ensure();
  maybe_hold(fd);
  return after_sync(real_fsync(fd), fd);
}

int fdatasync(int fd) {
  ensure();
  maybe_hold(fd);
  return after_sync(real_fdatasync(fd), fd);
}

void sync(void) {
  ensure();
  real_sync();
  if (!active) return;
  int saved = errno;
  pthread_mutex_lock(&lock);
  int r = record_tree();
  int e = errno;
  pthread_mutex_unlock(&lock);
  if (r < 0) complain("sync()", data_dir, e); // sync() cannot report a failure
  errno = saved;
}

int syncfs(int fd) {
  ensure();
  int r = real_syncfs(fd);
  if (r != 0 || !active) return r;
  struct stat st;
  if (fstat(fd, &st) < 0 || st.st_dev != data_dev) return r;
  int saved = errno;
  pthread_mutex_lock(&lock);
  int q = record_tree();
  int e = errno;
  pthread_mutex_unlock(&lock);
  if (q < 0) {
    complain("syncfs()", data_dir, e);
    errno = EIO;
    return -1;
  }
  errno = saved;
  return 0;
}

// After a write of n > 0 bytes at offset off (-1: the descriptor's position, already advanced): when the
// descriptor is O_SYNC/O_DSYNC (or the call asked for RWF_*SYNC) and names a file under the data
// directory, those bytes are durable.
static ssize_t after_write(ssize_t n, int fd, const struct iovec *iov, int cnt, off_t off, int forced) {
  if (n <= 0 || !active) return n;
  int saved = errno;
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0 || (!forced && !(fl & O_DSYNC))) goto out; // O_SYNC includes the O_DSYNC bit
  struct statx sx;
  if (stat_at(fd, "", AT_EMPTY_PATH, &sx) < 0 || !S_ISREG(sx.stx_mode) || !under_data(fd)) goto out;
  if (off < 0 || (fl & O_APPEND)) {
    // write(): the position has moved past the bytes; with O_APPEND (pwrite appends too on Linux) the
    // bytes end at the position, or at the end of the file for pwrite.
    off_t end = off < 0 ? lseek(fd, 0, SEEK_CUR) : (off_t)sx.stx_size;
    if (end < 0) goto out;
    off = end - n;
  }
  char k[KEY_MAX];
  key_from(&sx, k);
  pthread_mutex_lock(&lock);
  int r = record_range(k, iov, cnt, (size_t)n, off);
  int e = errno;
  pthread_mutex_unlock(&lock);
  if (r < 0) {
    complain("a synchronous write", k, e);
    errno = EIO;
    return -1;
  }
out:
  errno = saved;
  return n;
}

ssize_t write(int fd, const void *p, size_t n) {
  ensure();
  ssize_t r = real_write(fd, p, n);
  if (r <= 0 || !active) return r;
  struct iovec v = {(void *)p, n};
  return after_write(r, fd, &v, 1, -1, 0);
}

ssize_t pwrite(int fd, const void *p, size_t n, off_t off) {
  ensure();
  ssize_t r = real_pwrite(fd, p, n, off);
  if (r <= 0 || !active) return r;
  struct iovec v = {(void *)p, n};
  return after_write(r, fd, &v, 1, off, 0);
}

ssize_t pwrite64(int fd, const void *p, size_t n, off_t off) {
  ensure();
  ssize_t r = real_pwrite64(fd, p, n, off);
  if (r <= 0 || !active) return r;
  struct iovec v = {(void *)p, n};
  return after_write(r, fd, &v, 1, off, 0);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt) {
  ensure();
  ssize_t r = real_writev(fd, iov, cnt);
  if (r <= 0 || !active) return r;
  return after_write(r, fd, iov, cnt, -1, 0);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off) {
  ensure();
  ssize_t r = real_pwritev(fd, iov, cnt, off);
  if (r <= 0 || !active) return r;
  return after_write(r, fd, iov, cnt, off, 0);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off) {
  ensure();
  ssize_t r = real_pwritev64(fd, iov, cnt, off);
  if (r <= 0 || !active) return r;
  return after_write(r, fd, iov, cnt, off, 0);
}

ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off, int flags) {
  ensure();
  ssize_t r = real_pwritev2(fd, iov, cnt, off, flags);
  if (r <= 0 || !active) return r;
  return after_write(r, fd, iov, cnt, off, (flags & (RWF_DSYNC | RWF_SYNC)) != 0);
}

ssize_t pwritev64v2(int fd, const struct iovec *iov, int cnt, off_t off, int flags) {
  ensure();
  ssize_t r = real_pwritev64v2(fd, iov, cnt, off, flags);
  if (r <= 0 || !active) return r;
  return after_write(r, fd, iov, cnt, off, (flags & (RWF_DSYNC | RWF_SYNC)) != 0);
}

// msync(MS_SYNC) of a shared mapping of a file under the data directory: the synced range of the file
// becomes durable. The mapping's file and offset come from /proc/self/maps; the bytes are read back
// from the file (a shared mapping and the file's page cache are the same pages).
static int capture_msync(uintptr_t addr, size_t len) {
  FILE *maps = fopen("/proc/self/maps", "re");
  if (!maps) return 0;
  char line[PATH_MAX + 256];
  int r = 0;
  while (r == 0 && fgets(line, sizeof line, maps)) {
    unsigned long start, end, offset, inode;
    char perms[8];
    int pos = 0;
    if (sscanf(line, "%lx-%lx %7s %lx %*s %lu %n", &start, &end, perms, &offset, &inode, &pos) < 5) continue;
    if (inode == 0 || perms[3] != 's' || end <= addr || start >= addr + len) continue;
    char *path = line + pos;
    path[strcspn(path, "\n")] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    struct statx sx;
    if (stat_at(fd, "", AT_EMPTY_PATH, &sx) == 0 && S_ISREG(sx.stx_mode) && sx.stx_ino == inode &&
        under_data(fd)) {
      uintptr_t a = addr > start ? addr : start, b = addr + len < end ? addr + len : end;
      off_t from = (off_t)(offset + (a - start));
      off_t to = (off_t)(offset + (b - start));
      if (to > (off_t)sx.stx_size) to = (off_t)sx.stx_size;
      char k[KEY_MAX];
      key_from(&sx, k);
      char dpath[PATH_MAX];
      pthread_mutex_lock(&lock);
      int dst = shadow_path(dpath, "files", k) < 0 ? -1 : open(dpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (dst < 0) r = -1;
      for (off_t o = from; r == 0 && o < to;) {
        size_t want = (size_t)(to - o) < CHUNK ? (size_t)(to - o) : CHUNK;
        ssize_t n = pread(fd, buf_a, want, o);
        if (n <= 0) break;
        if (put_all(dst, buf_a, (size_t)n, o) < 0) r = -1;
        o += n;
      }
      int e = errno;
      if (dst >= 0) close(dst);
      pthread_mutex_unlock(&lock);
      if (r < 0) complain("msync()", k, e);
    }
    close(fd);
  }
  fclose(maps);
  return r;
}

int msync(void *addr, size_t len, int flags) {
  ensure();
  int r = real_msync(addr, len, flags);
  if (r != 0 || !active || !(flags & MS_SYNC)) return r;
  int saved = errno;
  if (capture_msync((uintptr_t)addr, len) < 0) {
    errno = EIO;
    return -1;
  }
  errno = saved;
  return 0;
}

// ---- set-up --------------------------------------------------------------------------------------------
static int configure(const char *data, const char *shadow) {
  if (!data || !*data || !shadow || !*shadow) return -1;
  if (!realpath(data, data_dir)) return -1;
  if (strlen(shadow) >= sizeof shadow_dir) return -1;
  strcpy(shadow_dir, shadow);
  data_len = strlen(data_dir);
  while (data_len > 1 && data_dir[data_len - 1] == '/') data_dir[--data_len] = 0;
  struct stat st;
  if (stat(data_dir, &st) < 0) return -1;
  data_dev = st.st_dev;
  return 0;
}

#ifndef ASL_POWERCUT_TOOL
static void before_fork(void) { pthread_mutex_lock(&lock); }
static void after_fork(void) { pthread_mutex_unlock(&lock); }

__attribute__((constructor)) static void powercut_init(void) {
  ensure();
  if (configure(getenv("ASL_POWERCUT_DATA"), getenv("ASL_POWERCUT_SHADOW")) < 0) return;
  pthread_atfork(before_fork, after_fork, after_fork);
  active = 1;
}
#else
// asl-powercut snapshot DATA SHADOW: records DATA as wholly durable in SHADOW (whose files/ and dirs/ the
// caller has emptied) and writes SHADOW/root. Exit 0, or 2 with one line on stderr.
int main(int argc, char **argv) {
  ensure();
  if (argc != 4 || strcmp(argv[1], "snapshot") != 0) {
    fprintf(stderr, "usage: asl-powercut snapshot DATA SHADOW\n");
    return 2;
  }
  if (configure(argv[2], argv[3]) < 0) {
    fprintf(stderr, "asl-powercut: cannot use data directory %s: %s\n", argv[2], strerror(errno));
    return 2;
  }
  char path[PATH_MAX];
  for (int i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "%s/%s", shadow_dir, i ? "dirs" : "files");
    if (mkdir(path, 0700) < 0 && errno != EEXIST) {
      fprintf(stderr, "asl-powercut: cannot create %s: %s\n", path, strerror(errno));
      return 2;
    }
  }
  struct statx sx;
  char k[KEY_MAX];
  if (stat_at(AT_FDCWD, data_dir, 0, &sx) < 0 || record_tree() < 0) {
    fprintf(stderr, "asl-powercut: cannot record %s: %s\n", data_dir, strerror(errno));
    return 2;
  }
  key_from(&sx, k);
  size_t n = strlen(k);
  k[n] = '\n';
  if (replace_file(".", "root", k, n + 1) < 0) {
    fprintf(stderr, "asl-powercut: cannot write %s/root: %s\n", shadow_dir, strerror(errno));
    return 2;
  }
  return 0;
}
#endif
