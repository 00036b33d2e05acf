/* DES and Triple DES (FIPS 46-3, ANSI X9.52) in CBC mode over a whole buffer, in place.
 *
 * The classic fast software layout (as in Outerbridge's d3des; written here from FIPS 46-3, the
 * same scheme as firmware/src/crypto/des.ts): S-boxes merged with P into eight 64-word SP
 * tables; the expansion E is two rotations of R, so a round is one key-pair load, two XORs and
 * eight table look-ups; IP and FP are five masked swaps. Between the three DES passes of 3DES the
 * FP/IP pairs cancel and are left out. Rounds are unrolled by two so L and R never swap. One
 * round loop, forwards only: decryption runs it over the round-key pairs reversed in place. */
#include "des.h"
#include "des-sp.h"

/* PC-1: 56 key bits (1-based, MSB of byte 0 is bit 1) into C (first 28) and D. */
static const uint8_t PC1[56] = {
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4};
/* PC-2: 48 round-key bits taken from C||D (1-based). */
static const uint8_t PC2[48] = {
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32};
/* Left rotations of C and D before each round, as a bit mask: bit i set = rotate by 2. */
#define DOUBLE_SHIFTS 0x7EFCu

/* Round keys arranged like the rotated R words: S1,S3,S5,S7 inputs at bits 26,18,10,2 of the
 * first word, S2,S4,S6,S8 at the same bits of the second. Parity bits are ignored. */
static void key_schedule(const uint8_t *key, uint32_t *ks) {
  uint32_t c = 0, d = 0;
  for (int i = 0; i < 56; i++) {
    unsigned b = PC1[i] - 1u;
    uint32_t bit = (key[b >> 3] >> (7 - (b & 7))) & 1u;
    if (i < 28) c = (c << 1) | bit; else d = (d << 1) | bit;
  }
  for (int round = 0; round < 16; round++) {
    unsigned s = 1u + ((DOUBLE_SHIFTS >> round) & 1u);
    c = ((c << s) | (c >> (28 - s))) & 0x0FFFFFFFu;
    d = ((d << s) | (d >> (28 - s))) & 0x0FFFFFFFu;
    uint32_t k[2] = {0, 0};
    for (unsigned j = 0; j < 48; j++) {
      unsigned b = PC2[j] - 1u;
      uint32_t bit = b < 28 ? (c >> (27 - b)) & 1u : (d >> (55 - b)) & 1u;
      unsigned box = j / 6;
      k[box & 1] |= bit << (26 - ((box >> 1) << 3) + (5 - (j - box * 6)));
    }
    ks[2 * round] = k[0];
    ks[2 * round + 1] = k[1];
  }
}

/* Sixteen rounds as Thumb-2 inline assembly, because GCC, given the same in C, adds 64*box to
 * every index and spills. A round is 27 instructions: one LDRD of the key pair, two EOR with R
 * rotated (the expansion E), and per S-box one extract, one load, one XOR. The eight SP tables
 * sit in eight base registers; with l, r, two words, a scratch and the key pointer that is all
 * 14, so the loop end (four rounds an iteration) is compared from memory. */
#define LOOKUP(dst, extract, s) \
    extract "\n\tldr %[t], [%[" s "], %[t], lsl #2]\n\teor %[" dst "], %[" dst "], %[t]\n\t"
#define ROUND(dst, src, off) \
    "ldrd %[w1], %[w2], [%[k], #" off "]\n\t" \
    "eor %[w1], %[w1], %[" src "], ror #1\n\t" \
    "eor %[w2], %[w2], %[" src "], ror #29\n\t" \
    LOOKUP(dst, "lsr %[t], %[w1], #26", "s1") \
    LOOKUP(dst, "lsr %[t], %[w2], #26", "s2") \
    LOOKUP(dst, "ubfx %[t], %[w1], #18, #6", "s3") \
    LOOKUP(dst, "ubfx %[t], %[w2], #18, #6", "s4") \
    LOOKUP(dst, "ubfx %[t], %[w1], #10, #6", "s5") \
    LOOKUP(dst, "ubfx %[t], %[w2], #10, #6", "s6") \
    LOOKUP(dst, "ubfx %[t], %[w1], #2, #6", "s7") \
    LOOKUP(dst, "ubfx %[t], %[w2], #2, #6", "s8")

