/*
** opcodes.h — every VM instruction, once.  Included with OPCODE defined to
** build the enum (program.h), the VM's dispatch (vm.c), the disassembler's
** names and operand counts (dis.c) and the compiler's stack effects
** (compile.c), so none of them can drift from the others.
**
** OPCODE(name, words, stack effect, meaning)
**   words: 1 = opcode and A in one 32-bit word (A in the top 24 bits);
**          2 = a second word B follows.
**   stack effect: net change of the stack depth.
*/
OPCODE(CONST,     1,  1, "push constant A")
OPCODE(FIELD,     1,  1, "push field A of the record")
OPCODE(ISSET,     1,  1, "push whether optional field A is set")
OPCODE(PARAM,     1,  1, "push parameter value A")
OPCODE(PARAMK,    2,  1, "push parameter value A + (enum index of field B)")
OPCODE(SLOT,      1,  1, "push slot A, computing it first if this record has not")
OPCODE(RET,       1, -1, "pop into slot A and return to the SLOT that asked (its push)")
OPCODE(LOCAL,     1,  1, "push local A")
OPCODE(SETLOCAL,  1, -1, "pop into local A")
OPCODE(POP,       1, -1, "drop the top value")
OPCODE(ADD,       1, -1, "a + b (numbers or money)")
OPCODE(SUB,       1, -1, "a - b")
OPCODE(MUL,       1, -1, "a * b, rounded half-even to 6 places")
OPCODE(DIV,       1, -1, "a / b, rounded half-even to 6 places; b = 0 is an error")
OPCODE(NEG,       1,  0, "-a")
OPCODE(MIN,       1, -1, "the smaller of a and b")
OPCODE(MAX,       1, -1, "the larger of a and b")
OPCODE(FLOOR,     1,  0, "round a down to a whole number")
OPCODE(CEIL,      1,  0, "round a up to a whole number")
OPCODE(ROUND,     1,  0, "round a half away from zero to A decimal places")
OPCODE(ABS,       1,  0, "|a|")
OPCODE(ADDDAYS,   1, -1, "date a + b days (b whole)")
OPCODE(ADDMONTHS, 1, -1, "date a + b calendar months (b whole), clamped to month end")
OPCODE(DATEDIFF,  1, -1, "days from date b to date a, as a number")
OPCODE(EQ,        1, -1, "a = b (numbers, money, dates, flags, choices)")
OPCODE(NE,        1, -1, "a != b")
OPCODE(LT,        1, -1, "a < b")
OPCODE(LE,        1, -1, "a <= b")
OPCODE(GT,        1, -1, "a > b")
OPCODE(GE,        1, -1, "a >= b")
OPCODE(TEQ,       1, -1, "text a = text b, byte for byte")
OPCODE(TNE,       1, -1, "text a != text b")
OPCODE(NOT,       1,  0, "flag not a")
OPCODE(JMP,       1,  0, "jump to A")
OPCODE(JMPF,      1, -1, "pop; jump to A if it was false")
OPCODE(JFK,       1, -1, "if the top is false jump to A keeping it, else pop it")
OPCODE(JTK,       1, -1, "if the top is true jump to A keeping it, else pop it")
OPCODE(NOMATCH,   1,  1, "error: no band row holds the value (never continues)")
OPCODE(TRACE,     1,  0, "record (site A, top value) for explain; traced code only")
OPCODE(TIER,      1,  0, "the record reaches tier A")
OPCODE(LADDER,    1, -1, "pop a tier condition: if true and no lower tier failed, reach tier A")
OPCODE(HALT,      1,  0, "the record is scored")
