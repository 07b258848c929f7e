/*
** diagcodes.h — every diagnostic rubric can give, once.  The code is part
** of the interface: never renumber, only add.  DIAGCODE(id, severity, summary)
** builds the enum, the name table and docs/diagnostics.md's index.
*/
/* R01xx: reading the program text */
DIAGCODE(R0101, DIAG_ERROR, "unexpected character")
DIAGCODE(R0102, DIAG_ERROR, "unterminated or malformed text literal")
DIAGCODE(R0103, DIAG_ERROR, "malformed number")
DIAGCODE(R0104, DIAG_ERROR, "malformed date")
DIAGCODE(R0105, DIAG_ERROR, "syntax error")
DIAGCODE(R0106, DIAG_ERROR, "cannot read file")
DIAGCODE(R0107, DIAG_ERROR, "import not found")
DIAGCODE(R0108, DIAG_ERROR, "program too large or too deeply nested")
DIAGCODE(R0109, DIAG_ERROR, "compiled program beyond the bytecode's limits")
/* R02xx: names */
DIAGCODE(R0201, DIAG_ERROR, "unknown name")
DIAGCODE(R0202, DIAG_ERROR, "defined twice")
DIAGCODE(R0203, DIAG_ERROR, "unknown function")
DIAGCODE(R0204, DIAG_ERROR, "wrong number of arguments")
DIAGCODE(R0205, DIAG_ERROR, "cyclic definition")
DIAGCODE(R0206, DIAG_ERROR, "reserved name")
DIAGCODE(R0207, DIAG_ERROR, "keyed parameter does not cover every value")
DIAGCODE(R0208, DIAG_ERROR, "record schema missing or repeated")
DIAGCODE(R0209, DIAG_ERROR, "record key missing or repeated")
DIAGCODE(R0210, DIAG_ERROR, "tier ladder missing or repeated")
DIAGCODE(R0211, DIAG_ERROR, "used before it can be known")
DIAGCODE(R0212, DIAG_ERROR, "ambiguous tier name")
DIAGCODE(R0213, DIAG_ERROR, "a choice of tracks without tracks, or given twice")
DIAGCODE(R0214, DIAG_ERROR, "a group's value used outside an aggregate, or an aggregate without a group")
DIAGCODE(R0215, DIAG_ERROR, "a group's column pattern does not make names")
DIAGCODE(R0216, DIAG_ERROR, "activities misdeclared, or an activity's field outside an aggregate")
DIAGCODE(R0217, DIAG_ERROR, "a period or window used where none is declared")
/* R03xx: types */
DIAGCODE(R0301, DIAG_ERROR, "operands of incompatible types")
DIAGCODE(R0302, DIAG_ERROR, "points must be a number")
DIAGCODE(R0303, DIAG_ERROR, "condition must be a flag")
DIAGCODE(R0304, DIAG_ERROR, "comparison of unrelated types")
DIAGCODE(R0305, DIAG_ERROR, "optional value used where it may be unset")
DIAGCODE(R0306, DIAG_ERROR, "'is set' on a field that is always set")
DIAGCODE(R0307, DIAG_ERROR, "branches of different types")
DIAGCODE(R0308, DIAG_ERROR, "value does not fit the field or parameter")
DIAGCODE(R0309, DIAG_ERROR, "argument of the wrong type")
DIAGCODE(R0310, DIAG_ERROR, "payout must be money")
/* R04xx: structure */
DIAGCODE(R0401, DIAG_ERROR, "band rows out of order")
DIAGCODE(R0402, DIAG_ERROR, "empty or reversed range")
DIAGCODE(R0403, DIAG_ERROR, "keyed parameter over a field that is not a choice")
DIAGCODE(R0404, DIAG_ERROR, "a field's range uses what the record cannot give")
DIAGCODE(R0405, DIAG_ERROR, "a lever that is neither a literal nor a param")
/* R06xx: tracks (warnings) */
DIAGCODE(R0601, DIAG_WARNING, "a choice value fits no track")
DIAGCODE(R0602, DIAG_WARNING, "two tracks can hold for one record")
/* R08xx: what interval analysis finds (warnings) */
DIAGCODE(R0801, DIAG_WARNING, "a tier no record can reach")
DIAGCODE(R0802, DIAG_WARNING, "a tier every record reaches")
DIAGCODE(R0803, DIAG_WARNING, "a cap beyond anything its points can reach")
/* R0804 (a cap binding only for rejected input) is no longer reported: a
   cap equal to what its points reach restates it, whatever keeps them
   there.  The code stays so that `allow R0804` remains valid. */
DIAGCODE(R0804, DIAG_WARNING, "a cap that binds only for rejected input (no longer reported)")
DIAGCODE(R0806, DIAG_WARNING, "a band row no value reaches")
DIAGCODE(R0807, DIAG_WARNING, "values no band row holds")
DIAGCODE(R0808, DIAG_WARNING, "defined and never used")
DIAGCODE(R0809, DIAG_WARNING, "a range beyond what its parts can reach")
/* R09xx: rounding (warnings) */
DIAGCODE(R0901, DIAG_WARNING, "a quotient rounded twice")
/* R05xx: test blocks */
DIAGCODE(R0501, DIAG_ERROR, "test names an unknown field or result")
/* R07xx: evaluating a record */
DIAGCODE(R0701, DIAG_ERROR, "division by zero")
DIAGCODE(R0702, DIAG_ERROR, "number out of range")
DIAGCODE(R0703, DIAG_ERROR, "date out of range")
DIAGCODE(R0704, DIAG_ERROR, "duration is not a whole number")
DIAGCODE(R0705, DIAG_ERROR, "no band row holds the value")
