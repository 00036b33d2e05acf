/* Elliptic curves for PACE and Chip Authentication (pace/ABI.md, entries 10-12): short
 * Weierstrass y^2 = x^3 + ax + b over a 256-bit prime p of no special form (brainpool), in
 * Montgomery form with 8 little-endian 32-bit limbs, Jacobian coordinates. Constant time: no
 * branch and no memory index depends on a secret (the scalar, or the point in a multiplication). */
#ifndef EC_H
#define EC_H

#include "native.h"

#define EC_LIMBS 8
#define EC_BYTES 32

typedef uint32_t fe[EC_LIMBS];

/* One curve's parameter block (rodata, ec-curves.c); field values in Montgomery form (xR mod p,
 * R = 2^256), p and n plain. */
typedef struct {
  uint32_t id;   /* ICAO 9303 Part 11 §9.5.1 standardized domain parameter id */
  uint32_t pinv; /* -p^-1 mod 2^32 */
  fe p, rr, one, a, b, gx, gy, n; /* rr = R^2 mod p, one = R mod p */
} ec_curve;

typedef struct { fe x, y, z; } ec_point; /* Jacobian: (X/Z^2, Y/Z^3); Z = 0 is infinity */

const ec_curve *ec_curve_by_id(uint32_t id);

/* Field (ec-field.c); every input and output fully reduced (< p). */
void fe_mul(uint32_t *r, const uint32_t *a, const uint32_t *b, const ec_curve *c);
void fe_add(uint32_t *r, const uint32_t *a, const uint32_t *b, const ec_curve *c);
void fe_sub(uint32_t *r, const uint32_t *a, const uint32_t *b, const ec_curve *c);
void fe_inv(uint32_t *r, const uint32_t *a, const ec_curve *c);
void fe_half(uint32_t *r, const uint32_t *a, const ec_curve *c);      /* a/2 mod p */
uint32_t fe_is_zero(const uint32_t *a);                  /* 1 or 0, constant time */
uint32_t fe_less(const uint32_t *a, const uint32_t *b);   /* 1 when a < b, constant time */
void fe_select(uint32_t *r, const uint32_t *a, uint32_t mask, uint32_t n); /* r = mask ? a : r */
void fe_copy(uint32_t *r, const uint32_t *a);

/* Points (ec-point.c). */
void pt_double(ec_point *r, const ec_point *p, const ec_curve *c);
/* w = a Z^4 of p, the weight modified Jacobian doubling carries along. */
void pt_weight(uint32_t *w, const ec_point *p, const ec_curve *c);
/* r = 2p given w = a Z^4 of p; with w_out (may be w) also a Z^4 of r, for the next doubling.
 * r may be p. w_out is chosen by the caller's loop position, never by a secret. */
void pt_double_w(ec_point *r, const ec_point *p, const uint32_t *w, uint32_t *w_out,
                 const ec_curve *c);
/* Sum of two points, infinity handled in constant time; P == Q (not infinity) gives a wrong
 * result with *same set to 1, so the caller can double instead. */
void pt_add(ec_point *r, const ec_point *p, const ec_point *q, const ec_curve *c, uint32_t *same);

/* Scratch wipe the compiler may not drop. */
void ec_wipe(void *p, uint32_t n);

#endif
