/* Field arithmetic mod a 256-bit prime given at run time, 8 x 32-bit limbs. fe_mul, fe_add and
 * fe_sub are Thumb-2 assembly: GCC turns the C of a Montgomery multiplication into UMLAL + ADC +
 * MOV (about 1,120 instructions), the assembly below uses UMAAL (hi:lo = x*y + lo + hi, one
 * cycle on the Cortex-M4) and keeps the accumulator in registers (about 320). Branch-free
 * everywhere: carries become masks. */
#include "ec.h"

typedef uint64_t u64;

/* r = a*b/2^256 mod p (Montgomery form), a, b < p; r may be a or b. CIOS (Koc et al. 1996):
 * for i = 0..7
 *     t += a[i]*b;  m = t[0]*pinv mod 2^32 (so t[0] + m*p[0] = 0 mod 2^32);  t = (t + m*p) / 2^32
 * t < 2p after every row: t0..t7 and a top bit t8 in registers (r4-r12, renamed from row to
 * row by the macro arguments instead of moved: the t0 register, 0 after m*p[0], comes back as
 * the next row's t8). Each half row is one UMAAL chain with the carry word in r3; within a row
 * t may reach 2^288, its bit 288 waits in the C flag (UMAAL, LDRD, MUL and MOV leave flags
 * alone) until ADC puts it into the t0 register. r0, r1: two words of b or p (LDRD); r2: a[i],
 * then m; lr: r. a, b, p and pinv are copied to the stack first, so every load is SP-relative.
 * No branch, no table: position independent and constant time. Stack: 36 pushed + 100 (a, b, p,
 * pinv). Last, t - p, with p added back (mask) when that borrowed and t8 = 0 (t8 = 1 always
 * borrows: 2^256 > p). */
