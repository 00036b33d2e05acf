/* The target of every PACE blob entry not built yet (pace/entries.S): a bad-argument answer. */
#include "native.h"

ENTRY int reserved(int a, int b, int c, int d) {
  (void)a; (void)b; (void)c; (void)d;
  return -1;
}
