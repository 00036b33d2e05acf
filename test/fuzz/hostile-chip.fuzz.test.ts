// The hostile-chip fuzzer, bounded for `npm test`: about 300 reads of the bundled firmware (or 30 s
// of them, whichever comes first) against passports whose responses are damaged on the wire or
// whose files are hostile under a correct MAC. See hostile-chip.ts for the plans and the checks;
// `npx tsx test/fuzz/run.ts` runs thousands. FUZZ_SEED reproduces a run.
import { describe, expect, it } from 'vitest';
import { HostileChipFuzzer } from './hostile-chip';
import { runs } from './guards';

const SEED = Number(process.env.FUZZ_SEED || Math.floor(Math.random() * 2 ** 31));

describe('hostile chip', () => {
  it('every read ends with one typed final message, the device stays idle, nothing wrong is ever verified', async () => {
    const fuzzer = await HostileChipFuzzer.create('pico', 'utopia-anna');
    const stats = fuzzer.run(SEED, runs(300), Date.now() + 30_000 * Number(process.env.FUZZ_SCALE || 1), 50);
    expect(stats.failures, 'FUZZ_SEED=' + SEED).toEqual([]);
    expect(stats.reads).toBeGreaterThanOrEqual(50);
    expect(stats.idleChecks).toBeGreaterThanOrEqual(2);
    // the plans reach both ends: reads that verify, and typed refusals of several kinds
    expect(stats.verified).toBeGreaterThan(0);
    expect(Object.keys(stats.outcomes).filter((k) => !k.startsWith('result')).length).toBeGreaterThanOrEqual(4);
    expect(stats.damagedResponses).toBeGreaterThan(0);
  }, 120_000);
});