#define FM_B 32  /* stack offsets: a at 0, b, p, pinv */
#define FM_P 64
#define FM_PINV 96
#define FM_STR2(x) #x
#define FM_STR(x) FM_STR2(x)
__attribute__((naked)) void fe_mul(uint32_t *r, const uint32_t *a, const uint32_t *b,
                                   const ec_curve *c) {
  (void)r; (void)a; (void)b; (void)c;
  __asm__ volatile(
    ".macro FM_PAIR at, ta, tb\n\t"   /* ta, tb += r2 * (two words at sp + at) + carry r3 */
    "ldrd r0, r1, [sp, #\\at]\n\t"
    "umaal \\ta, r3, r2, r0\n\t"
    "umaal \\tb, r3, r2, r1\n\t"
    ".endm\n\t"
    ".macro FM_ROW i, t0, t1, t2, t3, t4, t5, t6, t7, t8\n\t"
    "ldr r2, [sp, #4*\\i]\n\t"        /* t += a[i]*b */
    "mov r3, #0\n\t"
    "FM_PAIR " FM_STR(FM_B) ", \\t0, \\t1\n\t"
    "FM_PAIR " FM_STR(FM_B) "+8, \\t2, \\t3\n\t"
    "FM_PAIR " FM_STR(FM_B) "+16, \\t4, \\t5\n\t"
    "FM_PAIR " FM_STR(FM_B) "+24, \\t6, \\t7\n\t"
    "adds \\t8, \\t8, r3\n\t"         /* C = bit 288 */
    "ldr r2, [sp, #" FM_STR(FM_PINV) "]\n\t"
    "mul r2, \\t0, r2\n\t"            /* m */
    "mov r3, #0\n\t"                  /* t += m*p */
    "ldrd r0, r1, [sp, #" FM_STR(FM_P) "]\n\t"
    "umaal \\t0, r3, r2, r0\n\t"      /* t0 = 0 by the choice of m: only its carry */
    "adc \\t0, \\t0, #0\n\t"          /* t0 = bit 288 */
    "umaal \\t1, r3, r2, r1\n\t"
    "FM_PAIR " FM_STR(FM_P) "+8, \\t2, \\t3\n\t"
    "FM_PAIR " FM_STR(FM_P) "+16, \\t4, \\t5\n\t"
    "FM_PAIR " FM_STR(FM_P) "+24, \\t6, \\t7\n\t"
    "adds \\t8, \\t8, r3\n\t"         /* the new t7 */
    "adc \\t0, \\t0, #0\n\t"          /* the new t8: bits 288 and up, 0 or 1 */
    ".endm\n\t"
    ".macro FM_SUB2 at, ta, tb, op\n\t"  /* ta, tb -= two words of p, with borrow */
    "ldrd r0, r1, [sp, #\\at]\n\t"
    "\\op \\ta, \\ta, r0\n\t"
    "sbcs \\tb, \\tb, r1\n\t"
    ".endm\n\t"
    ".macro FM_ADD2 at, ta, tb, op\n\t"  /* ta, tb += two words of p & mask (r11), with carry */
    "ldrd r0, r1, [sp, #\\at]\n\t"
    "and r0, r0, r11\n\t"             /* AND, not ANDS: the carry survives */
    "and r1, r1, r11\n\t"
    "\\op \\ta, \\ta, r0\n\t"
    "adcs \\tb, \\tb, r1\n\t"
    ".endm\n\t"
    "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
    "sub sp, #100\n\t"
    "mov lr, r0\n\t"                  /* r */
    "mov r12, sp\n\t"
    "ldm r1, {r4-r11}\n\t"
    "stm r12!, {r4-r11}\n\t"          /* a */
    "ldm r2, {r4-r11}\n\t"
    "stm r12!, {r4-r11}\n\t"          /* b */
    "ldr r0, [r3, #4]\n\t"
    "adds r3, #8\n\t"
    "ldm r3, {r4-r11}\n\t"
    "stm r12!, {r4-r11}\n\t"          /* p */
    "str r0, [r12]\n\t"               /* pinv */
    "movs r4, #0\n\t" "movs r5, #0\n\t" "movs r6, #0\n\t" "movs r7, #0\n\t"
    "mov r8, r4\n\t" "mov r9, r4\n\t" "mov r10, r4\n\t" "mov r11, r4\n\t" "mov r12, r4\n\t"
    /*       i  t0   t1   t2   t3   t4   t5   t6   t7   t8 */
    "FM_ROW 0, r4,  r5,  r6,  r7,  r8,  r9,  r10, r11, r12\n\t"
    "FM_ROW 1, r5,  r6,  r7,  r8,  r9,  r10, r11, r12, r4\n\t"
    "FM_ROW 2, r6,  r7,  r8,  r9,  r10, r11, r12, r4,  r5\n\t"
    "FM_ROW 3, r7,  r8,  r9,  r10, r11, r12, r4,  r5,  r6\n\t"
    "FM_ROW 4, r8,  r9,  r10, r11, r12, r4,  r5,  r6,  r7\n\t"
    "FM_ROW 5, r9,  r10, r11, r12, r4,  r5,  r6,  r7,  r8\n\t"
    "FM_ROW 6, r10, r11, r12, r4,  r5,  r6,  r7,  r8,  r9\n\t"
    "FM_ROW 7, r11, r12, r4,  r5,  r6,  r7,  r8,  r9,  r10\n\t"
    /* t0..t7 = r12, r4-r10; t8 = r11 */
    "FM_SUB2 " FM_STR(FM_P) ", r12, r4, subs\n\t"
    "FM_SUB2 " FM_STR(FM_P) "+8, r5, r6, sbcs\n\t"
    "FM_SUB2 " FM_STR(FM_P) "+16, r7, r8, sbcs\n\t"
    "FM_SUB2 " FM_STR(FM_P) "+24, r9, r10, sbcs\n\t"
    "sbc r11, r11, #0\n\t"            /* t8 - borrow: -1 (add p back) or 0 */
    "FM_ADD2 " FM_STR(FM_P) ", r12, r4, adds\n\t"
    "FM_ADD2 " FM_STR(FM_P) "+8, r5, r6, adcs\n\t"
    "FM_ADD2 " FM_STR(FM_P) "+16, r7, r8, adcs\n\t"
    "FM_ADD2 " FM_STR(FM_P) "+24, r9, r10, adcs\n\t"
    "str r12, [lr], #4\n\t"
    "stm lr, {r4-r10}\n\t"
    "add sp, #100\n\t"
    "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"
    ".purgem FM_PAIR\n\t"
    ".purgem FM_ROW\n\t"
    ".purgem FM_SUB2\n\t"
    ".purgem FM_ADD2\n\t");
}

