/* Field arithmetic mod a 256-bit prime given at run time, 8 x 32-bit limbs. fe_mul, fe_add and
 * fe_sub are Thumb-2 assembly: GCC turns the C of a Montgomery multiplication into UMLAL + ADC +
 * MOV (about 1,120 instructions), the assembly below uses UMAAL (hi:lo = x*y + lo + hi, one
 * cycle on the Cortex-M4) and keeps the accumulator in registers (about 350). Branch-free
 * everywhere: carries become masks. */
#include "ec.h"

typedef uint64_t u64;

/* r = a*b/2^256 mod p (Montgomery form), a, b < p; r may be a or b. CIOS (Koc et al. 1996),
 * both halves of a row in one pass: for i = 0..7
 *     t += a[i]*b;  m = t[0]*pinv mod 2^32 (so t[0] + m*p[0] = 0 mod 2^32);  t = (t + m*p) / 2^32
 * t < 2p after every row, so it is t0..t7 and a top bit t8. Two carry words: C1 of a[i]*b, C2 of
 * m*p, each a UMAAL chain; then t8 + C1 + C2 is the new t7 and t8, one UMAAL (t8*t8 = t8).
 * Registers: r0 a loaded word, r1 a[i], r2 m; t0..t8, C1, C2 in r3-r12, lr, renamed from row to
 * row (the t0 register leaves each row 0: the next C1; the t8 register becomes the next C2).
 * a, b, p and pinv are copied to the stack first, so that every load is SP-relative (no pointer
 * registers left). No branch, no table: position independent and constant time.
 * Stack: 36 pushed + 104 (a, b, p, pinv, r). Last, t - p, with p added back (mask) when that
 * borrowed and t8 = 0 (t8 = 1 always borrows: 2^256 > p). */
