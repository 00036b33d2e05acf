/* SHA-384 / SHA-512 (FIPS 180-4 6.4, 6.5), streaming, for EF.SOD files that name them (the Pico
 * has no built-in SHA-512). 64-bit words compile to register pairs; the message schedule is 16
 * words rolling on the stack (128 bytes, not 640). */
#include "md.h"
#include "sha2-constants.h"

typedef struct {
  uint64_t h[8];
  uint8_t buf[128];
  md_counts n;
} sha512_state;

#define STATE_BYTES 224 /* ABI.md: what the caller allocates, and what final wipes */
_Static_assert(sizeof(sha512_state) <= STATE_BYTES, "ABI.md: SHA-512 state is 224 bytes");

static inline uint64_t ror64(uint64_t x, unsigned n) {
  return (x >> n) | (x << (64 - n));
}

static inline uint64_t load_be64(const uint8_t *p) {
  return ((uint64_t)load_be32(p) << 32) | load_be32(p + 4);
}

/* Word i of a table of sha2-constants.h (upper, lower half). */
static inline uint64_t word64(const uint32_t *t, int i) {
  return ((uint64_t)t[2 * i] << 32) | t[2 * i + 1];
}

/* The eight working variables in an array read at (k - i) & 7: renamed, not moved, each round
 * (776 bytes of code instead of 860 with the eight moves; 114,509 instead of 111,037
 * instructions a KB). */
static void compress(void *state, const uint8_t *p) {
  uint64_t *h = (uint64_t *)state, w[16], v[8];
  for (int j = 0; j < 8; j++) v[j] = h[j];
  for (int i = 0; i < 80; i++) {
    uint64_t x;
    if (i < 16) {
      x = w[i] = load_be64(p + 8 * i);
    } else {
      uint64_t w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
      uint64_t s0 = ror64(w15, 1) ^ ror64(w15, 8) ^ (w15 >> 7);
      uint64_t s1 = ror64(w2, 19) ^ ror64(w2, 61) ^ (w2 >> 6);
      x = w[i & 15] += s0 + s1 + w[(i - 7) & 15];
    }
#define V(k) v[((k) - i) & 7]
    uint64_t e = V(4), a = V(0);
    uint64_t t1 = V(7) + (ror64(e, 14) ^ ror64(e, 18) ^ ror64(e, 41)) + ((e & V(5)) ^ (~e & V(6))) + word64(K512, i) + x;
    uint64_t t2 = (ror64(a, 28) ^ ror64(a, 34) ^ ror64(a, 39)) + ((a & V(1)) ^ (a & V(2)) ^ (V(1) & V(2)));
    V(3) += t1;
    V(7) = t1 + t2;
#undef V
  }
  for (int j = 0; j < 8; j++) h[j] += v[(j - 80) & 7];
}

/* Entry 4: bits 384 or 512. */
ENTRY int sha512_init(sha512_state *s, uint32_t bits) {
  if (bits != 384 && bits != 512) return -1;
  const uint32_t *iv = bits == 512 ? IV512 : IV384;
  for (int i = 0; i < 8; i++) s->h[i] = word64(iv, i);
  s->n.total_lo = s->n.total_hi = s->n.used = 0;
  s->n.out_len = bits / 8;
  return 0;
}

/* Entry 5. */
ENTRY int sha512_update(sha512_state *s, const uint8_t *data, uint32_t len) {
  md_update(s->h, s->buf, 128, &s->n, compress, data, len);
  return (int)len;
}

/* Entry 6: writes 48 or 64 bytes, then wipes the state. The 128-bit length field's upper half
 * is zero (md_finish zeroes it and writes the lower 64 bits). */
ENTRY int sha512_final(sha512_state *s, uint8_t *out) {
  md_finish(s->h, s->buf, 128, &s->n, compress);
  uint32_t n = s->n.out_len;
  for (uint32_t i = 0; i < n; i += 8) {
    store_be32(out + i, (uint32_t)(s->h[i / 8] >> 32));
    store_be32(out + i + 4, (uint32_t)s->h[i / 8]);
  }
  secure_zero(s, STATE_BYTES);
  return (int)n;
}
