/* DES / 3DES context (ABI.md "DES ctx", 400 bytes) and the block functions retail-mac.c uses. */
#ifndef DES_H
#define DES_H

#include "native.h"

typedef struct {
  /* K1, K2, K3: 16 rounds x (S1/S3/S5/S7 word, S2/S4/S6/S8 word). For 3DES (keylen 16 or 24)
   * K2's rounds are stored last-first, so that E(K1) D(K2) E(K3) is one forward sweep.
   * des_cbc decrypting reverses the round pairs in place for the call and restores them. */
  uint32_t ks[3][32];
  uint8_t cv[8];        /* chaining value / IV, as the bytes of a block */
  uint32_t keylen;      /* 8, 16 or 24 */
  uint32_t sp_table;    /* address of a RAM copy of the 2 KB SP tables, or 0 for the blob's */
} des_ctx;

_Static_assert(sizeof(des_ctx) == 400, "ABI.md: DES ctx is 400 bytes");

/* One single-DES pass (IP, 16 rounds, FP) on two big-endian words {l, r}, forwards through a
 * schedule of ctx: forwards through ks[1] of a 3DES ctx is decryption with K2. */
void des_pass(const des_ctx *ctx, const uint32_t *ks, uint32_t *lr);

/* CBC-MAC steps with K1 (ks[0]) over data[0, len), len a multiple of 8, chaining value {l, r}. */
void des_mac_blocks(const des_ctx *ctx, const uint8_t *data, uint32_t len, uint32_t *cv);

#endif