/* Three words of x (ldm x!, {r1, r12, lr}), combined with r4-r6, r7-r9, then two into r10-r11:
 * FE_CHAIN ptr, first, next, where first (adds, subs) opens the carry chain and next (adcs,
 * sbcs) continues it. With a mask in r2, FE_ADDBACK adds p & r2 to r4-r11. The flags survive:
 * LDM and AND (not ANDS) leave them alone. */
#define FE_ASM_MACROS                                                                           \
  ".macro FE_CHAIN ptr, first, next\n\t"                                                        \
  "ldm \\ptr!, {r1, r12, lr}\n\t" "\\first r4, r4, r1\n\t" "\\next r5, r5, r12\n\t"             \
  "\\next r6, r6, lr\n\t"                                                                       \
  "ldm \\ptr!, {r1, r12, lr}\n\t" "\\next r7, r7, r1\n\t" "\\next r8, r8, r12\n\t"              \
  "\\next r9, r9, lr\n\t"                                                                       \
  "ldm \\ptr!, {r1, r12}\n\t" "\\next r10, r10, r1\n\t" "\\next r11, r11, r12\n\t"              \
  ".endm\n\t"                                                                                   \
  ".macro FE_ADDBACK ptr\n\t"                                                                   \
  "ldm \\ptr!, {r1, r12, lr}\n\t" "and r1, r1, r2\n\t" "and r12, r12, r2\n\t"                   \
  "and lr, lr, r2\n\t" "adds r4, r4, r1\n\t" "adcs r5, r5, r12\n\t" "adcs r6, r6, lr\n\t"       \
  "ldm \\ptr!, {r1, r12, lr}\n\t" "and r1, r1, r2\n\t" "and r12, r12, r2\n\t"                   \
  "and lr, lr, r2\n\t" "adcs r7, r7, r1\n\t" "adcs r8, r8, r12\n\t" "adcs r9, r9, lr\n\t"       \
  "ldm \\ptr!, {r1, r12}\n\t" "and r1, r1, r2\n\t" "and r12, r12, r2\n\t"                       \
  "adcs r10, r10, r1\n\t" "adcs r11, r11, r12\n\t"                                              \
  ".endm\n\t"
#define FE_ASM_PURGE ".purgem FE_CHAIN\n\t" ".purgem FE_ADDBACK\n\t"

/* r = a + b mod p: s = a + b (carry in r2), s - p, then p added back when that borrowed and
 * there was no carry (a carry always borrows: a + b - p < p < 2^256). r may be a or b. */
__attribute__((naked)) void fe_add(uint32_t *r, const uint32_t *a, const uint32_t *b,
                                   const ec_curve *c) {
  (void)r; (void)a; (void)b; (void)c;
  __asm__ volatile(
    FE_ASM_MACROS
    "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
    "ldm r1, {r4-r11}\n\t"
    "FE_CHAIN r2, adds, adcs\n\t"     /* a + b */
    "mov r2, #0\n\t"
    "adc r2, r2, #0\n\t"              /* the carry */
    "add r3, r3, #8\n\t"              /* &c->p */
    "FE_CHAIN r3, subs, sbcs\n\t"     /* - p */
    "sbc r2, r2, #0\n\t"              /* carry - borrow: -1 (add p back) or 0 */
    "sub r3, r3, #32\n\t"
    "FE_ADDBACK r3\n\t"
    "stm r0, {r4-r11}\n\t"
    "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"
    FE_ASM_PURGE);
}

