/* AES-128/192/256 (FIPS 197): key expansion, one-block ECB both ways, CBC in place (entries 0-2
 * of pace/ABI.md). Byte S-box (256 + 256 bytes, copied into the ctx) and MixColumns on whole
 * 32-bit columns (four xtimes in one word operation): small, and no look-up other than the
 * S-box, so no secret-dependent address except into SRAM and no secret-dependent branch. */
#include "aes.h"
#include "aes-sbox.h"

static inline uint32_t load_le32(const uint8_t *p) {
  return ((const unaligned_u32 *)p)->v;
}

static inline void store_le32(uint8_t *p, uint32_t v) {
  ((unaligned_u32 *)p)->v = v;
}

/* xtime (multiplication by x in GF(2^8), FIPS 197 4.2.1) of the four bytes of w at once. */
static inline uint32_t xtime4(uint32_t w) {
  return ((w & 0x7f7f7f7fu) << 1) ^ (((w >> 7) & 0x01010101u) * 0x1bu);
}

/* MixColumns of one column (FIPS 197 5.1.3): b_i = 2(a_i ^ a_i+1) ^ a_i+1 ^ a_i+2 ^ a_i+3. */
static inline uint32_t mix_column(uint32_t c) {
  uint32_t r = ror32(c, 8);
  return xtime4(c ^ r) ^ r ^ ror32(c, 16) ^ ror32(c, 24);
}

/* InvMixColumns = MixColumns after adding 4(a_i ^ a_i+2) to each a_i (the 0e 0b 0d 09 matrix
 * factors as 02 03 01 01 times 05 00 04 00, FIPS 197 5.3.3). */
static inline uint32_t inv_mix_column(uint32_t c) {
  return mix_column(c ^ xtime4(xtime4(c ^ ror32(c, 16))));
}

/* One output column of (Inv)SubBytes + (Inv)ShiftRows: row r from the column given for it. */
static inline uint32_t sub_column(const uint8_t *s, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3) {
  return (uint32_t)s[r0 & 0xff] | ((uint32_t)s[(r1 >> 8) & 0xff] << 8) |
         ((uint32_t)s[(r2 >> 16) & 0xff] << 16) | ((uint32_t)s[r3 >> 24] << 24);
}

static inline uint32_t sub_word(const uint8_t *s, uint32_t w) {
  return sub_column(s, w, w, w, w);
}

int aes_key_schedule(aes_ctx *x, const uint8_t *key, uint32_t keylen) {
  if (aes_ctx_bad(x) || !key || (keylen != 16 && keylen != 24 && keylen != 32)) return -1;
  for (uint32_t i = 0; i < 512; i += 4) store_le32(x->sbox + i, load_le32(AES_SBOX + i));
  uint32_t nk = keylen / 4, total = 4 * (nk + 7), rcon = 1, k = nk - 1;
  for (uint32_t i = 0; i < nk; i++) x->rk[i] = load_le32(key + 4 * i);
  for (uint32_t i = nk; i < total; i++) {
    uint32_t t = x->rk[i - 1];
    if (++k == nk) k = 0;  /* k = i mod nk without a division */
    if (k == 0) {
      t = sub_word(x->sbox, ror32(t, 8)) ^ rcon;  /* RotWord, SubWord, Rcon (5.2) */
      rcon = xtime4(rcon);
    } else if (nk == 8 && k == 4) {
      t = sub_word(x->sbox, t);
    }
    x->rk[i] = x->rk[i - nk] ^ t;
  }
  x->rounds = nk + 6;
  for (uint32_t i = 0; i < 16; i++) x->iv[i] = 0;
  return 0;
}

