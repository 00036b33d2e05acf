/* 3DES secure messaging (ICAO 9303-11 §9.8): one call checks and opens a protected response
 * APDU, so that the interpreter runs none of the per-byte work (issue #13). Same acceptance as
 * the TypeScript reference (firmware/src/icao/secure-messaging.ts): the random cross-check in
 * sm-random.test.ts compares both on good and corrupted responses. */
#include "des.h"

/* Caller-owned SM context (ABI.md "SM ctx"): both key schedules and the SSC in one block. */
typedef struct {
  des_ctx enc;     /* keyed by des_setkey(KSenc, 16) */
  des_ctx mac;     /* keyed by des_setkey(KSmac, 16) */
  uint8_t ssc[8];  /* send sequence counter, big-endian */
} sm_ctx;

_Static_assert(sizeof(sm_ctx) == 808, "ABI.md: SM ctx is 808 bytes");

/* Failures (ABI.md "sm_unwrap"): the session must end on any of them. */
#define SM_BAD_ARGUMENT -1
#define SM_TLV -2            /* tag or length truncated, length form not 1..4 bytes, value past the end */
#define SM_ORDER -3          /* a DO after DO'8E', DO'87' twice or after DO'99', DO'99' twice */
#define SM_DO99 -4           /* DO'99' length is not 2 */
#define SM_DO8E -5           /* DO'8E' length is not 8 */
#define SM_UNEXPECTED -6     /* any other tag */
#define SM_NO_MAC -7         /* no DO'8E' */
#define SM_NO_STATUS -8      /* no DO'99' and the outer status word is not 9000 */
#define SM_MAC -9            /* the MAC does not verify */
#define SM_NO_PI -10         /* DO'87' without the padding-content indicator 01 */
#define SM_CRYPTOGRAM -11    /* cryptogram length not a positive multiple of 8 */
#define SM_PADDING -12       /* not ISO 9797-1 padding method 2 */

ENTRY int des_cbc(des_ctx *ctx, uint8_t *buf, uint32_t len, uint32_t flags);

static void increment_ssc(uint8_t *ssc) {
  for (int i = 7; i >= 0; i--)
    if (++ssc[i]) break;
}

/* Retail MAC (K1 CBC-MAC, then D(K2), E(K1)) of SSC || data[0, n) || padding method 2 into lr. */
static void sm_mac(const sm_ctx *sm, const uint8_t *data, uint32_t n, uint32_t *lr) {
  const des_ctx *k = &sm->mac;
  uint8_t last[8];
  uint32_t whole = n & ~7u, i;
  lr[0] = lr[1] = 0;
  des_mac_blocks(k, sm->ssc, 8, lr);
  des_mac_blocks(k, data, whole, lr);
  for (i = 0; i < 8; i++) last[i] = 0;
  for (i = whole; i < n; i++) last[i - whole] = data[i];
  last[n - whole] = 0x80;
  des_mac_blocks(k, last, 8, lr);
  secure_zero(last, 8);
  des_pass(k, k->ks[1], lr); /* K2's rounds are stored reversed: forwards decrypts */
  des_pass(k, k->ks[0], lr);
}

/* Entry 18: sm_unwrap(sm, resp, len). resp[0, len) is a protected response APDU (len >= 3): DOs
 * 85/87, 99, 8E, then SW1 SW2. Increments the SSC, checks the structure, verifies the MAC over
 * SSC || DOs before DO'8E' (constant-time compare), then decrypts the cryptogram in place, strips
 * the padding and writes the status word (DO'99', else the outer one) right after the plain
 * text. Returns (plain length << 8) | plain offset: resp[offset, offset + length + 2) is the
 * plain data and the status word. Negative: the failures above. Every length is checked
 * against len before it is used; nothing outside resp[0, len) and *sm is read or written. */
