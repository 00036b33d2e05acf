/* Shared by every primitive of the native blob: fixed-width types, the entry-point attribute
 * and big-endian word access. Freestanding: no libc, no globals that need relocation. */
#ifndef NATIVE_H
#define NATIVE_H

#include <stdint.h>

/* Entries are reached through the branch table in entries.S, not by symbol: hidden suffices. */
#define ENTRY __attribute__((used, noinline))

typedef struct __attribute__((packed)) { uint32_t v; } unaligned_u32;

/* Cortex-M4 LDR/STR accept unaligned addresses unless CCR.UNALIGN_TRP is set (ARMv7-M A3.2.1;
 * its reset value is 0, and GCC's own code for this core, Espruino's included, emits unaligned
 * LDR/STR too), so a data offset need not be a multiple of 4. Not checked on a board. */
static inline uint32_t load_be32(const uint8_t *p) {
  return __builtin_bswap32(((const unaligned_u32 *)p)->v);
}

static inline void store_be32(uint8_t *p, uint32_t v) {
  ((unaligned_u32 *)p)->v = __builtin_bswap32(v);
}

static inline uint32_t ror32(uint32_t x, unsigned n) {
  return (x >> n) | (x << (32 - n));
}

/* Zeroes n bytes in a way the compiler may not drop (wipe.c). */
void secure_zero(void *p, uint32_t n);

#endif
