// Repeatable randomness for the fault matrix: every run of a scenario draws its fault positions,
// counts and durations from one 32-bit seed (mulberry32), printed with any failure.

import { seededRandom } from '@epassport/hardware/sim/seeded-random';

export { seededRandom };

/** A fixed number, or an integer drawn uniformly from [min, max]. */
export type Range = number | [number, number];

export function draw(random: () => number, range: Range): number {
  if (typeof range === 'number') return range;
  const [lo, hi] = range;
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** `n` bytes from `random`. */
export function randomBytes(random: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
  return out;
}
