/* Entries 10-12 of the PACE blob (pace/ABI.md): k·P, P + Q, point check. Points travel as
 * 65-byte SEC 1 uncompressed encodings (04 || x || y, big-endian), scalars as 32 big-endian
 * bytes. k·P is a fixed signed 4-bit window: k recoded into 64 digits in [-8, 8] and a top digit
 * 0 or 1, then 256 doublings and 64 additions of a table entry (1P..8P) picked by masks from all
 * 8 and negated by a mask (no secret-dependent branch or address). */
#include "ec.h"

#define EC_OK 0
#define EC_BAD_ARGUMENT (-1)
#define EC_INVALID_POINT (-2)
#define EC_INFINITY (-3)

/* The caller's ctx (1,764 bytes, 4-byte aligned, pace/ABI.md): word 0 the curve id, the rest
 * scratch that every call wipes before it returns (1,456 bytes of it used). */
typedef struct {
  uint32_t curve_id;
  ec_curve curve;        /* a RAM copy of the curve's block: no flash wait states in the loops */
  fe k;
  int8_t digit[68];      /* k = sum digit[i] 16^i, i = 0..64 */
  fe weight;             /* a Z^4 of acc (modified Jacobian doubling, ec-point.c) */
  ec_point acc, sel, sum;
  ec_point table[8];     /* 1P .. 8P */
} ec_ctx;

_Static_assert(sizeof(ec_ctx) <= 1764, "the EC ctx of pace/ABI.md");

#define STACK_WIPE_BYTES 832 /* >= the deepest frames below an entry (pace/ABI.md) */

static void __attribute__((noinline)) wipe_stack(void) {
  volatile uint32_t pad[STACK_WIPE_BYTES / 4];
  for (uint32_t i = 0; i < STACK_WIPE_BYTES / 4; i++) pad[i] = 0;
  __asm__ volatile("" : : "r"(pad) : "memory");
}

static void load_be(uint32_t *r, const uint8_t *b) {
  for (uint32_t j = 0; j < EC_LIMBS; j++) r[j] = load_be32(b + 4 * (EC_LIMBS - 1 - j));
}

static void store_be(uint8_t *b, const uint32_t *r) {
  for (uint32_t j = 0; j < EC_LIMBS; j++) store_be32(b + 4 * (EC_LIMBS - 1 - j), r[j]);
}

/* 04 || x || y -> Jacobian (x, y, 1) in Montgomery form; EC_INVALID_POINT unless x, y < p and
 * y^2 = x^3 + ax + b (so never infinity, which has no such encoding). */
static int decode_point(ec_point *pt, const uint8_t *in, const ec_curve *c) {
  fe t, u;
  if (in[0] != 4) return EC_INVALID_POINT;
  load_be(pt->x, in + 1);
  load_be(pt->y, in + 1 + EC_BYTES);
  if (!fe_less(pt->x, c->p) || !fe_less(pt->y, c->p)) return EC_INVALID_POINT;
  fe_mul(pt->x, pt->x, c->rr, c);
  fe_mul(pt->y, pt->y, c->rr, c);
  fe_copy(pt->z, c->one);
  fe_mul(t, pt->x, pt->x, c);   /* x^3 + ax + b */
  fe_add(t, t, c->a, c);
  fe_mul(t, t, pt->x, c);
  fe_add(t, t, c->b, c);
  fe_mul(u, pt->y, pt->y, c);
  fe_sub(t, t, u, c);
  return fe_is_zero(t) ? EC_OK : EC_INVALID_POINT;
}

/* Jacobian -> 04 || x || y; EC_INFINITY for Z = 0. */
/* noinline here and below: their locals then sit under ec_mul's frame, where wipe_stack reaches. */
static int __attribute__((noinline)) encode_point(uint8_t *out, ec_point *pt,
                                                 const ec_curve *c) {
  static const fe plain_one = {1, 0, 0, 0, 0, 0, 0, 0};
  fe zi, zi2;
  if (fe_is_zero(pt->z)) return EC_INFINITY;
  fe_inv(zi, pt->z, c);
  fe_mul(zi2, zi, zi, c);
  fe_mul(pt->x, pt->x, zi2, c);
  fe_mul(zi2, zi2, zi, c);
  fe_mul(pt->y, pt->y, zi2, c);
  fe_mul(pt->x, pt->x, plain_one, c); /* out of Montgomery form */
  fe_mul(pt->y, pt->y, plain_one, c);
  out[0] = 4;
  store_be(out + 1, pt->x);
  store_be(out + 1 + EC_BYTES, pt->y);
  return EC_OK;
}

