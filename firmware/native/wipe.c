/* Zeroing that survives optimisation: key schedules and hash states must not linger in RAM. */
#include "native.h"

void secure_zero(void *p, uint32_t n) {
  volatile uint8_t *b = (volatile uint8_t *)p;
  while (n--) *b++ = 0;
}

/* Entry 11. */
ENTRY int wipe(uint8_t *p, uint32_t len) {
  secure_zero(p, len);
  return 0;
}
