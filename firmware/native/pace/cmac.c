/* AES-CMAC (NIST SP 800-38B, RFC 4493), streaming over a cmac_ctx (entries 3-5 of pace/ABI.md).
 * The last block of the message so far stays in the ctx until final, which XORs K1 (complete
 * block) or K2 (padded with 80 00 ..) into it before the last encryption. */
#include "aes.h"

static void xor_block(uint8_t *dst, const uint8_t *src) {
  for (uint32_t i = 0; i < 16; i++) dst[i] ^= src[i];
}

/* SP 800-38B 6.1: doubling in GF(2^128), R_128 = 0x87. Constant time. */
static void double_block(uint8_t *dst, const uint8_t *src) {
  uint32_t carry = src[0] >> 7;
  for (uint32_t i = 0; i < 15; i++) dst[i] = (uint8_t)((src[i] << 1) | (src[i + 1] >> 7));
  dst[15] = (uint8_t)((src[15] << 1) ^ (0x87 & (0u - carry)));
}

static void clear_message(cmac_ctx *c) {
  for (uint32_t i = 0; i < 16; i++) c->aes.iv[i] = c->last[i] = 0;
  c->used = 0;
}

static int cmac_bad(const cmac_ctx *c) {
  return aes_ctx_bad(c) || !aes_keyed(&c->aes) || c->used > 16;
}

/* Entry 3: keys the ctx and derives K1, K2 from L = E(K, 0^128); L is wiped. */
ENTRY int cmac_init(cmac_ctx *c, const uint8_t *key, uint32_t keylen) {
  if (aes_key_schedule(&c->aes, key, keylen) < 0) return -1;
  clear_message(c);
  uint8_t l[16];
  aes_encrypt_block(&c->aes, c->last, l);
  double_block(c->k1, l);
  double_block(c->k2, c->k1);
  aes_wipe(l, sizeof l);
  return 0;
}

/* Entry 4: any length; X = E(X ^ block) for every block known not to be the last. */
ENTRY int cmac_update(cmac_ctx *c, const uint8_t *data, uint32_t len) {
  if (cmac_bad(c) || (len && !data)) return -1;
  uint8_t *x = c->aes.iv;
  while (len) {
    if (c->used == 16) {
      xor_block(x, c->last);
      aes_encrypt_block(&c->aes, x, x);
      c->used = 0;
    }
    if (c->used == 0) {
      for (; len > 16; data += 16, len -= 16) {
        xor_block(x, data);
        aes_encrypt_block(&c->aes, x, x);
      }
    }
    for (; len && c->used < 16; len--) c->last[c->used++] = *data++;
  }
  return 0;
}

/* Entry 5: writes the 16-byte tag to out; the ctx is then ready for a new message (same key). */
ENTRY int cmac_final(cmac_ctx *c, uint8_t *out) {
  if (cmac_bad(c) || !out) return -1;
  uint8_t *x = c->aes.iv;
  if (c->used == 16) {
    xor_block(x, c->k1);
  } else {
    c->last[c->used] = 0x80;
    for (uint32_t i = c->used + 1; i < 16; i++) c->last[i] = 0;
    xor_block(x, c->k2);
  }
  xor_block(x, c->last);
  aes_encrypt_block(&c->aes, x, out);
  clear_message(c);
  return 16;
}
