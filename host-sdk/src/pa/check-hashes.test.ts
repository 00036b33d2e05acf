// The host's hash comparison (checkHashes) on its own, with an EF.SOD reduced to its hash list
// (passive-authentication.test.ts runs it inside whole documents). Written against the mutants
// Stryker left in passive-authentication.ts: the status order, which groups count, the device's
// verdicts, and whole-hash equality.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHashes, type PassiveAuthenticationInput } from './passive-authentication.js';
import type { Sod } from './sod.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const digest = (data: Uint8Array, alg = 'sha256'): Uint8Array => new Uint8Array(createHash(alg).update(data).digest());

const DG1 = bytes(0x61, 1, 1);
const DG2 = bytes(0x75, 1, 2);
const DG15 = bytes(0x6f, 1, 15);

function sodOf(hashes: [number, Uint8Array][], hashAlgorithm = 'sha256'): Sod {
  return { lds: { hashAlgorithm, dataGroupHashes: new Map(hashes) } } as unknown as Sod;
}

function run(sod: Sod | null, dataGroups: PassiveAuthenticationInput['dataGroups'], deviceVerdicts?: Map<number, string>) {
  return checkHashes(sod, { sod: undefined, dataGroups, deviceVerdicts });
}

const ALL = sodOf([[1, digest(DG1)], [2, digest(DG2)], [15, digest(DG15)]]);

describe('checkHashes', () => {
  it('ok: every group read matches; the algorithm is named', () => {
    const r = run(ALL, new Map([[1, DG1], [2, DG2], [15, DG15]]));
    expect(r).toEqual({
      status: 'ok', algorithm: 'SHA-256', mismatched: [], notInSod: [], deviceDisagrees: [],
      groups: [{ dataGroup: 1, verdict: 'match' }, { dataGroup: 2, verdict: 'match' }, { dataGroup: 15, verdict: 'match' }],
    });
    const sha1 = run(sodOf([[1, digest(DG1, 'sha1')]], 'sha1'), new Map([[1, DG1]]));
    expect([sha1.status, sha1.algorithm]).toEqual(['ok', 'SHA-1']);
  });

  it('not-checked without an EF.SOD: no group is judged', () => {
    expect(run(null, new Map([[1, DG1]]))).toEqual({ status: 'not-checked', algorithm: null, groups: [], mismatched: [], notInSod: [], deviceDisagrees: [] });
  });

  it('mismatch on one changed byte of the data group, or of the EF.SOD hash at either end', () => {
    expect(run(ALL, new Map([[1, DG1], [2, bytes(0x75, 1, 3)]])).mismatched).toEqual([2]);
    for (const at of [0, 31]) {
      const h = digest(DG1);
      h[at] ^= 1;
      const r = run(sodOf([[1, h]]), new Map([[1, DG1]]));
      expect([r.status, r.mismatched], 'byte ' + at).toEqual(['mismatch', [1]]);
    }
  });

  it('an EF.SOD hash shorter than the digest (a prefix of it) is a mismatch', () => {
    const r = run(sodOf([[1, digest(DG1).subarray(0, 20)]]), new Map([[1, DG1]]));
    expect(r.mismatched).toEqual([1]);
  });

  it('a group EF.SOD does not list is not-in-sod, and a mismatch outranks it in the status', () => {
    const missing = run(sodOf([[1, digest(DG1)]]), new Map([[1, DG1], [11, bytes(0x6b, 0)]]));
    expect(missing.status).toBe('missing');
    expect(missing.notInSod).toEqual([11]);
    expect(missing.mismatched).toEqual([]);
    expect(missing.groups[1]).toEqual({ dataGroup: 11, verdict: 'not-in-sod' });
    const both = run(sodOf([[1, digest(DG2)]]), new Map([[1, DG1], [11, bytes(0x6b, 0)]]));
    expect([both.status, both.mismatched, both.notInSod]).toEqual(['mismatch', [1], [11]]);
  });

  it('only data groups 1..16 count, in number order, from a Map or a plain object', () => {
    const sod = sodOf([[1, digest(DG1)], [16, digest(DG2)], [2, digest(DG2)]]);
    // 0 and 17 (e.g. a file id that is not a data group) are left out, not reported not-in-sod.
    const r = run(sod, new Map([[17, DG2], [16, DG2], [2, DG2], [0, DG1], [1, DG1]]));
    expect(r.groups.map((g) => [g.dataGroup, g.verdict])).toEqual([[1, 'match'], [2, 'match'], [16, 'match']]);
    expect(r.status).toBe('ok');
    const fromRecord = run(sod, { 16: DG2, 1: DG1, 29: DG1 });
    expect(fromRecord.groups.map((g) => [g.dataGroup, g.verdict])).toEqual([[1, 'match'], [16, 'match']]);
    // Sorted by number, not as strings (2 before 11) and not by insertion.
    const order = run(sodOf([]), new Map([[11, DG1], [2, DG2], [1, DG1]]));
    expect(order.groups.map((g) => g.dataGroup)).toEqual([1, 2, 11]);
    expect(order.notInSod).toEqual([1, 2, 11]);
  });

  it('keeps the device\'s verdict beside the host\'s, and lists the groups where they differ', () => {
    const device = new Map([[1, 'match'], [2, 'match'], [15, 'not-checked']]);
    const r = run(ALL, new Map([[1, DG1], [2, bytes(0x75, 9, 9)], [15, DG15], [16, DG15]]), device);
    expect(r.groups).toEqual([
      { dataGroup: 1, verdict: 'match', device: 'match' },
      { dataGroup: 2, verdict: 'mismatch', device: 'match' },
      { dataGroup: 15, verdict: 'match', device: 'not-checked' },
      { dataGroup: 16, verdict: 'not-in-sod' },
    ]);
    expect(r.deviceDisagrees).toEqual([2, 15]);
    // The device's word never changes the host's verdict.
    expect([r.status, r.mismatched]).toEqual(['mismatch', [2]]);
  });
});
