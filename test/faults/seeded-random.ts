// Repeatable randomness for the fault matrix: every run of a scenario draws its fault positions,
// counts and durations from one 32-bit seed (mulberry32), printed with any failure.

/** Uniform numbers in [0, 1) from `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
