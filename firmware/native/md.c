#include "md.h"

void md_update(void *h, uint8_t *buf, uint32_t block_size, md_counts *n, md_compress f,
               const uint8_t *data, uint32_t len) {
  uint32_t lo = n->total_lo + len;
  n->total_hi += lo < n->total_lo;
  n->total_lo = lo;
  while (len) {
    if (n->used == 0 && len >= block_size) { /* whole blocks straight from data */
      f(h, data);
      data += block_size;
      len -= block_size;
      continue;
    }
    uint32_t take = block_size - n->used;
    if (take > len) take = len;
    for (uint32_t i = 0; i < take; i++) buf[n->used + i] = data[i];
    n->used += take;
    data += take;
    len -= take;
    if (n->used == block_size) {
      f(h, buf);
      n->used = 0;
    }
  }
}

void md_finish(void *h, uint8_t *buf, uint32_t block_size, md_counts *n, md_compress f) {
  uint32_t used = n->used;
  buf[used++] = 0x80;
  if (used > block_size - block_size / 8) { /* no room for the length field */
    while (used < block_size) buf[used++] = 0;
    f(h, buf);
    used = 0;
  }
  while (used < block_size - 8) buf[used++] = 0;
  store_be32(buf + block_size - 8, (n->total_hi << 3) | (n->total_lo >> 29));
  store_be32(buf + block_size - 4, n->total_lo << 3);
  f(h, buf);
}