/* r = a - b mod p: a - b, p added back when it borrowed. r may be a or b. */
__attribute__((naked)) void fe_sub(uint32_t *r, const uint32_t *a, const uint32_t *b,
                                   const ec_curve *c) {
  (void)r; (void)a; (void)b; (void)c;
  __asm__ volatile(
    FE_ASM_MACROS
    "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
    "ldm r1, {r4-r11}\n\t"
    "FE_CHAIN r2, subs, sbcs\n\t"     /* a - b */
    "sbc r2, r2, r2\n\t"              /* -borrow: -1 (add p back) or 0 */
    "add r3, r3, #8\n\t"
    "FE_ADDBACK r3\n\t"
    "stm r0, {r4-r11}\n\t"
    "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"
    FE_ASM_PURGE);
}

/* r = a/2 mod p: a + p when a is odd (by a mask), then one bit right through the carry (RRXS
 * from the top word down: the sum's bit 256 comes in first). r may be a. */
__attribute__((naked)) void fe_half(uint32_t *r, const uint32_t *a, const ec_curve *c) {
  (void)r; (void)a; (void)c;
  __asm__ volatile(
    FE_ASM_MACROS
    "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
    "ldm r1, {r4-r11}\n\t"
    "add r3, r2, #8\n\t"              /* &c->p */
    "and r2, r4, #1\n\t"
    "rsb r2, r2, #0\n\t"              /* -1 when a is odd */
    "FE_ADDBACK r3\n\t"               /* a + (p & mask), bit 256 in C */
    "rrxs r11, r11\n\t" "rrxs r10, r10\n\t" "rrxs r9, r9\n\t" "rrxs r8, r8\n\t"
    "rrxs r7, r7\n\t" "rrxs r6, r6\n\t" "rrxs r5, r5\n\t" "rrxs r4, r4\n\t"
    "stm r0, {r4-r11}\n\t"
    "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"
    FE_ASM_PURGE);
}

/* a^(p-2) (Fermat). The exponent is public (p), so its bits may steer the loop. */
void fe_inv(uint32_t *r, const uint32_t *a, const ec_curve *c) {
  fe e, x;
  uint32_t j, borrow = 2;
  for (j = 0; j < EC_LIMBS; j++) { /* e = p - 2 */
    u64 v = (u64)c->p[j] - borrow;
    e[j] = (uint32_t)v;
    borrow = (uint32_t)(v >> 32) & 1;
  }
  fe_copy(x, c->one);
  for (int bit = EC_LIMBS * 32 - 1; bit >= 0; bit--) {
    fe_mul(x, x, x, c);
    if ((e[bit >> 5] >> (bit & 31)) & 1) fe_mul(x, x, a, c);
  }
  fe_copy(r, x);
}

uint32_t fe_is_zero(const uint32_t *a) {
  uint32_t acc = 0, j;
  for (j = 0; j < EC_LIMBS; j++) acc |= a[j];
  return 1 & ((acc | (0u - acc)) >> 31 ^ 1);
}

uint32_t fe_less(const uint32_t *a, const uint32_t *b) {
  uint32_t borrow = 0, j;
  for (j = 0; j < EC_LIMBS; j++) borrow = (uint32_t)(((u64)a[j] - b[j] - borrow) >> 32) & 1;
  return borrow;
}

void fe_select(uint32_t *r, const uint32_t *a, uint32_t mask, uint32_t n) {
  for (uint32_t j = 0; j < n; j++) r[j] = (r[j] & ~mask) | (a[j] & mask);
}

void fe_copy(uint32_t *r, const uint32_t *a) {
  for (uint32_t j = 0; j < EC_LIMBS; j++) r[j] = a[j];
}

void ec_wipe(void *p, uint32_t n) {
  volatile uint32_t *w = (volatile uint32_t *)p;
  for (n >>= 2; n; n--) *w++ = 0;
}