void aes_encrypt_block(const aes_ctx *x, const uint8_t *in, uint8_t *out) {
  const uint32_t *rk = x->rk;
  const uint8_t *s = x->sbox;
  uint32_t s0 = load_le32(in) ^ rk[0], s1 = load_le32(in + 4) ^ rk[1];
  uint32_t s2 = load_le32(in + 8) ^ rk[2], s3 = load_le32(in + 12) ^ rk[3];
  uint32_t t0, t1, t2, t3;
  for (uint32_t r = 1;; r++) {
    rk += 4;
    t0 = sub_column(s, s0, s1, s2, s3);
    t1 = sub_column(s, s1, s2, s3, s0);
    t2 = sub_column(s, s2, s3, s0, s1);
    t3 = sub_column(s, s3, s0, s1, s2);
    if (r == x->rounds) break;
    s0 = mix_column(t0) ^ rk[0];
    s1 = mix_column(t1) ^ rk[1];
    s2 = mix_column(t2) ^ rk[2];
    s3 = mix_column(t3) ^ rk[3];
  }
  store_le32(out, t0 ^ rk[0]);
  store_le32(out + 4, t1 ^ rk[1]);
  store_le32(out + 8, t2 ^ rk[2]);
  store_le32(out + 12, t3 ^ rk[3]);
}

static void aes_decrypt_block(const aes_ctx *x, const uint8_t *in, uint8_t *out) {
  const uint32_t *rk = x->rk + 4 * x->rounds;
  const uint8_t *s = x->inv_sbox;
  uint32_t s0 = load_le32(in) ^ rk[0], s1 = load_le32(in + 4) ^ rk[1];
  uint32_t s2 = load_le32(in + 8) ^ rk[2], s3 = load_le32(in + 12) ^ rk[3];
  uint32_t t0, t1, t2, t3;
  for (;;) {
    rk -= 4;
    t0 = sub_column(s, s0, s3, s2, s1) ^ rk[0];
    t1 = sub_column(s, s1, s0, s3, s2) ^ rk[1];
    t2 = sub_column(s, s2, s1, s0, s3) ^ rk[2];
    t3 = sub_column(s, s3, s2, s1, s0) ^ rk[3];
    if (rk == x->rk) break;
    s0 = inv_mix_column(t0);
    s1 = inv_mix_column(t1);
    s2 = inv_mix_column(t2);
    s3 = inv_mix_column(t3);
  }
  store_le32(out, t0);
  store_le32(out + 4, t1);
  store_le32(out + 8, t2);
  store_le32(out + 12, t3);
}

/* Entry 0. */
ENTRY int aes_setkey(aes_ctx *x, const uint8_t *key, uint32_t keylen) {
  return aes_key_schedule(x, key, keylen);
}

/* Entry 1: one block, flags bit 0 = decrypt; in and out may be the same. */
ENTRY int aes_ecb(aes_ctx *x, const uint8_t *in, uint8_t *out, uint32_t flags) {
  if (aes_ctx_bad(x) || !aes_keyed(x) || !in || !out) return -1;
  if (flags & 1) aes_decrypt_block(x, in, out);
  else aes_encrypt_block(x, in, out);
  return 0;
}

/* Entry 2: CBC in place from the chaining value in the ctx, left as the last ciphertext block. */
ENTRY int aes_cbc(aes_ctx *x, uint8_t *buf, uint32_t len, uint32_t flags) {
  if (aes_ctx_bad(x) || !aes_keyed(x) || (len & 15) || (len && !buf)) return -1;
  uint8_t *iv = x->iv;
  for (uint32_t o = 0; o < len; o += 16) {
    uint8_t *p = buf + o;
    if (flags & 1) {
      uint8_t c[16];
      for (uint32_t i = 0; i < 16; i += 4) store_le32(c + i, load_le32(p + i));
      aes_decrypt_block(x, c, p);
      for (uint32_t i = 0; i < 16; i += 4) {
        store_le32(p + i, load_le32(p + i) ^ load_le32(iv + i));
        store_le32(iv + i, load_le32(c + i));
      }
    } else {
      for (uint32_t i = 0; i < 16; i += 4) store_le32(iv + i, load_le32(iv + i) ^ load_le32(p + i));
      aes_encrypt_block(x, iv, iv);
      for (uint32_t i = 0; i < 16; i += 4) store_le32(p + i, load_le32(iv + i));
    }
  }
  return (int)len;
}
