/* ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC", ICAO 9303 BAC and 3DES secure messaging) over a
 * DES ctx keyed with the 16-byte MAC key K1 || K2: CBC-MAC with single-DES K1 into the chaining
 * value, then D(K2) and E(K1) on the last value. The caller pads (method 2) and compares. */
#include "des.h"

/* Entry 2: whole blocks into the chaining value. */
ENTRY int mac_update(des_ctx *ctx, const uint8_t *data, uint32_t len) {
  if ((len & 7) || ctx->keylen == 8) return -1;
  uint32_t lr[2] = {load_be32(ctx->cv), load_be32(ctx->cv + 4)};
  des_mac_blocks(ctx, data, len, lr);
  store_be32(ctx->cv, lr[0]);
  store_be32(ctx->cv + 4, lr[1]);
  return (int)len;
}

/* Entry 3: out = E(K1, D(K2, chaining value)); the chaining value restarts at zero. */
ENTRY int mac_final(des_ctx *ctx, uint8_t *out) {
  if (ctx->keylen == 8) return -1;
  uint32_t lr[2] = {load_be32(ctx->cv), load_be32(ctx->cv + 4)};
  des_pass(ctx, ctx->ks[1], lr); /* K2's rounds are stored reversed: forwards decrypts */
  des_pass(ctx, ctx->ks[0], lr);
  store_be32(out, lr[0]);
  store_be32(out + 4, lr[1]);
  secure_zero(ctx->cv, 8);
  return 8;
}