ENTRY int sm_unwrap(sm_ctx *sm, uint8_t *resp, uint32_t len) {
  if (len < 3 || len > 0x7FFFFF || sm->mac.keylen == 8) return SM_BAD_ARGUMENT;
  increment_ssc(sm->ssc);
  const uint32_t end = len - 2;
  uint32_t pos = 0, crypto = 0, crypto_end = 0, sw_at = end, mac_at = 0;
  int crypto_tag = 0, have_sw = 0, have_mac = 0;
  while (pos < end) {
    uint32_t start = pos, tag = resp[pos++], n;
    if ((tag & 0x1F) == 0x1F) { /* a multi-byte tag, read as icao/tlv.ts reads it: up to 3 bytes */
      uint32_t extra = 0;
      do {
        if (pos >= end) return SM_TLV;
        if (++extra > 2) return SM_TLV;
        tag = (tag << 8) | resp[pos];
      } while (resp[pos++] & 0x80);
    }
    if (pos >= end) return SM_TLV;
    n = resp[pos++];
    if (n & 0x80) {
      uint32_t k = n & 0x7f;
      if (k == 0 || k > 4 || k > end - pos) return SM_TLV;
      for (n = 0; k; k--) {
        if (n >> 24) return SM_TLV; /* over 2^32: far past any buffer */
        n = (n << 8) | resp[pos++];
      }
    }
    if (n > end - pos) return SM_TLV;
    if (have_mac) return SM_ORDER;
    if (tag == 0x87 || tag == 0x85) {
      if (crypto_tag || have_sw) return SM_ORDER;
      crypto_tag = (int)tag;
      crypto = pos;
      crypto_end = pos + n;
    } else if (tag == 0x99) {
      if (have_sw) return SM_ORDER;
      if (n != 2) return SM_DO99;
      have_sw = 1;
      sw_at = pos;
    } else if (tag == 0x8E) {
      if (n != 8) return SM_DO8E;
      have_mac = 1;
      mac_at = start;
    } else {
      return SM_UNEXPECTED;
    }
    pos += n;
  }
  if (!have_mac) return SM_NO_MAC;
  /* Without DO'99' only a success is accepted; the MAC then covers the data alone. */
  if (!have_sw && (resp[end] != 0x90 || resp[end + 1] != 0x00)) return SM_NO_STATUS;

  uint32_t lr[2];
  sm_mac(sm, resp, mac_at, lr);
  uint8_t diff = 0;
  for (int i = 0; i < 8; i++) diff |= resp[mac_at + 2 + i] ^ (uint8_t)(lr[i >> 2] >> (24 - 8 * (i & 3)));
  secure_zero(lr, sizeof lr);
  if (diff) return SM_MAC;

  /* Authentic from here on; the cryptogram's structure is still checked. */
  const uint8_t sw1 = resp[sw_at], sw2 = resp[sw_at + 1];
  uint32_t plain = 0, plain_len = 0;
  if (crypto_tag) {
    if (crypto_tag == 0x87) {
      if (crypto >= crypto_end || resp[crypto] != 0x01) return SM_NO_PI;
      crypto++;
    }
    uint32_t clen = crypto_end - crypto;
    if (clen < 8 || (clen & 7)) return SM_CRYPTOGRAM;
    secure_zero(sm->enc.cv, 8); /* IV zero (3DES SM) */
    des_cbc(&sm->enc, resp + crypto, clen, 1);
    secure_zero(sm->enc.cv, 8);
    uint32_t i = crypto_end - 1, stop = crypto_end - 8;
    while (i > stop && resp[i] == 0) i--;
    if (resp[i] != 0x80) {
      secure_zero(resp + crypto, clen);
      return SM_PADDING;
    }
    plain = crypto;
    plain_len = i - crypto;
  }
  /* plain + plain_len + 2 <= crypto_end + 1 < len: DO'8E' (10 bytes) follows the cryptogram. */
  resp[plain + plain_len] = sw1;
  resp[plain + plain_len + 1] = sw2;
  return (int)((plain_len << 8) | plain);
}
