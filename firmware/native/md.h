/* The Merkle-Damgard frame shared by SHA-1, SHA-256 and SHA-512 (FIPS 180-4 5.1): buffering into
 * blocks and the final padding. Each hash supplies its state words and compression function. */
#ifndef MD_H
#define MD_H

#include "native.h"

typedef void (*md_compress)(void *h, const uint8_t *block);

/* The buffered part of every state; `h` (the chaining words) precedes it in each struct. */
typedef struct {
  uint32_t total_lo, total_hi; /* message length in bytes */
  uint32_t used;               /* bytes waiting in buf */
  uint32_t out_len;            /* digest bytes to write */
} md_counts;

void md_update(void *h, uint8_t *buf, uint32_t block_size, md_counts *n, md_compress f,
               const uint8_t *data, uint32_t len);
/* Pads and compresses the last block(s); the bit length fills the block's last 8 bytes. */
void md_finish(void *h, uint8_t *buf, uint32_t block_size, md_counts *n, md_compress f);

#endif
