/* Field arithmetic mod a 256-bit prime given at run time, 8 x 32-bit limbs. fe_mul is a
 * Montgomery multiplication (SOS: the whole product, then the reduction; Koc et al. 1996) in
 * Thumb-2 assembly around UMAAL (hi:lo = x*y + lo + hi, one cycle on the Cortex-M4): GCC makes
 * UMLAL + ADC + MOV of the C (about 1,200 instructions a multiplication), this is 500.
 * Branch-free everywhere: carries become masks. */
#include "ec.h"

typedef uint64_t u64;

/* r = a*b/2^256 mod p (Montgomery form), a, b < p; r may be a or b. Registers plus a 64-byte
 * product T[0..15] on the stack: position independent, no table, no data-dependent branch
 * (the loops run 7 and 8 times whatever the values).
 *   1. T = a*b, one row per a[i] (b[0..7] in r4-r11, r1 = &T[i]): T[i+j] += a[i]*b[j] + carry.
 *   2. Reduce, per i (p[0..7] in r4-r11): m = T[i]*pinv mod 2^32, so T[i] + m*p[0] = 0 mod
 *      2^32, and T[i..i+8] += m*p. The bit carried out of T[i+8] (r12: 0 or 1) goes into
 *      T[i+9] in the next row as UMAAL r0, r2, r12, r12 (r12*r12 = r12). T + m*p < 2^513.
 *   3. T[8..15] + 2^256*r12 < 2p: subtract p; keep T when that borrows out of the top bit. */
