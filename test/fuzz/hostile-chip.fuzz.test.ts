// The hostile-chip fuzzer, bounded for `npm test`: about 300 reads of the bundled firmware (or 30 s
// of them, whichever comes first) against passports whose responses are damaged on the wire or
// whose files are hostile under a correct MAC. See hostile-chip.ts for the plans and the checks;
// `npx tsx test/fuzz/run.ts` runs thousands. FUZZ_SEED reproduces a run.
import { describe, expect, it } from 'vitest';
import { HostileChipFuzzer, type Plan } from './hostile-chip';
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

  // Each class of hostility reaches the firmware and ends in the typed error it should: the
  // fuzzer is not quietly reading good passports.
  const base: Plan = { seed: 1, dataGroups: [1], wire: null, liar: null, file: null };
  it.each<[string, Partial<Plan>, string]>([
    // Issue #15: no EF.SOD (or an empty one) is read on, unchecked, to a result that is not ok.
    ['EF.SOD missing', { file: { id: 0x1d, how: 'remove' } }, 'result not-ok'],
    ['DG1 declaring 4 GB', { file: { id: 1, how: 'huge' } }, 'too-large'],
    ['EF.COM of random bytes', { file: { id: 0x1e, how: 'random', length: 40 } }, 'malformed-data'],
    ['DG1 with one bit flipped in the MRZ', { file: { id: 1, how: 'mutate', mutations: [{ kind: 'flip', pos: 20, bit: 1 }] } }, 'hash-mismatch'],
    ['every response a bare status word (seed 3: 6A82 to the SELECT: no eMRTD)', { wire: { rate: 1, kinds: ['bare'] }, seed: 3 }, 'unsupported'],
    ['every READ BINARY answer re-MACed with a flipped plaintext bit', { liar: { rate: 1, kinds: ['flip'] } }, 'malformed-data'],
    // Empty files: EF.COM unparsable -> default groups, EF.SOD empty -> no security object.
    ['every READ BINARY answer empty with 9000 under a correct MAC', { liar: { rate: 1, kinds: ['empty-ok'] } }, 'result not-ok'],
  ])('%s', async (_name, patch, code) => {
    const fuzzer = await HostileChipFuzzer.create('pico', 'utopia-anna');
    const outcome = fuzzer.read({ ...base, ...patch });
    expect(fuzzer.stats.failures).toEqual([]);
    expect(outcome?.label).toBe(code);
    expect(fuzzer.cleanRead()).toBe(true);
  });
});
