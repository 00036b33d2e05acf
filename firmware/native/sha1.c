/* SHA-1 (FIPS 180-4 6.1), streaming: BAC key derivation and EF.SOD files that name id-sha1.
 * The message schedule is 16 words rolling on the stack. */
#include "md.h"

typedef struct {
  uint32_t h[5];
  uint8_t buf[64];
  md_counts n;
} sha1_state;

#define STATE_BYTES 104 /* ABI.md: what the caller allocates, and what final wipes */
_Static_assert(sizeof(sha1_state) <= STATE_BYTES, "ABI.md: SHA-1 state is 104 bytes");

static void compress(void *state, const uint8_t *p) {
  uint32_t *h = (uint32_t *)state, w[16];
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; i++) {
    uint32_t x, f, k;
    if (i < 16) {
      x = w[i] = load_be32(p + 4 * i);
    } else {
      x = w[(i - 3) & 15] ^ w[(i - 8) & 15] ^ w[(i - 14) & 15] ^ w[i & 15];
      x = w[i & 15] = ror32(x, 31);
    }
    if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999u; }
    else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1u; }
    else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDCu; }
    else { f = b ^ c ^ d; k = 0xCA62C1D6u; }
    uint32_t t = ror32(a, 27) + f + e + k + x;
    e = d; d = c; c = ror32(b, 2); b = a; a = t;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

/* Entry 15. */
ENTRY int sha1_init(sha1_state *s) {
  static const uint32_t IV[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  for (int i = 0; i < 5; i++) s->h[i] = IV[i];
  s->n.total_lo = s->n.total_hi = s->n.used = 0;
  s->n.out_len = 20;
  return 0;
}

/* Entry 16. */
ENTRY int sha1_update(sha1_state *s, const uint8_t *data, uint32_t len) {
  md_update(s->h, s->buf, 64, &s->n, compress, data, len);
  return (int)len;
}

/* Entry 17: writes 20 bytes, then wipes the state. */
ENTRY int sha1_final(sha1_state *s, uint8_t *out) {
  md_finish(s->h, s->buf, 64, &s->n, compress);
  for (int i = 0; i < 5; i++) store_be32(out + 4 * i, s->h[i]);
  secure_zero(s, STATE_BYTES);
  return 20;
}