#define FM_B 32  /* stack offsets: a at 0, b, p, pinv, r */
#define FM_P 64
#define FM_PINV 96
#define FM_R 100
#define FM_STR2(x) #x
#define FM_STR(x) FM_STR2(x)
__attribute__((naked)) void fe_mul(uint32_t *r, const uint32_t *a, const uint32_t *b,
                                   const ec_curve *c) {
  (void)r; (void)a; (void)b; (void)c;
  __asm__ volatile(
    ".macro FM_MAC2 j, t, c1, c2\n\t" /* t += a[i]*b[j] + C1, then t += m*p[j] + C2 */
    "ldr r0, [sp, #" FM_STR(FM_B) "+4*\\j]\n\t"
    "umaal \\t, \\c1, r1, r0\n\t"
    "ldr r0, [sp, #" FM_STR(FM_P) "+4*\\j]\n\t"
    "umaal \\t, \\c2, r2, r0\n\t"
    ".endm\n\t"
    ".macro FM_ROW i, t0, t1, t2, t3, t4, t5, t6, t7, t8, c1, c2\n\t"
    "ldr r1, [sp, #4*\\i]\n\t"        /* a[i] */
    "ldr r0, [sp, #" FM_STR(FM_B) "]\n\t"
    "umaal \\t0, \\c1, r1, r0\n\t"
    "ldr r2, [sp, #" FM_STR(FM_PINV) "]\n\t"
    "mul r2, \\t0, r2\n\t"            /* m */
    "ldr r0, [sp, #" FM_STR(FM_P) "]\n\t"
    "umaal \\t0, \\c2, r2, r0\n\t"    /* t0 = 0 by the choice of m: only its carry */
    "FM_MAC2 1, \\t1, \\c1, \\c2\n\t"
    "FM_MAC2 2, \\t2, \\c1, \\c2\n\t"
    "FM_MAC2 3, \\t3, \\c1, \\c2\n\t"
    "FM_MAC2 4, \\t4, \\c1, \\c2\n\t"
    "FM_MAC2 5, \\t5, \\c1, \\c2\n\t"
    "FM_MAC2 6, \\t6, \\c1, \\c2\n\t"
    "FM_MAC2 7, \\t7, \\c1, \\c2\n\t"
    "umaal \\c2, \\c1, \\t8, \\t8\n\t" /* c2 = new t7, c1 = new t8 (0 or 1) */
    "movs \\t8, #0\n\t"               /* the next row's C2 */
    ".endm\n\t"
    ".macro FM_SUB j, t, op\n\t"      /* t -= p[j] with borrow */
    "ldr r0, [sp, #" FM_STR(FM_P) "+4*\\j]\n\t"
    "\\op \\t, \\t, r0\n\t"
    ".endm\n\t"
    ".macro FM_ADDBACK j, t, op\n\t"  /* t += p[j] & mask (r9), with carry; AND keeps the flags */
    "ldr r0, [sp, #" FM_STR(FM_P) "+4*\\j]\n\t"
    "and r0, r0, r9\n\t"
    "\\op \\t, \\t, r0\n\t"
    ".endm\n\t"
    "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
    "sub sp, #104\n\t"
    "str r0, [sp, #" FM_STR(FM_R) "]\n\t"
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
    "movs r3, #0\n\t" "movs r4, #0\n\t" "movs r5, #0\n\t" "movs r6, #0\n\t"
    "movs r7, #0\n\t" "mov r8, r3\n\t" "mov r9, r3\n\t" "mov r10, r3\n\t"
    "mov r11, r3\n\t" "mov r12, r3\n\t" "mov lr, r3\n\t"
    /*       i  t0   t1   t2   t3   t4   t5   t6   t7   t8   C1   C2 */
    "FM_ROW 0, r3,  r4,  r5,  r6,  r7,  r8,  r9,  r10, r11, r12, lr\n\t"
    "FM_ROW 1, r4,  r5,  r6,  r7,  r8,  r9,  r10, lr,  r12, r3,  r11\n\t"
    "FM_ROW 2, r5,  r6,  r7,  r8,  r9,  r10, lr,  r11, r3,  r4,  r12\n\t"
    "FM_ROW 3, r6,  r7,  r8,  r9,  r10, lr,  r11, r12, r4,  r5,  r3\n\t"
    "FM_ROW 4, r7,  r8,  r9,  r10, lr,  r11, r12, r3,  r5,  r6,  r4\n\t"
    "FM_ROW 5, r8,  r9,  r10, lr,  r11, r12, r3,  r4,  r6,  r7,  r5\n\t"
    "FM_ROW 6, r9,  r10, lr,  r11, r12, r3,  r4,  r5,  r7,  r8,  r6\n\t"
    "FM_ROW 7, r10, lr,  r11, r12, r3,  r4,  r5,  r6,  r8,  r9,  r7\n\t"
    /* t0..t7 = lr, r11, r12, r3-r7; t8 = r9 */
    "FM_SUB 0, lr, subs\n\t" "FM_SUB 1, r11, sbcs\n\t" "FM_SUB 2, r12, sbcs\n\t"
    "FM_SUB 3, r3, sbcs\n\t" "FM_SUB 4, r4, sbcs\n\t" "FM_SUB 5, r5, sbcs\n\t"
    "FM_SUB 6, r6, sbcs\n\t" "FM_SUB 7, r7, sbcs\n\t"
    "sbc r9, r9, #0\n\t"              /* t8 - borrow: -1 (add p back) or 0 */
    "FM_ADDBACK 0, lr, adds\n\t" "FM_ADDBACK 1, r11, adcs\n\t" "FM_ADDBACK 2, r12, adcs\n\t"
    "FM_ADDBACK 3, r3, adcs\n\t" "FM_ADDBACK 4, r4, adcs\n\t" "FM_ADDBACK 5, r5, adcs\n\t"
    "FM_ADDBACK 6, r6, adcs\n\t" "FM_ADDBACK 7, r7, adcs\n\t"
    "ldr r0, [sp, #" FM_STR(FM_R) "]\n\t"
    "str lr, [r0]\n\t"
    "str r11, [r0, #4]\n\t"
    "str r12, [r0, #8]\n\t"
    "adds r0, #12\n\t"
    "stm r0, {r3-r7}\n\t"
    "add sp, #104\n\t"
    "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"
    ".purgem FM_MAC2\n\t"
    ".purgem FM_ROW\n\t"
    ".purgem FM_SUB\n\t"
    ".purgem FM_ADDBACK\n\t");
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
