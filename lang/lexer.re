/*
** lexer.re — program text to tokens (re2c).  The whole file is in memory,
** ended by a NUL sentinel, so YYFILL is off; every byte that starts no token
** matches the catch-all rule and becomes a reported error, never a crash.
** Tokens point into the source; columns count bytes.
*/
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "parse.h"

void lex_init(Lexer *lx, const Source *src, DiagList *dl) {
  lx->cur = lx->bol = (const unsigned char *)src->text;
  lx->end = lx->cur + src->len;
  lx->line = 1;
  lx->src = src;
  lx->dl = dl;
  lx->keep = NULL;
  lx->code_on_line = false;
}

/* Length of the valid UTF-8 sequence at p (before end), 0 if invalid. */
static int utf8_len(const unsigned char *p, const unsigned char *end) {
  unsigned c = p[0];
  int n;
  unsigned min;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) { n = 2; min = 0x80; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; min = 0x800; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; min = 0x10000; }
  else return 0;
  if (end - p < n) return 0;
  unsigned v = c & (0xFF >> (n + 1));
  for (int i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (p[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  return n;
}

static int error(Lexer *lx, Tok *t, DiagCode code, const char *msg) {
  diag_add(lx->dl, code, lx->src, t->line, t->col, t->n, "%s", msg);
  return -1;
}

int lex_next(Lexer *lx, Tok *t) {
  const unsigned char *YYMARKER;
  for (;;) {
    const unsigned char *YYCURSOR = lx->cur, *start = lx->cur;
    t->p = (const char *)start;
    t->line = lx->line;
    t->col = (int)(start - lx->bol) + 1;
    t->src = lx->src;
#define TOKEN(code) do { lx->cur = YYCURSOR; t->n = (int)(YYCURSOR - start); lx->code_on_line = true; return TK_##code; } while (0)
    /*!re2c
      re2c:yyfill:enable = 0;
      re2c:define:YYCTYPE = "unsigned char";
      re2c:flags:utf-8 = 0;

      digit = [0-9];
      num = digit+ ("." digit+)?;
      ident = [a-zA-Z_][a-zA-Z0-9_]*;

      "\x00" {
        t->n = 1;
        if (start >= lx->end) { t->n = 0; return 0; }
        lx->cur = YYCURSOR;
        return error(lx, t, R0101, "NUL byte in program text");
      }
      [ \t\r]+ { lx->cur = YYCURSOR; continue; }
      "\n" { lx->line++; lx->bol = lx->cur = YYCURSOR; lx->code_on_line = false; continue; }
      "#" [^\n\x00]* {
        lx->cur = YYCURSOR;
        if (lx->keep) {
          Ast *ast = lx->keep;
          if (ast->ncomments == ast->capcomments) {
            ast->capcomments = ast->capcomments ? ast->capcomments * 2 : 64;
            ast->comments = realloc(ast->comments, (size_t)ast->capcomments * sizeof *ast->comments);
            if (!ast->comments) abort();
          }
          t->n = (int)(YYCURSOR - start);
          ast->comments[ast->ncomments++] = (Comment){*t, !lx->code_on_line};
        }
        continue;
      }

      "program"  { TOKEN(PROGRAM); }
      "version"  { TOKEN(VERSION); }
      "currency" { TOKEN(CURRENCY); }
      "period"   { TOKEN(PERIOD); }
      "to"       { TOKEN(TO); }
      "record"   { TOKEN(RECORD); }
      "key"      { TOKEN(KEY); }
      "optional" { TOKEN(OPTIONAL); }
      "text"     { TOKEN(TEXT); }
      "number"   { TOKEN(NUMBER); }
      "money"    { TOKEN(MONEY); }
      "count"    { TOKEN(COUNT); }
      "int"      { TOKEN(INT); }
      "places"   { TOKEN(PLACES); }
      "percent"  { TOKEN(PERCENT); }
      "flag"     { TOKEN(FLAG); }
      "date"     { TOKEN(DATE); }
      "one"      { TOKEN(ONE); }
      "of"       { TOKEN(OF); }
      "in"       { TOKEN(IN); }
      "param"    { TOKEN(PARAM); }
      "by"       { TOKEN(BY); }
      "let"      { TOKEN(LET); }
      "category" { TOKEN(CATEGORY); }
      "points"   { TOKEN(POINTS); }
      "tiers"    { TOKEN(TIERS); }
      "tier"     { TOKEN(TIER); }
      "when"     { TOKEN(WHEN); }
      "fn"       { TOKEN(FN); }
      "import"   { TOKEN(IMPORT); }
      "test"     { TOKEN(TEST); }
      "given"    { TOKEN(GIVEN); }
      "with"     { TOKEN(WITH); }
      "expect"   { TOKEN(EXPECT); }
      "if"       { TOKEN(IF); }
      "then"     { TOKEN(THEN); }
      "else"     { TOKEN(ELSE); }
      "band"     { TOKEN(BAND); }
      "and"      { TOKEN(AND); }
      "or"       { TOKEN(OR); }
      "not"      { TOKEN(NOT); }
      "is"       { TOKEN(IS); }
      "set"      { TOKEN(SET); }
      "true"     { TOKEN(TRUE); }
      "false"    { TOKEN(FALSE); }
      "days" | "day"     { TOKEN(DAYS); }
      "months" | "month" { TOKEN(MONTHS); }
      "default"  { TOKEN(DEFAULT); }
      "unset"    { TOKEN(UNSET); }
      "track"    { TOKEN(TRACK); }
      "uses"     { TOKEN(USES); }
      "badge"    { TOKEN(BADGE); }
      "benefit"  { TOKEN(BENEFIT); }
      "payout"   { TOKEN(PAYOUT); }
      "output"   { TOKEN(OUTPUT); }

      "{"  { TOKEN(LBRACE); }
      "}"  { TOKEN(RBRACE); }
      "("  { TOKEN(LPAREN); }
      ")"  { TOKEN(RPAREN); }
      ","  { TOKEN(COMMA); }
      "."  { TOKEN(DOT); }
      ".." { TOKEN(DOTDOT); }
      "=>" { TOKEN(ARROW); }
      "="  { TOKEN(EQ); }
      "!=" { TOKEN(NE); }
      "<"  { TOKEN(LT); }
      "<=" { TOKEN(LE); }
      ">"  { TOKEN(GT); }
      ">=" { TOKEN(GE); }
      "+"  { TOKEN(PLUS); }
      "-"  { TOKEN(MINUS); }
      "*"  { TOKEN(STAR); }
      "/"  { TOKEN(SLASH); }

      digit{4} "-" digit{2} "-" digit{2} { TOKEN(DATELIT); }
      num       { TOKEN(NUMLIT); }
      "$" num   { TOKEN(MONEYLIT); }
      "$"       { lx->cur = YYCURSOR; t->n = 1;
                  return error(lx, t, R0103, "'$' must be followed by an amount, as in $5000"); }
      num [a-zA-Z_.]  { lx->cur = YYCURSOR; t->n = (int)(YYCURSOR - start);
                  if (YYCURSOR[-1] == '.') { YYCURSOR--; TOKEN(NUMLIT); }
                  return error(lx, t, R0103, "malformed number"); }
      ident     { TOKEN(IDENT); }

      ["] ([^"\\\n\x00] | "\\" ["\\nt])* "\\" [^"\\nt\n\x00] {
        lx->cur = YYCURSOR;
        t->p = (const char *)YYCURSOR - 2;
        t->col = (int)(YYCURSOR - 2 - lx->bol) + 1;
        t->n = 2;
        return error(lx, t, R0102, "unknown escape: write \\\" \\\\ \\n or \\t");
      }
      ["] ([^"\\\n\x00] | "\\" ["\\nt])* ["] {
        for (const unsigned char *p = start + 1; p < YYCURSOR - 1;) {
          int n = utf8_len(p, YYCURSOR - 1);
          if (n == 0) {
            lx->cur = YYCURSOR;
            t->n = (int)(YYCURSOR - start);
            return error(lx, t, R0102, "text literal is not valid UTF-8");
          }
          p += n;
        }
        TOKEN(STRING);
      }
      ["] {
        lx->cur = YYCURSOR;
        t->n = 1;
        return error(lx, t, R0102, "text literal has no closing quote on its line");
      }
      * {
        lx->cur = YYCURSOR;
        t->n = 1;
        return error(lx, t, R0101, "unexpected character");
      }
    */
  }
}
