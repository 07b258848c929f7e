/*
** csv_count.h — how many data records a CSV text holds, counted by a
** second, deliberately simple reader that shares no code with
** runtime/records.c: it walks the whole text in memory by index, where the
** real reader streams through a buffer with a state machine.  The fuzz
** target for records and test_robust compare its count with the records
** the real reader handed out and the program scored or rejected, so that
** "nothing is lost" is a check that can fail (issue 9: counting read,
** scored and rejected in one loop could not).
**
** It follows the record boundaries docs/internals.md ("Records") and
** docs/data.md give, not the cells:
**   - a record ends at a line feed outside quotes (CR LF included);
**   - blank lines (LF or CR LF alone) are no record; a line that starts
**     with a lone CR is one (rejected) record, up to the next LF;
**   - a cell whose first byte is a quote is quoted: "" is a quote, and
**     commas and line ends are text, up to the closing quote;
**   - a quoted cell never closed, or closed and followed by text after it
**     spanned lines, is one record; reading resumes after the first line
**     feed inside the cell (at the end of the text if it holds none);
**   - a closed quoted cell on one line followed by text: the record ends
**     at the end of that line;
**   - a cell that is still empty after "" or a lone CR may open a quote
**     again (the real reader asks whether the cell has kept a byte);
**   - a UTF-8 byte order mark at the very start is skipped.
** The first record is the header and is not counted.  Records longer than
** 1 MiB are cut by the real reader where this one does not cut them:
** callers use it on shorter texts only.
*/
#ifndef RUBRIC_CSV_COUNT_H
#define RUBRIC_CSV_COUNT_H

#include <stddef.h>
#include <string.h>

/* Position just after the first '\n' at or after i, or n. */
static inline size_t csvc_after_line(const char *s, size_t n, size_t i) {
  const char *nl = i < n ? memchr(s + i, '\n', n - i) : NULL;
  return nl ? (size_t)(nl - s) + 1 : n;
}

/* Where the record starting at i ends (the index of the next record). */
static inline size_t csvc_record(const char *s, size_t n, size_t i) {
  int cell_empty = 1;           /* no byte of the current cell kept yet */
  while (i < n) {
    char c = s[i];
    if (c == '"' && cell_empty) {
      size_t open = i++;
      int closed = 0;
      while (i < n) {
        if (s[i] == '"') {
          if (i + 1 < n && s[i + 1] == '"') { i += 2; continue; }
          closed = 1;
          i++;
          break;
        }
        i++;
      }
      int spans = memchr(s + open, '\n', i - open) != NULL;
      if (!closed) return spans ? csvc_after_line(s, n, open) : n;
      if (i == n || s[i] == ',' || s[i] == '\n' || s[i] == '\r') {
        cell_empty = i - open == 2;   /* "" keeps nothing: a quote may open again */
        continue;
      }
      return spans ? csvc_after_line(s, n, open) : csvc_after_line(s, n, i);
    }
    i++;
    if (c == '\n') return i;
    if (c == ',') { cell_empty = 1; continue; }
    if (c == '\r') continue;    /* CR LF ends the record at the LF; a lone CR keeps nothing */
    cell_empty = 0;
  }
  return n;
}

/* Data records in s[0..n), the header excluded. */
static inline long csv_count_records(const char *s, size_t n) {
  size_t i = 0;
  long records = 0;
  if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) i = 3;
  for (;;) {
    /* blank lines */
    for (;;) {
      if (i < n && s[i] == '\n') { i++; continue; }
      if (i + 1 < n && s[i] == '\r' && s[i + 1] == '\n') { i += 2; continue; }
      break;
    }
    if (i >= n) break;
    if (s[i] == '\r') i = csvc_after_line(s, n, i + 1);   /* a lone CR: one record */
    else i = csvc_record(s, n, i);
    records++;
  }
  return records > 0 ? records - 1 : 0;
}

#endif
