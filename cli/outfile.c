/*
** outfile.c — see outfile.h.  The stream is a glibc cookie stream
** (fopencookie) over a descriptor we own, so that our write function sees
** every failed write(2) and keeps its errno: ferror alone says only that
** something failed, long after errno has moved on.
*/
#define _GNU_SOURCE
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "faults.h"

/* Temporary files not yet renamed or removed, for
   outfile_remove_temporaries.  A command writes at most two files at
   once (eval -o, test --junit); a ninth is still written, just not
   removed on a sudden exit. */
enum { MAX_TEMPORARIES = 8 };
static char *temporaries[MAX_TEMPORARIES];

static void remember(char *tmp) {
  for (int i = 0; i < MAX_TEMPORARIES; i++)
    if (!temporaries[i]) { temporaries[i] = tmp; return; }
}

static void forget(const char *tmp) {
  for (int i = 0; i < MAX_TEMPORARIES; i++)
    if (temporaries[i] == tmp) temporaries[i] = NULL;
}

void outfile_remove_temporaries(void) {
  for (int i = 0; i < MAX_TEMPORARIES; i++)
    if (temporaries[i]) unlink(temporaries[i]);
}

/* The whole buffer, or the first failure kept in o->err; glibc treats a
   short count as an error (and sets the stream's error flag). */
static ssize_t cookie_write(void *cookie, const char *buf, size_t n) {
  OutFile *o = cookie;
  size_t done = 0;
  if (o->fd < 0 && !o->err) o->err = EBADF;   /* standard output was closed */
  while (!o->err && done < n) {
    ssize_t w;
    if (fault_now(FAULT_WRITE)) { errno = ENOSPC; w = -1; }
    else w = write(o->fd, buf + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) o->err = w < 0 ? errno : EIO;
    else done += (size_t)w;
  }
  return (ssize_t)done;
}

static int cookie_close(void *cookie) {
  OutFile *o = cookie;
  if (o->fd < 0) return o->err ? -1 : 0;   /* standard output was closed: nothing to close */
  bool fault = fault_now(FAULT_CLOSE);
  int r = close(o->fd);
  if (fault) { errno = EIO; r = -1; }
  if (r != 0 && !o->err) o->err = errno;
  o->fd = -1;
  return r;
}

static FILE *cookie_stream(OutFile *o) {
  cookie_io_functions_t io = {NULL, cookie_write, NULL, cookie_close};
  FILE *f = fopencookie(o, "w", io);
  size_t size = fault_buffer_size();   /* glibc ignores a size without a buffer */
  if (f && size) setvbuf(f, o->tiny, _IOFBF, size < sizeof o->tiny ? size : sizeof o->tiny);
  return f;
}

/* Removes the temporary file, if any, and forgets both names: the path
   keeps what it held. */
static void drop_temporary(OutFile *o) {
  if (o->tmp) {
    unlink(o->tmp);
    forget(o->tmp);
  }
  free(o->tmp);
  free(o->target);
  o->tmp = o->target = NULL;
}

static bool fail(OutFile *o, int err) {
  o->err = err ? err : EIO;
  if (o->fd >= 0) close(o->fd);
  o->fd = -1;
  drop_temporary(o);
  return false;
}

bool outfile_open(OutFile *o, const char *path) {
  memset(o, 0, sizeof *o);
  o->name = path;
  o->fd = -1;
  struct stat st;
  bool exists = stat(path, &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (o->fd < 0) return fail(o, errno);
  } else {
    /* A file we could not open for writing, we may not replace either. */
    if (exists && access(path, W_OK) != 0) return fail(o, errno);
    o->target = exists ? realpath(path, NULL) : strdup(path);
    if (!o->target) return fail(o, errno);
    const char *slash = strrchr(o->target, '/');
    int dirlen = slash ? (int)(slash - o->target + 1) : 0;
    size_t size = strlen(o->target) + 16;
    o->tmp = malloc(size);
    if (!o->tmp) return fail(o, ENOMEM);
    snprintf(o->tmp, size, "%.*s.%s.XXXXXX", dirlen, o->target, o->target + dirlen);
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0) {
      int err = errno;
      free(o->tmp);
      o->tmp = NULL;
      return fail(o, err);
    }
    remember(o->tmp);
    mode_t mode;
    if (exists) {
      mode = st.st_mode & 07777;
      if (fchown(o->fd, st.st_uid, st.st_gid) != 0) { /* not ours to give: the file becomes ours */ }
    } else {
      mode_t mask = umask(0);   /* as fopen would create it */
      umask(mask);
      mode = 0666 & ~mask;
    }
    if (fchmod(o->fd, mode) != 0) return fail(o, errno);
  }
  o->f = cookie_stream(o);
  if (!o->f) return fail(o, errno);
  return true;
}

bool outfile_stdout(OutFile *o) {
  memset(o, 0, sizeof *o);
  o->name = "standard output";
  o->fd = STDOUT_FILENO;
  o->f = stdout;
  /* A standard descriptor started closed (rubric ... >&-): hold its number
     with /dev/null, or the next file opened would get it and receive
     what was meant for standard output or error.  Writing to a closed
     standard output is still an error. */
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
      if (fd == STDOUT_FILENO) o->fd = -1;
      int null = open("/dev/null", O_RDWR);
      if (null >= 0 && null != fd) close(null);   /* a lower one was closed too: taken above */
    }
#ifdef __GLIBC__   /* glibc lets a program point stdout elsewhere */
  FILE *f = cookie_stream(o);
  if (!f) return false;
  if (!fault_buffer_size() && isatty(STDOUT_FILENO)) setvbuf(f, NULL, _IOLBF, BUFSIZ);
  o->f = stdout = f;
#endif
  return true;
}

bool outfile_flush(OutFile *o) {
  errno = 0;
  if (fflush(o->f) != 0 && !o->err) o->err = errno ? errno : EIO;
  if (ferror(o->f) && !o->err) o->err = EIO;
  return !o->err;
}

/* The folder's entry for the renamed file is on disk too (best effort:
   some file systems cannot fsync a folder). */
static void sync_folder(const char *path) {
  const char *slash = strrchr(path, '/');
  char dir[4096];
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path + 1) : 1, slash ? path : ".");
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  if (fsync(fd) != 0) { /* best effort */ }
  close(fd);
}

bool outfile_close(OutFile *o) {
  if (!o->f) return !o->err;
  outfile_flush(o);
  if (o->tmp && !o->err && fsync(o->fd) != 0) o->err = errno;
  errno = 0;
  if (fclose(o->f) != 0 && !o->err) o->err = errno ? errno : EIO;
  o->f = NULL;
  if (o->tmp) {
    if (!o->err && rename(o->tmp, o->target) != 0) o->err = errno;
    if (o->err) unlink(o->tmp);
    else sync_folder(o->target);
    forget(o->tmp);
    free(o->tmp);
    free(o->target);
    o->tmp = o->target = NULL;
  }
  return !o->err;
}

void outfile_discard(OutFile *o) {
  if (o->f) fclose(o->f);
  o->f = NULL;
  drop_temporary(o);
}
