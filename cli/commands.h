/*
** commands.h — the table of commands, one line each: its name, what it
** takes (for `rubric --help`) and what it does.  main.c makes the
** dispatch table and the help text from this list, and common.h declares
** each command's function from it (cmd_NAME, in cmd_NAME.c), so adding a
** command is a new file and one line here.  The order is the order of
** `rubric --help`.  No include guard: it is included once per table.
*/
COMMAND(check,   "PROGRAM...",                "check programs for errors")
COMMAND(eval,    "PROGRAM [RECORDS...]",      "score partner records (CSV; - or none: stdin)")
COMMAND(sweep,   "PROGRAM [RECORDS...]",      "score records in every scenario of --set ranges")
COMMAND(explain, "PROGRAM RECORDS --id KEY",  "show how one record's numbers were derived")
COMMAND(targets, "PROGRAM RECORDS...",        "what each record needs for its next tier")
COMMAND(test,    "[PROGRAM...]",              "run the programs' test blocks")
COMMAND(fmt,     "[--check] PROGRAM...",      "rewrite programs in the canonical layout")
COMMAND(diff,    "OLD NEW [-r RECORDS]",      "what changed in meaning between two programs")
COMMAND(compare, "BASE NEW RECORDS...",       "two schemes on the same records: movers, costs")
COMMAND(report,  "PROGRAM RECORDS...",        "an HTML report (-o FILE), or partner dashboards")
COMMAND(dis,     "PROGRAM",                   "show the compiled bytecode")
COMMAND(build,   "PROGRAM -o FILE.rbc",       "compile to a bytecode file (any PROGRAM may be one)")
