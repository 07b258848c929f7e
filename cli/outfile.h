/*
** outfile.h — every file the command line writes, standard output
** included, goes through an OutFile.  It remembers the first failed write
** with its reason (errno), and outfile_close checks everything that can
** still fail (the last flush, fsync, close, rename), so that a full disk
** or a closed pipe is never a silent success.
**
** A regular file, or a path that does not exist yet, is written to a
** temporary file in the same folder (".NAME.XXXXXX"), which outfile_close
** fsyncs and renames over the path, with the permission bits (and, when
** allowed, the owner) of the file it replaces: until then the path holds
** what it held, and on any failure the temporary file is removed.  A
** symbolic link is followed: its target is replaced.  Anything else (a
** device such as /dev/null or /dev/full, a pipe) is written in place.
**
** This file never prints: the caller reports o->err.
*/
#ifndef RUBRIC_OUTFILE_H
#define RUBRIC_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct OutFile {
  FILE *f;            /* write through this */
  const char *name;   /* for messages: the path as given, or "standard output" */
  char *target;       /* what the temporary file replaces; NULL: written in place */
  char *tmp;          /* the temporary file, until renamed or removed */
  int fd;
  int err;            /* errno of the first failure; 0: none */
  char tiny[16];      /* the stream's buffer in the test build (faults.h) */
} OutFile;

/* Opens path for writing; false (o->err says why) when it cannot be.  The
   OutFile must stay where it is until outfile_close: its stream points at it. */
bool outfile_open(OutFile *o, const char *path);
/* Points stdout at an OutFile over descriptor 1, so that every printf is
   checked (where the C library allows it: glibc; elsewhere o->f is stdout
   and the reason of an early failure may be lost). */
bool outfile_stdout(OutFile *o);
/* Writes out what is buffered; false when anything written so far failed. */
bool outfile_flush(OutFile *o);
/* Finishes the file: flush, fsync, close and rename.  False (o->err says
   why) when any step failed, or any write before it; the path then holds
   what it held before outfile_open. */
bool outfile_close(OutFile *o);
/* The output is incomplete for another reason: closes it and removes the
   temporary file, leaving the path as it was. */
void outfile_discard(OutFile *o);
/* Removes every temporary file still open: for a process about to _exit
   (out of memory).  Uses only unlink. */
void outfile_remove_temporaries(void);

#endif
