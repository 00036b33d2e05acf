/* SHA-224 / SHA-256 (FIPS 180-4 6.2, 6.3), streaming: a data group is hashed block by block as
 * it arrives. The whole 64-word schedule is on the stack (256 bytes): the rounds then need no
 * more registers than fit, and eight unrolled rounds in a loop are 800 bytes of code at 37,869
 * instructions a KB (sixteen unrolled over a rolling 16-word schedule: 2,080 bytes, 34,813). */
#include "md.h"

/* sha2-constants.h, defined in sha512.c: SHA-256's K and IV are the upper halves of K512's and
 * IV512's words, IV224 the lower halves of IV384's (FIPS 180-4 4.2.2, 5.3.2, 5.3.3, 5.3.4, 5.3.5).
 * Hidden: reached PC-relative like a table of this file, no GOT. */
#define HIDDEN __attribute__((visibility("hidden")))
extern HIDDEN const uint32_t K512[160];
extern HIDDEN const uint32_t IV512[16];
extern HIDDEN const uint32_t IV384[16];

typedef struct {
  uint32_t h[8];
  uint8_t buf[64];
  md_counts n;
} sha256_state;

#define STATE_BYTES 112 /* ABI.md: what the caller allocates, and what final wipes */
_Static_assert(sizeof(sha256_state) <= STATE_BYTES, "ABI.md: SHA-256 state is 112 bytes");

#define BSIG0(x) (ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22))
#define BSIG1(x) (ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25))
#define SSIG0(x) (ror32(x, 7) ^ ror32(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ror32(x, 17) ^ ror32(x, 19) ^ ((x) >> 10))
#define CH(e, f, g) ((((f) ^ (g)) & (e)) ^ (g))
#define MAJ(a, b, c) (((a) & (b)) | (((a) | (b)) & (c)))
/* One round with the eight working variables renamed instead of moved: d and h change. */
#define ROUND(a, b, c, d, e, f, g, h, x, k) do { \
    uint32_t t1_ = h + BSIG1(e) + CH(e, f, g) + (k) + (x); \
    d += t1_; \
    h = t1_ + BSIG0(a) + MAJ(a, b, c); \
  } while (0)
/* Eight rounds: the variables are back in place after them. k steps over K512's upper halves. */
#define EIGHT(w, k) \
    ROUND(a, b, c, d, e, f, g, h, w[0], k[0]); ROUND(h, a, b, c, d, e, f, g, w[1], k[2]); \
    ROUND(g, h, a, b, c, d, e, f, w[2], k[4]); ROUND(f, g, h, a, b, c, d, e, w[3], k[6]); \
    ROUND(e, f, g, h, a, b, c, d, w[4], k[8]); ROUND(d, e, f, g, h, a, b, c, w[5], k[10]); \
    ROUND(c, d, e, f, g, h, a, b, w[6], k[12]); ROUND(b, c, d, e, f, g, h, a, w[7], k[14])

/* The whole schedule first (FIPS 180-4 6.2.2 step 1; 256 bytes of stack), then eight rounds
 * unrolled, run eight times: few registers besides the working variables, so none spill. */
static void compress(void *state, const uint8_t *p) {
  uint32_t *hs = (uint32_t *)state, w[64];
  for (int j = 0; j < 16; j++) w[j] = load_be32(p + 4 * j);
  for (int j = 16; j < 64; j++) w[j] = SSIG1(w[j - 2]) + w[j - 7] + SSIG0(w[j - 15]) + w[j - 16];
  uint32_t a = hs[0], b = hs[1], c = hs[2], d = hs[3], e = hs[4], f = hs[5], g = hs[6], h = hs[7];
  for (const uint32_t *x = w, *k = K512; x < w + 64; x += 8, k += 16) {
    EIGHT(x, k);
  }
  hs[0] += a; hs[1] += b; hs[2] += c; hs[3] += d; hs[4] += e; hs[5] += f; hs[6] += g; hs[7] += h;
}

/* Entry 12: bits 224 or 256. */
ENTRY int sha256_init(sha256_state *s, uint32_t bits) {
  if (bits != 224 && bits != 256) return -1;
  const uint32_t *iv = bits == 256 ? IV512 : IV384 + 1; /* upper or lower halves */
  for (int i = 0; i < 8; i++) s->h[i] = iv[2 * i];
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
