// Fuzzing the host's LDS parsers (BER-TLV, EF.COM, DG1, DG2): valid files (the fixtures' real
// ones and generated ones, any length form), then structural mutations, deep nesting, random
// bytes, and values far larger than any real file. Every call returns a result or throws
// ReaderError with a known code; never TypeError / RangeError; no call allocates by a declared
// length (the largest allocation stays within the input's size).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURES, loadFixture } from '@epassport/hardware/fixtures/index';
import { arbBerTree, arbHostile, concat, deepNesting, encodeTree, tlv } from '../../../test/fuzz/ber-mutator';
import { largestAllocation, runs, withDeadline } from '../../../test/fuzz/guards';
import { ALL_ERROR_CODES, ReaderError } from '../reader-error';
import { encodeDg2, encodeEfCom, encodeFacialRecord, makeJpeg } from '../../test/support/lds-builder';
import { encodeDg1, parseDg1 } from './dg1';
import { parseDg2 } from './dg2';
import { DG_TAGS, parseEfCom } from './ef-com';
import { readTlv, readTlvList } from './tlv';

const fixtures = FIXTURES.map(loadFixture);
const MRZ_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/** Runs a host parser on fuzzed input: its result, or the ReaderError it threw (anything else fails). */
function typed<T>(fn: () => T, input: Uint8Array, slack = 1024): T | ReaderError {
  const p = largestAllocation(() => withDeadline(fn));
  expect(p.largest).toBeLessThanOrEqual(input.length + slack);
  if (p.error === undefined) return p.result as T;
  if (!(p.error instanceof ReaderError)) throw p.error;
  expect(ALL_ERROR_CODES).toContain(p.error.code);
  return p.error;
}

const arbMrzLines = fc.constantFrom([3, 30], [2, 36], [2, 44]).chain(([lines, length]) =>
  fc.array(fc.string({ unit: fc.constantFrom(...MRZ_CHARS), minLength: length, maxLength: length }), { minLength: lines, maxLength: lines }));
const arbDg1 = fc.oneof(arbMrzLines.map(encodeDg1), fc.constantFrom(...fixtures.map((f) => f.files[1])));
const arbEfCom = fc.oneof(
  fc.uniqueArray(fc.integer({ min: 1, max: 16 }), { maxLength: 16 }).map(encodeEfCom),
  fc.constantFrom(...fixtures.map((f) => f.files[0x1e])),
);
const smallDg2 = encodeDg2([encodeFacialRecord([{ bytes: makeJpeg(8, 8), width: 8, height: 8, dataType: 0, featurePoints: 1 }])]);
const arbDg2 = fc.constantFrom(smallDg2, encodeDg2([smallDg2.subarray(10)], 0x7f2e), ...fixtures.map((f) => f.files[2]));

describe('host LDS parser fuzzing', () => {
  it('readTlv / readTlvList over any BER tree, mutated', () => {
    const arbTree = fc.tuple(arbBerTree(), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 })).map(([t, f]) => encodeTree(t, f));
    fc.assert(fc.property(arbHostile(arbTree), (bytes) => {
      const list = typed(() => readTlvList(bytes), bytes);
      if (list instanceof ReaderError) {
        expect(list.code).toBe('malformed-data');
        return;
      }
      for (const t of list) expect(t.end).toBeLessThanOrEqual(bytes.length);
      const one = typed(() => readTlv(bytes), bytes);
      if (!(one instanceof ReaderError)) expect(one.value.length).toBeLessThanOrEqual(bytes.length);
    }), { numRuns: runs(1500) });
  });

  it('EF.COM: data groups 1..16 ascending, or malformed-data', () => {
    fc.assert(fc.property(arbHostile(arbEfCom), (bytes) => {
      const r = typed(() => parseEfCom(bytes), bytes);
      if (r instanceof ReaderError) return void expect(r.code).toBe('malformed-data');
      expect(r.dataGroups).toEqual([...new Set(r.dataGroups)].sort((a, b) => a - b));
      for (const g of r.dataGroups) expect(Object.values(DG_TAGS)).toContain(g);
    }), { numRuns: runs(1500) });
  });

  it('DG1: an MRZ of a known shape, or malformed-data', () => {
    fc.assert(fc.property(arbHostile(arbDg1), (bytes) => {
      const r = typed(() => parseDg1(bytes), bytes);
      if (r instanceof ReaderError) return void expect(r.code).toBe('malformed-data');
      expect(['TD1', 'TD2', 'TD3']).toContain(r.format);
      expect(r.lines.join('')).toMatch(/^[A-Z0-9<]+$/);
    }), { numRuns: runs(1500) });
  });

  it('DG2: face images inside the file, or malformed-data', () => {
    fc.assert(fc.property(arbHostile(arbDg2), (bytes) => {
      const r = typed(() => parseDg2(bytes), bytes);
      if (r instanceof ReaderError) return void expect(r.code).toBe('malformed-data');
      expect(r.length).toBeGreaterThan(0);
      for (const face of r) {
        expect(face.bytes.buffer).toBe(bytes.buffer); // a view into the input, not a copy
        expect(face.bytes.length).toBeLessThanOrEqual(bytes.length);
      }
    }), { numRuns: runs(300) });
  });

  it('values far larger than a real file, and deep nesting, in every parser', () => {
    const big = new Uint8Array(300_000).fill(0x41);
    const cases = [
      tlv(0x60, concat(tlv(0x5f01, big), tlv(0x5f36, big), tlv(0x5c, big))),
      tlv(0x61, tlv(0x5f1f, big)),
      tlv(0x75, tlv(0x7f61, concat(tlv(0x02, [1]), tlv(0x7f60, tlv(0x5f2e, big))))),
      ...(['definite', 'indefinite', 'inflated'] as const).flatMap((form) => [0x60, 0x61, 0x75].map((tag) => deepNesting(20000, form, tag))),
    ];
    for (const bytes of cases) {
      for (const parse of [parseEfCom, parseDg1, parseDg2, readTlvList]) typed(() => (parse as (b: Uint8Array) => unknown)(bytes), bytes);
    }
  });
});
