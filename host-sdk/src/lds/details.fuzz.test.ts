// Fuzzing DG7, DG11 and DG12 like DG1/DG2 (lds.fuzz.test.ts): valid files, then structural
// mutations, random bytes, huge values and deep nesting. Every call returns a result or throws
// ReaderError('malformed-data'); never TypeError / RangeError; no allocation by a declared length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbHostile, concat, deepNesting, tlv } from '../../../test/fuzz/ber-mutator';
import { largestAllocation, runs, withDeadline } from '../../../test/fuzz/guards';
import { ReaderError } from '../reader-error';
import { parseDg7 } from './dg7';
import { parseDg11 } from './dg11';
import { parseDg12 } from './dg12';

function typed<T>(fn: () => T, input: Uint8Array): T | ReaderError {
  const p = largestAllocation(() => withDeadline(fn));
  // Text fields are decoded to strings (UTF-16: up to twice the bytes), never by a declared length.
  expect(p.largest).toBeLessThanOrEqual(2 * input.length + 1024);
  if (p.error === undefined) return p.result as T;
  if (!(p.error instanceof ReaderError)) throw p.error;
  expect(p.error.code).toBe('malformed-data');
  return p.error;
}

const word = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJ<0123456789 '), maxLength: 40 }).map((s) => new TextEncoder().encode(s));
const names = (nameTag: number) => fc.array(word, { maxLength: 4 }).map((ns) => tlv(0xa0, concat(tlv(0x02, [ns.length]), ...ns.map((n) => tlv(nameTag, n)))));
const fields = (textTags: number[]) => fc.array(fc.tuple(fc.constantFrom(...textTags), word), { maxLength: 6 }).map((fs) => {
  const unique = [...new Map(fs.map(([t, v]) => [t, v])).entries()];
  return { list: unique.flatMap(([t]) => [t >> 8, t & 0xff]), objects: unique.map(([t, v]) => tlv(t, v)) };
});
const arbDg11 = fc.tuple(fields([0x5f0e, 0x5f10, 0x5f2b, 0x5f11, 0x5f42, 0x5f12, 0x5f13, 0x5f14, 0x5f15, 0x5f17, 0x5f18]), names(0x5f0f))
  .map(([f, n]) => tlv(0x6b, concat(tlv(0x5c, [...f.list, 0xa0]), ...f.objects, n)));
const arbDg12 = fc.tuple(fields([0x5f19, 0x5f26, 0x5f1b, 0x5f1c, 0x5f55, 0x5f56]), names(0x5f1a))
  .map(([f, n]) => tlv(0x6c, concat(tlv(0x5c, [...f.list, 0xa0]), ...f.objects, n)));
const arbDg7 = fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 3 })
  .map((imgs) => tlv(0x67, concat(tlv(0x02, [imgs.length]), ...imgs.map((i) => tlv(0x5f43, i)))));

describe('DG7 / DG11 / DG12 parser fuzzing', () => {
  it('DG11: fields and names inside the file, or malformed-data', () => {
    fc.assert(fc.property(arbHostile(arbDg11), (bytes) => {
      const r = typed(() => parseDg11(bytes), bytes);
      if (r instanceof ReaderError) return;
      for (const n of r.otherNames) expect(n.length).toBeLessThanOrEqual(bytes.length);
    }), { numRuns: runs(1500) });
  });

  it('DG12: fields and names inside the file, or malformed-data', () => {
    fc.assert(fc.property(arbHostile(arbDg12), (bytes) => {
      const r = typed(() => parseDg12(bytes), bytes);
      if (r instanceof ReaderError) return;
      expect(r.otherPersons.length).toBeLessThanOrEqual(bytes.length);
    }), { numRuns: runs(1500) });
  });

  it('DG7: images as views into the file, or malformed-data', () => {
    fc.assert(fc.property(arbHostile(arbDg7), (bytes) => {
      const r = typed(() => parseDg7(bytes), bytes);
      if (r instanceof ReaderError) return;
      for (const i of r) {
        expect(i.bytes.buffer).toBe(bytes.buffer);
        expect(i.bytes.length).toBeGreaterThan(0);
      }
    }), { numRuns: runs(1500) });
  });

  it('random bytes, values far larger than a real file, and deep nesting', () => {
    const big = new Uint8Array(300_000).fill(0x41);
    const cases = [
      tlv(0x6b, concat(tlv(0x5c, big), tlv(0x5f0e, big), tlv(0xa0, concat(tlv(0x02, [255]), tlv(0x5f0f, big))))),
      tlv(0x6c, concat(tlv(0x5c, [0x5f, 0x1d]), tlv(0x5f1d, big))),
      tlv(0x67, concat(tlv(0x02, [1]), tlv(0x5f43, big))),
      ...(['definite', 'indefinite', 'inflated'] as const).flatMap((form) => [0x67, 0x6b, 0x6c].map((tag) => deepNesting(20000, form, tag))),
    ];
    for (const bytes of cases) for (const parse of [parseDg7, parseDg11, parseDg12]) typed(() => (parse as (b: Uint8Array) => unknown)(bytes), bytes);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      for (const parse of [parseDg7, parseDg11, parseDg12]) typed(() => (parse as (b: Uint8Array) => unknown)(bytes), bytes);
    }), { numRuns: runs(1000) });
  });
});