__attribute__((naked)) void fe_mul(uint32_t *r, const uint32_t *a, const uint32_t *b,
                                   const ec_curve *c) {
  (void)r; (void)a; (void)b; (void)c;
  __asm__ volatile(
    ".macro FM_MAC off, x, y\n\t"     /* T[off] += x*y + r2 (r1 = &T[i]); r2 = the carry out */
    "ldr r0, [r1, #4*(\\off)]\n\t"
    "umaal r0, r2, \\x, \\y\n\t"
    "str r0, [r1, #4*(\\off)]\n\t"
    ".endm\n\t"
    ".macro FM_SEL reg, off\n\t"      /* reg = T[8 + off] - p[off] (in reg) or T[8 + off], by r12 */
    "ldr r0, [r1, #4*(\\off)]\n\t"
    "eors r0, r0, \\reg\n\t"
    "ands r0, r0, r12\n\t"
    "eors \\reg, \\reg, r0\n\t"
    ".endm\n\t"
    "push {r0, r3, r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
    "sub sp, #68\n\t"                 /* T at sp, pinv at +64, r at +68, c at +72 */
    "ldm r2, {r4-r11}\n\t"            /* b */
    "mov r12, r1\n\t"                 /* &a[0] */
    "mov r1, sp\n\t"                  /* r1 = &T[0] */
    "add lr, r1, #32\n\t"             /* &T[8]: where both loops stop */
    "ldr r3, [r12], #4\n\t"           /* row 0 writes T[0..8] */
    "umull r0, r2, r3, r4\n\t"
    "str r0, [r1]\n\t"
    "movs r0, #0\n\t" "umaal r0, r2, r3, r5\n\t" "str r0, [r1, #4]\n\t"
    "movs r0, #0\n\t" "umaal r0, r2, r3, r6\n\t" "str r0, [r1, #8]\n\t"
    "movs r0, #0\n\t" "umaal r0, r2, r3, r7\n\t" "str r0, [r1, #12]\n\t"
    "movs r0, #0\n\t" "umaal r0, r2, r3, r8\n\t" "str r0, [r1, #16]\n\t"
    "movs r0, #0\n\t" "umaal r0, r2, r3, r9\n\t" "str r0, [r1, #20]\n\t"
    "movs r0, #0\n\t" "umaal r0, r2, r3, r10\n\t" "str r0, [r1, #24]\n\t"
    "movs r0, #0\n\t" "umaal r0, r2, r3, r11\n\t" "str r0, [r1, #28]\n\t"
    "str r2, [r1, #32]\n\t"
    "adds r1, #4\n"
    "1:\n\t"                          /* rows 1-7 */
    "ldr r3, [r12], #4\n\t"
    "movs r2, #0\n\t"
    "FM_MAC 0, r3, r4\n\t" "FM_MAC 1, r3, r5\n\t" "FM_MAC 2, r3, r6\n\t" "FM_MAC 3, r3, r7\n\t"
    "FM_MAC 4, r3, r8\n\t" "FM_MAC 5, r3, r9\n\t" "FM_MAC 6, r3, r10\n\t" "FM_MAC 7, r3, r11\n\t"
    "str r2, [r1, #32]\n\t"
    "adds r1, #4\n\t"
    "cmp r1, lr\n\t"
    "bne 1b\n\t"
    "ldr r3, [sp, #72]\n\t"           /* c: pinv at +4, p at +8 */
    "ldr r0, [r3, #4]\n\t"
    "str r0, [sp, #64]\n\t"
    "adds r3, #8\n\t"
    "ldm r3, {r4-r11}\n\t"            /* p */
    "mov r1, sp\n\t"
    "movs r12, #0\n"
    "2:\n\t"                          /* reduction rows 0-7 */
    "ldr r0, [r1]\n\t"
    "ldr r3, [sp, #64]\n\t"
    "muls r3, r0, r3\n\t"             /* m = T[i]*pinv */
    "movs r2, #0\n\t"
    "umaal r0, r2, r3, r4\n\t"        /* low word 0 by the choice of m: only its carry */
    "FM_MAC 1, r3, r5\n\t" "FM_MAC 2, r3, r6\n\t" "FM_MAC 3, r3, r7\n\t" "FM_MAC 4, r3, r8\n\t"
    "FM_MAC 5, r3, r9\n\t" "FM_MAC 6, r3, r10\n\t" "FM_MAC 7, r3, r11\n\t"
    "FM_MAC 8, r12, r12\n\t"          /* T[i+8] += carry word + previous carry bit */
    "mov r12, r2\n\t"
    "adds r1, #4\n\t"
    "cmp r1, lr\n\t"
    "bne 2b\n\t"
    "ldr r0, [r1]\n\t"                /* r4-r11 = T[8..15] - p (r1 = &T[8]) */
    "subs r4, r0, r4\n\t"
    "ldr r0, [r1, #4]\n\t" "sbcs r5, r0, r5\n\t"
    "ldr r0, [r1, #8]\n\t" "sbcs r6, r0, r6\n\t"
    "ldr r0, [r1, #12]\n\t" "sbcs r7, r0, r7\n\t"
    "ldr r0, [r1, #16]\n\t" "sbcs r8, r0, r8\n\t"
    "ldr r0, [r1, #20]\n\t" "sbcs r9, r0, r9\n\t"
    "ldr r0, [r1, #24]\n\t" "sbcs r10, r0, r10\n\t"
    "ldr r0, [r1, #28]\n\t" "sbcs r11, r0, r11\n\t"
    /* r12 - borrow: -1 (keep T) when T < p and no top bit, else 0 (with the top bit the
     * subtraction always borrows, since 2^256 > p: 1 - 0 cannot happen) */
    "sbc r12, r12, #0\n\t"
    "FM_SEL r4, 0\n\t" "FM_SEL r5, 1\n\t" "FM_SEL r6, 2\n\t" "FM_SEL r7, 3\n\t"
    "FM_SEL r8, 4\n\t" "FM_SEL r9, 5\n\t" "FM_SEL r10, 6\n\t" "FM_SEL r11, 7\n\t"
    "add sp, #68\n\t"
    "pop {r0}\n\t"                    /* r */
    "stm r0, {r4-r11}\n\t"
    "pop {r3, r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"
    ".purgem FM_MAC\n\t"
    ".purgem FM_SEL\n\t");
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
