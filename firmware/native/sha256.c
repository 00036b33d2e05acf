/* SHA-224 / SHA-256 (FIPS 180-4 6.2, 6.3), streaming: a data group is hashed block by block as
 * it arrives. The message schedule is 16 words rolling on the stack (64 bytes, not 256). */
#include "md.h"
#include "sha2-constants.h"

typedef struct {
  uint32_t h[8];
  uint8_t buf[64];
  md_counts n;
} sha256_state;

#define STATE_BYTES 112 /* ABI.md: what the caller allocates, and what final wipes */
_Static_assert(sizeof(sha256_state) <= STATE_BYTES, "ABI.md: SHA-256 state is 112 bytes");

static void compress(void *state, const uint8_t *p) {
  uint32_t *h = (uint32_t *)state, w[16];
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t x;
    if (i < 16) {
      x = w[i] = load_be32(p + 4 * i);
    } else {
      uint32_t w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
      uint32_t s0 = ror32(w15, 7) ^ ror32(w15, 18) ^ (w15 >> 3);
      uint32_t s1 = ror32(w2, 17) ^ ror32(w2, 19) ^ (w2 >> 10);
      x = w[i & 15] += s0 + s1 + w[(i - 7) & 15];
    }
    uint32_t t1 = hh + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + x;
    uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* Entry 12: bits 224 or 256. */
ENTRY int sha256_init(sha256_state *s, uint32_t bits) {
  if (bits != 224 && bits != 256) return -1;
  const uint32_t *iv = bits == 256 ? IV256 : IV224;
  for (int i = 0; i < 8; i++) s->h[i] = iv[i];
  s->n.total_lo = s->n.total_hi = s->n.used = 0;
  s->n.out_len = bits / 8;
  return 0;
}

/* Entry 13. */
ENTRY int sha256_update(sha256_state *s, const uint8_t *data, uint32_t len) {
  md_update(s->h, s->buf, 64, &s->n, compress, data, len);
  return (int)len;
}

/* Entry 14: writes 28 or 32 bytes, then wipes the state. */
ENTRY int sha256_final(sha256_state *s, uint8_t *out) {
  md_finish(s->h, s->buf, 64, &s->n, compress);
  uint32_t n = s->n.out_len;
  for (uint32_t i = 0; i < n; i += 4) store_be32(out + i, s->h[i / 4]);
  secure_zero(s, STATE_BYTES);
  return (int)n;
}