/* `passes` x 16 rounds forwards through consecutive 128-byte schedules (+32 bytes an
 * iteration). Between passes the halves swap, as between two DES; the FP/IP pair there cancels
 * and is left out. The halves come out swapped (R16, L16), ready for FP. Decryption runs this
 * same loop over schedules whose round pairs des_cbc has put in the opposite order. */
static __attribute__((noinline)) void rounds(const uint32_t *ks, uint32_t passes, uint32_t *lr, const uint32_t *sp) {
  uint32_t l = lr[0], r = lr[1], w1, w2, t;
  uintptr_t k = (uintptr_t)ks, end = k + 128, last = k + 128 * passes;
  const uint32_t *s1 = sp, *s2 = s1 + 64, *s3 = s1 + 128, *s4 = s1 + 192;
  const uint32_t *s5 = s1 + 256, *s6 = s1 + 320, *s7 = s1 + 384, *s8 = s1 + 448;
  __asm__ volatile(
    "1:\n\t"
    ROUND("l", "r", "0") ROUND("r", "l", "8") ROUND("l", "r", "16") ROUND("r", "l", "24")
    "add %[k], %[k], #32\n\t"
    "ldr %[t], %[end]\n\t"
    "cmp %[k], %[t]\n\t"
    "bne 1b\n\t"
    "ldr %[t], %[last]\n\t"
    "cmp %[k], %[t]\n\t"
    "beq 2f\n\t"
    "add %[t], %[k], #128\n\t"
    "str %[t], %[end]\n\t"
    "mov %[t], %[l]\n\tmov %[l], %[r]\n\tmov %[r], %[t]\n\t"
    "b 1b\n"
    "2:\n\t"
    : [l] "+r"(l), [r] "+r"(r), [k] "+r"(k), [w1] "=&r"(w1), [w2] "=&r"(w2), [t] "=&r"(t),
      [end] "+m"(end)
    : [last] "m"(last), [s1] "r"(s1), [s2] "r"(s2), [s3] "r"(s3), [s4] "r"(s4),
      [s5] "r"(s5), [s6] "r"(s6), [s7] "r"(s7), [s8] "r"(s8)
    : "cc", "memory");
  lr[0] = r;
  lr[1] = l;
}

#define SWAP(a, b, shift, mask) do { \
    uint32_t t_ = (((a) >> (shift)) ^ (b)) & (mask); (b) ^= t_; (a) ^= t_ << (shift); \
  } while (0)

/* IP and FP are out of line (78 bytes each): cipher_block and the CBC-MAC use them five times, and
 * a call costs 3 to 6 instructions against the 20 of a permutation. */
static __attribute__((noinline)) void initial_permutation(uint32_t *lr) {
  uint32_t l = lr[0], r = lr[1];
  SWAP(l, r, 4, 0x0F0F0F0Fu);
  SWAP(l, r, 16, 0x0000FFFFu);
  SWAP(r, l, 2, 0x33333333u);
  SWAP(r, l, 8, 0x00FF00FFu);
  SWAP(l, r, 1, 0x55555555u);
  lr[0] = l;
  lr[1] = r;
}

static __attribute__((noinline)) void final_permutation(uint32_t *lr) {
  uint32_t l = lr[0], r = lr[1];
  SWAP(l, r, 1, 0x55555555u);
  SWAP(r, l, 8, 0x00FF00FFu);
  SWAP(r, l, 2, 0x33333333u);
  SWAP(l, r, 16, 0x0000FFFFu);
  SWAP(l, r, 4, 0x0F0F0F0Fu);
  lr[0] = l;
  lr[1] = r;
}

/* The SP tables the rounds read: the caller's RAM copy when it set one (no flash wait states
 * on the 384 look-ups of a 3DES block), else the blob's own. */
static inline const uint32_t *sp_tables(const des_ctx *ctx) {
  return ctx->sp_table ? (const uint32_t *)ctx->sp_table : DES_SP;
}

/* The whole cipher on one block: IP, `passes` x 16 rounds from ks, FP. 3DES is EDE = E(K1) D(K2)
 * E(K3): with K2's schedule stored reversed, encryption is all 48 rounds forwards from ks[0]. */
static __attribute__((noinline)) void cipher_block(const uint32_t *ks, uint32_t passes, uint32_t *lr, const uint32_t *sp) {
  initial_permutation(lr);
  rounds(ks, passes, lr, sp);
  final_permutation(lr);
}

void des_pass(const des_ctx *ctx, const uint32_t *ks, uint32_t *lr) {
  cipher_block(ks, 1, lr, sp_tables(ctx));
}