/* sel = table[digit - 1], or infinity (all zero) for digit 0, digit 0..8, reading every entry
 * whole: eight words at a time OR-ed into eight accumulators under a mask per entry (all ones
 * for the digit's entry), so neither a branch nor an address depends on the digit. */
static void __attribute__((noinline)) select_entry(ec_point *sel, const ec_point *table,
                                                   uint32_t digit) {
  uint32_t *out = (uint32_t *)sel;
  for (uint32_t w = 0; w < 3 * EC_LIMBS; w += 8) {
    uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    const uint32_t *t = (const uint32_t *)table + w;
    for (uint32_t i = 1; i <= 8; i++, t += 3 * EC_LIMBS) {
      uint32_t mask = 0u - (((digit ^ i) - 1) >> 31); /* all ones when digit == i */
      s0 |= t[0] & mask; s1 |= t[1] & mask; s2 |= t[2] & mask; s3 |= t[3] & mask;
      s4 |= t[4] & mask; s5 |= t[5] & mask; s6 |= t[6] & mask; s7 |= t[7] & mask;
    }
    out[w] = s0; out[w + 1] = s1; out[w + 2] = s2; out[w + 3] = s3;
    out[w + 4] = s4; out[w + 5] = s5; out[w + 6] = s6; out[w + 7] = s7;
  }
}

/* k (< n) as 65 signed radix-16 digits: d = nibble + carry in 0..16; 8..16 become d - 16 with
 * a carry of 1 into the next nibble. Arithmetic only: no branch on k. */
static void recode(ec_ctx *x) {
  uint32_t carry = 0;
  for (uint32_t i = 0; i < 64; i++) {
    uint32_t v = ((x->k[i >> 3] >> ((i & 7) * 4)) & 15) + carry;
    carry = (v + 8) >> 4;
    x->digit[i] = (int8_t)(v - (carry << 4));
  }
  x->digit[64] = (int8_t)carry;
}

/* sel = digit·P for a digit in -8..8: the entry of |digit|, Y negated (p - Y) by a mask when
 * the digit is negative (Y = 0 only at infinity, where the sign does not matter). */
static void __attribute__((noinline)) select_signed(ec_ctx *x, int32_t digit,
                                                   const ec_curve *c) {
  uint32_t neg = (uint32_t)(digit >> 31);           /* all ones when negative */
  uint32_t mag = ((uint32_t)digit ^ neg) - neg;
  static const fe zero = {0};
  fe ny;
  select_entry(&x->sel, x->table, mag);
  fe_sub(ny, zero, x->sel.y, c);
  fe_select(x->sel.y, ny, neg, EC_LIMBS);
}

/* ctx->acc = k·P for P = ctx->table[0], k < n. The table by doublings where they are cheaper:
 * 2P, 4P, 6P, 8P doubled, 3P, 5P, 7P added (P never equals the other addend: P has order n). */
static void __attribute__((noinline)) multiply(ec_ctx *x, const ec_curve *c) {
  uint32_t same, i;
  ec_point *t = x->table;
  pt_double(&t[1], &t[0], c);
  pt_add(&t[2], &t[1], &t[0], c, &same);
  pt_double(&t[3], &t[1], c);
  pt_add(&t[4], &t[3], &t[0], c, &same);
  pt_double(&t[5], &t[2], c);
  pt_add(&t[6], &t[5], &t[0], c, &same);
  pt_double(&t[7], &t[3], c);
  recode(x);
  select_signed(x, x->digit[64], c); /* 0 or 1 */
  for (i = 0; i < 3 * EC_LIMBS; i++) ((uint32_t *)&x->acc)[i] = ((uint32_t *)&x->sel)[i];
  pt_weight(x->weight, &x->acc, c);
  for (int w = 63; w >= 0; w--) {
    pt_double_w(&x->acc, &x->acc, x->weight, x->weight, c);
    pt_double_w(&x->acc, &x->acc, x->weight, x->weight, c);
    pt_double_w(&x->acc, &x->acc, x->weight, x->weight, c);
    pt_double_w(&x->acc, &x->acc, x->weight, 0, c);
    select_signed(x, x->digit[w], c);
    pt_add(&x->acc, &x->acc, &x->sel, c, &same);
    /* acc = 16 v P, sel = d P, 0 < 16 v + d < n whenever acc is not infinity, so the sum is
     * never infinity, and acc = sel (where pt_add's formula fails) needs 16 v = d mod n: only
     * in the last window, for k = n + 2d (d = -1..-8; e.g. n - 2 on P-256, whose n is 1 mod
     * 16). There the double of sel is computed whatever k and kept by a mask. */
    if (w == 0) {
      pt_double(&x->sum, &x->sel, c);
      fe_select((uint32_t *)&x->acc, (const uint32_t *)&x->sum, 0u - same, 3 * EC_LIMBS);
    }
    pt_weight(x->weight, &x->acc, c);
  }
}

