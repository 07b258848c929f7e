/*
** jsonflat.c — a strict JSON reader for the tests, so they can read back
** what rubric writes as JSON without Python or jq (neither is on a fresh
** Debian machine).
**
**   jsonflat [FILE]     (standard input when no FILE)
**
** Checks that the input is one JSON value (RFC 8259: no trailing commas,
** no comments, strings with valid escapes and no raw control characters,
** numbers in JSON's grammar, and, stricter than the RFC, no name twice in
** one object), then prints every leaf on a line of its own: its path,
** a tab, and its text exactly as written, so a number keeps every digit:
**
**   .records.read	64
**   .rejected[0].file	"programs/zoho/bad.csv"
**   .warnings	[]
**
** Exit 0; on bad input, 1 and "jsonflat: line L, column C: what" on
** standard error.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deepest nesting read: rubric's JSON is three or four deep. */
#define MAX_DEPTH 64
/* Longest path printed. */
#define MAX_PATH 4096

typedef struct In {
  const char *s;
  size_t n, i;
} In;

static _Noreturn void bad(const In *in, const char *fmt, ...) {
  size_t line = 1, col = 1;
  for (size_t k = 0; k < in->i && k < in->n; k++) {
    if (in->s[k] == '\n') { line++; col = 1; }
    else col++;
  }
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "jsonflat: line %zu, column %zu: ", line, col);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  putc('\n', stderr);
  exit(1);
}

static void blanks(In *in) {
  while (in->i < in->n && strchr(" \t\r\n", in->s[in->i]) && in->s[in->i]) in->i++;
}

static int peek(const In *in) { return in->i < in->n ? (unsigned char)in->s[in->i] : -1; }

/* A string: returns where it starts (at its quote); in->i after it. */
static size_t string(In *in) {
  size_t start = in->i++;
  for (;;) {
    int c = peek(in);
    if (c < 0) bad(in, "a string is not closed");
    if (c < 0x20) bad(in, "a control character in a string");
    in->i++;
    if (c == '"') return start;
    if (c != '\\') continue;
    c = peek(in);
    if (c <= 0 || !strchr("\"\\/bfnrtu", c)) bad(in, "a bad escape in a string");
    in->i++;
    if (c == 'u')
      for (int k = 0; k < 4; k++, in->i++) {
        int h = peek(in);
        if (h <= 0 || !strchr("0123456789abcdefABCDEF", h)) bad(in, "\\u takes four hexadecimal digits");
      }
  }
}

static void digits(In *in) {
  if (peek(in) < '0' || peek(in) > '9') bad(in, "a digit expected");
  while (peek(in) >= '0' && peek(in) <= '9') in->i++;
}

static void number(In *in) {
  if (peek(in) == '-') in->i++;
  if (peek(in) == '0') in->i++;
  else digits(in);
  if (peek(in) == '.') { in->i++; digits(in); }
  if (peek(in) == 'e' || peek(in) == 'E') {
    in->i++;
    if (peek(in) == '+' || peek(in) == '-') in->i++;
    digits(in);
  }
}

static void leaf(const char *path, const char *s, size_t n) {
  printf("%s\t%.*s\n", path[0] ? path : ".", (int)n, s);
}

static void value(In *in, char *path, size_t plen, int depth);

static void object(In *in, char *path, size_t plen, int depth) {
  in->i++;
  blanks(in);
  if (peek(in) == '}') { in->i++; leaf(path, "{}", 2); return; }
  /* The names seen, to refuse one twice: offsets into the input. */
  size_t *names = NULL, nnames = 0;
  for (;;) {
    blanks(in);
    if (peek(in) != '"') bad(in, "a name in quotes expected");
    size_t start = string(in), len = in->i - start;
    for (size_t k = 0; k < nnames; k += 2)
      if (names[k + 1] == len && memcmp(in->s + names[k], in->s + start, len) == 0)
        bad(in, "the name %.*s twice in one object", (int)len, in->s + start);
    names = realloc(names, (nnames + 2) * sizeof *names);
    if (!names) abort();
    names[nnames++] = start;
    names[nnames++] = len;
    blanks(in);
    if (peek(in) != ':') bad(in, "':' expected after a name");
    in->i++;
    int w = snprintf(path + plen, MAX_PATH - plen, ".%.*s", (int)(len - 2), in->s + start + 1);
    if (w < 0 || (size_t)w >= MAX_PATH - plen) bad(in, "the path is too long");
    value(in, path, plen + (size_t)w, depth + 1);
    path[plen] = '\0';
    blanks(in);
    if (peek(in) == ',') { in->i++; continue; }
    if (peek(in) == '}') { in->i++; break; }
    bad(in, "',' or '}' expected");
  }
  free(names);
}

static void array(In *in, char *path, size_t plen, int depth) {
  in->i++;
  blanks(in);
  if (peek(in) == ']') { in->i++; leaf(path, "[]", 2); return; }
  for (long k = 0;; k++) {
    int w = snprintf(path + plen, MAX_PATH - plen, "[%ld]", k);
    if (w < 0 || (size_t)w >= MAX_PATH - plen) bad(in, "the path is too long");
    value(in, path, plen + (size_t)w, depth + 1);
    path[plen] = '\0';
    blanks(in);
    if (peek(in) == ',') { in->i++; continue; }
    if (peek(in) == ']') { in->i++; break; }
    bad(in, "',' or ']' expected");
  }
}

static void value(In *in, char *path, size_t plen, int depth) {
  if (depth > MAX_DEPTH) bad(in, "nested more than %d deep", MAX_DEPTH);
  blanks(in);
  int c = peek(in);
  size_t start = in->i;
  if (c == '{') object(in, path, plen, depth);
  else if (c == '[') array(in, path, plen, depth);
  else {
    if (c == '"') string(in);
    else if (c == '-' || (c >= '0' && c <= '9')) number(in);
    else {
      static const char *const words[] = {"true", "false", "null"};
      size_t k = 0;
      while (k < 3 && strncmp(in->s + in->i, words[k], strlen(words[k])) != 0) k++;
      if (k == 3) bad(in, "a value expected");
      in->i += strlen(words[k]);
    }
    leaf(path, in->s + start, in->i - start);
  }
}

int main(int argc, char **argv) {
  FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
  if (!f) { perror(argv[1]); return 2; }
  size_t cap = 4096, n = 0, got;
  char *buf = malloc(cap + 1);
  if (!buf) abort();
  while ((got = fread(buf + n, 1, cap - n, f)) > 0)
    if ((n += got) == cap && !(buf = realloc(buf, (cap *= 2) + 1))) abort();
  buf[n] = '\0';   /* so a word compared at the end stops there */
  In in = {buf, n, 0};
  char path[MAX_PATH] = "";
  value(&in, path, 0, 0);
  blanks(&in);
  if (in.i < in.n) bad(&in, "more after the value");
  free(buf);
  return fclose(stdout) == 0 ? 0 : 2;
}