/* CBC-MAC with single-DES K1 over whole blocks into cv. Between blocks the chaining value stays
 * in the IP domain (IP is linear, FP then IP cancel): a block costs one IP and 16 rounds. */
void des_mac_blocks(const des_ctx *ctx, const uint8_t *data, uint32_t len, uint32_t *cv) {
  const uint32_t *sp = sp_tables(ctx);
  initial_permutation(cv);
  for (const uint8_t *p = data, *end = data + len; p < end; p += 8) {
    uint32_t block[2] = {load_be32(p), load_be32(p + 4)};
    initial_permutation(block);
    cv[0] ^= block[0];
    cv[1] ^= block[1];
    rounds(ctx->ks[0], 1, cv, sp);
  }
  final_permutation(cv);
}

static void copy_schedule(uint32_t *dst, const uint32_t *src) {
  for (int i = 0; i < 32; i++) dst[i] = src[i];
}

/* The first `pairs` round-key pairs from ks in the opposite order: the rounds through them run
 * the cipher backwards. Over one schedule that is its decryption; over ks[0..2] of 3DES it is
 * ks[2], ks[1], ks[0] each backwards, i.e. D(K3) E(K2) D(K1), the EDE decryption. Its own
 * inverse: a second call restores the schedules. */
static void reverse_pairs(uint32_t *ks, uint32_t pairs) {
  uint32_t *lo = ks, *hi = ks + 2 * pairs - 2;
  do { /* pairs is 16 or 48; all four words loaded first, so GCC pairs them into LDRD/STRD */
    uint32_t a = lo[0], b = lo[1], c = hi[0], d = hi[1];
    hi[0] = a;
    hi[1] = b;
    lo[0] = c;
    lo[1] = d;
    lo += 2;
    hi -= 2;
  } while (lo < hi);
}

/* Entry 0: key schedules for an 8-, 16- (K1 K2 K1) or 24-byte key; clears the chaining value. */
ENTRY int des_setkey(des_ctx *ctx, const uint8_t *key, uint32_t keylen) {
  if (keylen != 8 && keylen != 16 && keylen != 24) return -1;
  /* Each distinct key is scheduled once (about 19,000 instructions); repeats are copied. */
  key_schedule(key, ctx->ks[0]);
  if (keylen == 8) {
    copy_schedule(ctx->ks[1], ctx->ks[0]);
  } else {
    key_schedule(key + 8, ctx->ks[1]);
    reverse_pairs(ctx->ks[1], 16);
  }
  if (keylen == 24) key_schedule(key + 16, ctx->ks[2]);
  else copy_schedule(ctx->ks[2], ctx->ks[0]);
  ctx->keylen = keylen;
  secure_zero(ctx->cv, 8);
  return 0;
}

/* Entry 1: CBC over buf[0, len) in place, from and back into the chaining value. Decryption
 * reverses the schedules' round pairs in place for the call (a few hundred instructions, not a
 * second round loop in flash) and puts them back before returning: the ctx comes out as it came
 * in but for the chaining value. */
ENTRY int des_cbc(des_ctx *ctx, uint8_t *buf, uint32_t len, uint32_t flags) {
  if (len & 7) return -1;
  uint32_t cl = load_be32(ctx->cv), cr = load_be32(ctx->cv + 4), lr[2];
  uint32_t passes = ctx->keylen == 8 ? 1 : 3;
  const uint32_t *sp = sp_tables(ctx);
  int decrypt = flags & 1;
  if (decrypt) reverse_pairs(ctx->ks[0], 16 * passes);
  for (uint8_t *p = buf, *end = buf + len; p < end; p += 8) {
    lr[0] = load_be32(p);
    lr[1] = load_be32(p + 4);
    if (decrypt) {
      uint32_t nl = lr[0], nr = lr[1];
      cipher_block(ctx->ks[0], passes, lr, sp);
      lr[0] ^= cl;
      lr[1] ^= cr;
      cl = nl;
      cr = nr;
    } else {
      lr[0] ^= cl;
      lr[1] ^= cr;
      cipher_block(ctx->ks[0], passes, lr, sp);
      cl = lr[0];
      cr = lr[1];
    }
    store_be32(p, lr[0]);
    store_be32(p + 4, lr[1]);
  }
  if (decrypt) reverse_pairs(ctx->ks[0], 16 * passes);
  store_be32(ctx->cv, cl);
  store_be32(ctx->cv + 4, cr);
  return (int)len;
}
