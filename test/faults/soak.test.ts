// A short soak in `npm test`: 100 consecutive reads on one device, nothing accumulates.
// `npm run soak` runs 2000 and prints the figures.

import { describe, expect, it } from 'vitest';
import { formatSoak, soak } from './soak';

describe('soak (short)', () => {
  it('100 reads: every one verified, firmware timers, pin watches and clock events flat, heaps bounded', async () => {
    const f = await soak(100, undefined, { warmup: 10, maxHostGrowth: 16 * 1024 * 1024, maxFirmwareGrowth: 2 * 1024 * 1024 });
    console.log(formatSoak(f));
    expect(f.problems).toEqual([]);
    expect(f.verified).toBe(100);
    expect(f.crashes).toBe(0);
    expect(f.last.deviceTimers).toBeLessThanOrEqual(f.first.deviceTimers);
    expect(f.last.deviceWatches).toBeLessThanOrEqual(f.first.deviceWatches);
    expect(f.last.clockPending).toBeLessThanOrEqual(f.first.clockPending);
  }, 60_000);
});