/* The curve of ctx word 0 copied into the ctx (RAM: the flash's wait states would cost every
 * field operation its loads of p), or 0 for an unknown id. */
static const ec_curve *load_curve(ec_ctx *x) {
  const ec_curve *c = ec_curve_by_id(x->curve_id);
  if (!c) return 0;
  const uint32_t *from = (const uint32_t *)c;
  for (uint32_t i = 0; i < sizeof *c / 4; i++) ((uint32_t *)&x->curve)[i] = from[i];
  return &x->curve;
}

/* Entry 10: out = k·P (P = in, or the curve's generator when in is 0). k is 32 bytes; k >= n
 * is reduced once (n > 2^255 for every curve here). */
ENTRY int ec_mul(ec_ctx *x, const uint8_t *scalar, const uint8_t *in, uint8_t *out) {
  if (!x || !scalar || !out) return EC_BAD_ARGUMENT;
  const ec_curve *c = load_curve(x);
  if (!c) return EC_BAD_ARGUMENT;
  int rc = EC_OK;
  if (in) {
    rc = decode_point(&x->table[0], in, c);
  } else {
    fe_copy(x->table[0].x, c->gx);
    fe_copy(x->table[0].y, c->gy);
    fe_copy(x->table[0].z, c->one);
  }
  if (rc == EC_OK) {
    fe d;
    load_be(x->k, scalar);
    uint32_t below = fe_less(x->k, c->n);
    uint32_t borrow = 0;
    for (uint32_t j = 0; j < EC_LIMBS; j++) { /* k - n without the field's p */
      uint64_t v = (uint64_t)x->k[j] - c->n[j] - borrow;
      d[j] = (uint32_t)v;
      borrow = (uint32_t)(v >> 32) & 1;
    }
    fe_select(x->k, d, (0u - below) ^ 0xFFFFFFFFu, EC_LIMBS);
    multiply(x, c);
    rc = encode_point(out, &x->acc, c);
  }
  ec_wipe(&x->curve, sizeof *x - 4); /* all but the id */
  wipe_stack();
  return rc;
}

/* Entry 11: out = P + Q (public points: PACE-GM G' = s·G + H); P = Q doubles. */
ENTRY int ec_add(ec_ctx *x, const uint8_t *p, const uint8_t *q, uint8_t *out) {
  if (!x || !p || !q || !out) return EC_BAD_ARGUMENT;
  const ec_curve *c = load_curve(x);
  if (!c) return EC_BAD_ARGUMENT;
  uint32_t same;
  int rc = decode_point(&x->acc, p, c);
  if (rc == EC_OK) rc = decode_point(&x->sel, q, c);
  if (rc == EC_OK) {
    pt_add(&x->sum, &x->acc, &x->sel, c, &same);
    if (same) pt_double(&x->sum, &x->acc, c);
    rc = encode_point(out, &x->sum, c);
  }
  ec_wipe(&x->curve, sizeof *x - 4); /* all but the id */
  return rc;
}

/* Entry 12: 0 when P is a valid point of the curve (x, y < p, on the curve; not infinity). */
ENTRY int ec_check(ec_ctx *x, const uint8_t *p) {
  const ec_curve *c = x ? ec_curve_by_id(x->curve_id) : 0;
  if (!c || !p) return EC_BAD_ARGUMENT;
  ec_point pt;
  return decode_point(&pt, p, c);
}
