/* AES (FIPS 197) for the PACE blob: the context layout shared by aes.c and cmac.c (pace/ABI.md
 * "AES ctx"). Freestanding: no libc, no globals that need relocation. */
#ifndef PACE_AES_H
#define PACE_AES_H

#include "native.h"

#define AES_CTX_BYTES 772
#define CMAC_CTX_BYTES 824

/* Caller-owned, 4-byte aligned. The S-boxes are copied in by aes_setkey so that every look-up
 * reads SRAM: no flash wait states, and no ART data-cache hit or miss that depends on the
 * key or the data (the cache-timing argument is in pace/ABI.md). */
typedef struct {
  uint32_t rk[60];       /* round keys, column words, byte 0 of a column in bits 0-7 */
  uint8_t iv[16];        /* CBC chaining value; the CMAC chaining value X */
  uint32_t rounds;       /* 10, 12 or 14; anything else: not keyed */
  uint8_t sbox[256];
  uint8_t inv_sbox[256];
} aes_ctx;

typedef struct {
  aes_ctx aes;
  uint8_t k1[16], k2[16];  /* SP 800-38B subkeys */
  uint8_t last[16];        /* the message's last block so far: kept until final */
  uint32_t used;           /* bytes in last, 0-16 */
} cmac_ctx;

_Static_assert(sizeof(aes_ctx) == AES_CTX_BYTES, "aes ctx layout (pace/ABI.md)");
_Static_assert(sizeof(cmac_ctx) == CMAC_CTX_BYTES, "cmac ctx layout (pace/ABI.md)");

/* Keys ctx (keylen 16, 24, 32); 0, or -1 for a bad argument. */
int aes_key_schedule(aes_ctx *x, const uint8_t *key, uint32_t keylen);
/* One block; in and out may be the same. The ctx must be keyed. */
void aes_encrypt_block(const aes_ctx *x, const uint8_t *in, uint8_t *out);

static inline int aes_ctx_bad(const void *ctx) {
  return !ctx || ((uint32_t)ctx & 3);
}

static inline int aes_keyed(const aes_ctx *x) {
  return x->rounds == 10 || x->rounds == 12 || x->rounds == 14;
}

static inline void aes_wipe(void *p, uint32_t n) {
  volatile uint8_t *b = (volatile uint8_t *)p;
  while (n--) *b++ = 0;
}

#endif
