/* Jacobian point arithmetic for any a (brainpool's a is not -3). Formulas from the Explicit-
 * Formulas Database (Bernstein, Lange): doubling in modified Jacobian coordinates (Cohen,
 * Miyaji, Ono 1998: W = a Z^4 carried along, 3M + 4S, +1M for the next W, instead of
 * dbl-2007-bl's 2M + 8S for any a; 2Y first, so 4 YY, 16 YYYY and 16 YYYY W come without the
 * additions that multiply by 2, 4 and 8) and add-2007-bl (11M + 5S).
 * Infinity (Z = 0) in and out is handled without branches. */
#include "ec.h"

void pt_weight(uint32_t *w, const ec_point *p, const ec_curve *c) {
  fe_mul(w, p->z, p->z, c);
  fe_mul(w, w, w, c);
  fe_mul(w, w, c->a, c);
}

void pt_double_w(ec_point *r, const ec_point *p, const uint32_t *w, uint32_t *w_out,
                 const ec_curve *c) {
  fe xx, a2, b4, s, m, t;
  fe_mul(xx, p->x, p->x, c);
  fe_add(a2, p->y, p->y, c);          /* A = 2Y */
  fe_mul(b4, a2, a2, c);              /* B = A^2 = 4 YY */
  fe_mul(s, p->x, b4, c);             /* S = X B = 4 X YY */
  fe_add(m, xx, xx, c);               /* M = 3 XX + W */
  fe_add(m, m, xx, c);
  fe_add(m, m, w, c);
  fe_mul(r->z, a2, p->z, c);          /* Z3 = A Z = 2 Y Z; X, Y, Z are not read after this */
  fe_mul(t, m, m, c);                 /* X3 = M^2 - 2S */
  fe_sub(t, t, s, c);
  fe_sub(r->x, t, s, c);
  fe_sub(s, s, r->x, c);              /* Y3 = M (S - X3) - 8 YYYY, 8 YYYY = B^2 / 2 */
  fe_mul(s, m, s, c);
  fe_mul(b4, b4, b4, c);              /* B^2 = 16 YYYY */
  if (w_out) fe_mul(w_out, b4, w, c); /* W3 = a Z3^4 = 16 YYYY W (w_out may be w) */
  fe_half(b4, b4, c);
  fe_sub(r->y, s, b4, c);
}

void pt_double(ec_point *r, const ec_point *p, const ec_curve *c) {
  fe w;
  pt_weight(w, p, c);
  pt_double_w(r, p, w, 0, c);
}

void pt_add(ec_point *r, const ec_point *p, const ec_point *q, const ec_curve *c, uint32_t *same) {
  fe z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v;
  ec_point out;
  uint32_t p_inf = 0u - fe_is_zero(p->z), q_inf = 0u - fe_is_zero(q->z);
  fe_mul(z1z1, p->z, p->z, c);
  fe_mul(z2z2, q->z, q->z, c);
  fe_mul(u1, p->x, z2z2, c);
  fe_mul(u2, q->x, z1z1, c);
  fe_mul(s1, p->y, q->z, c);
  fe_mul(s1, s1, z2z2, c);
  fe_mul(s2, q->y, p->z, c);
  fe_mul(s2, s2, z1z1, c);
  fe_sub(h, u2, u1, c);               /* H = U2 - U1 */
  fe_add(i, h, h, c);                 /* I = (2H)^2 */
  fe_mul(i, i, i, c);
  fe_mul(j, h, i, c);                 /* J = H I */
  fe_sub(rr, s2, s1, c);              /* r = 2 (S2 - S1) */
  fe_add(rr, rr, rr, c);
  fe_mul(v, u1, i, c);                /* V = U1 I */
  fe_mul(out.x, rr, rr, c);           /* X3 = r^2 - J - 2V */
  fe_sub(out.x, out.x, j, c);
  fe_sub(out.x, out.x, v, c);
  fe_sub(out.x, out.x, v, c);
  fe_sub(v, v, out.x, c);             /* Y3 = r (V - X3) - 2 S1 J */
  fe_mul(v, rr, v, c);
  fe_mul(s1, s1, j, c);
  fe_add(s1, s1, s1, c);
  fe_sub(out.y, v, s1, c);
  fe_add(out.z, p->z, q->z, c);       /* Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H */
  fe_mul(out.z, out.z, out.z, c);
  fe_sub(out.z, out.z, z1z1, c);
  fe_sub(out.z, out.z, z2z2, c);
  fe_mul(out.z, out.z, h, c);
  *same = fe_is_zero(h) & fe_is_zero(rr) & ~(p_inf | q_inf) & 1;
  /* P = O gives Q, Q = O gives P (both O: O) */
  fe_select((uint32_t *)&out, (const uint32_t *)q, p_inf, 3 * EC_LIMBS);
  fe_select((uint32_t *)&out, (const uint32_t *)p, q_inf & ~p_inf, 3 * EC_LIMBS);
  fe_copy(r->x, out.x); /* a loop, not a struct copy: no memcpy without libc */
  fe_copy(r->y, out.y);
  fe_copy(r->z, out.z);
}
