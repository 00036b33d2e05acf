/* Field arithmetic mod a 256-bit prime given at run time: Montgomery multiplication (CIOS with
 * the reduction interleaved, Koc et al. 1996), 8 x 32-bit limbs. The 64-bit sums are
 * a*b + c + d, which GCC turns into one UMAAL each. Branch-free: carries become masks. */
#include "ec.h"

typedef uint64_t u64;

void fe_mul(uint32_t *r, const uint32_t *a, const uint32_t *b, const ec_curve *c) {
  const uint32_t *p = c->p;
  uint32_t t[EC_LIMBS + 1];
  uint32_t i, j;
  for (j = 0; j <= EC_LIMBS; j++) t[j] = 0;
  for (i = 0; i < EC_LIMBS; i++) {
    uint32_t ai = a[i];
    u64 s = (u64)ai * b[0] + t[0];
    uint32_t m = (uint32_t)s * c->pinv;
    uint32_t c1 = (uint32_t)(s >> 32);
    u64 u = (u64)m * p[0] + (uint32_t)s;
    uint32_t c2 = (uint32_t)(u >> 32);
    for (j = 1; j < EC_LIMBS; j++) {
      s = (u64)ai * b[j] + t[j] + c1;
      c1 = (uint32_t)(s >> 32);
      u = (u64)m * p[j] + (uint32_t)s + c2;
      c2 = (uint32_t)(u >> 32);
      t[j - 1] = (uint32_t)u;
    }
    s = (u64)t[EC_LIMBS] + c1 + c2;
    t[EC_LIMBS - 1] = (uint32_t)s;
    t[EC_LIMBS] = (uint32_t)(s >> 32);
  }
  /* t < 2p: subtract p once when t >= p, chosen by mask */
  uint32_t d[EC_LIMBS], borrow = 0;
  for (j = 0; j < EC_LIMBS; j++) {
    u64 x = (u64)t[j] - p[j] - borrow;
    d[j] = (uint32_t)x;
    borrow = (uint32_t)(x >> 32) & 1;
  }
  uint32_t keep = 0u - (borrow & ~t[EC_LIMBS] & 1); /* t < p: keep t */
  for (j = 0; j < EC_LIMBS; j++) r[j] = (t[j] & keep) | (d[j] & ~keep);
}

void fe_add(uint32_t *r, const uint32_t *a, const uint32_t *b, const ec_curve *c) {
  uint32_t s[EC_LIMBS], d[EC_LIMBS], carry = 0, borrow = 0, j;
  for (j = 0; j < EC_LIMBS; j++) {
    u64 x = (u64)a[j] + b[j] + carry;
    s[j] = (uint32_t)x;
    carry = (uint32_t)(x >> 32);
  }
  for (j = 0; j < EC_LIMBS; j++) {
    u64 x = (u64)s[j] - c->p[j] - borrow;
    d[j] = (uint32_t)x;
    borrow = (uint32_t)(x >> 32) & 1;
  }
  uint32_t keep = 0u - (borrow & ~carry & 1); /* a + b < p */
  for (j = 0; j < EC_LIMBS; j++) r[j] = (s[j] & keep) | (d[j] & ~keep);
}

void fe_sub(uint32_t *r, const uint32_t *a, const uint32_t *b, const ec_curve *c) {
  uint32_t d[EC_LIMBS], borrow = 0, carry = 0, j;
  for (j = 0; j < EC_LIMBS; j++) {
    u64 x = (u64)a[j] - b[j] - borrow;
    d[j] = (uint32_t)x;
    borrow = (uint32_t)(x >> 32) & 1;
  }
  uint32_t mask = 0u - borrow; /* a < b: add p back */
  for (j = 0; j < EC_LIMBS; j++) {
    u64 x = (u64)d[j] + (c->p[j] & mask) + carry;
    r[j] = (uint32_t)x;
    carry = (uint32_t)(x >> 32);
  }
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
