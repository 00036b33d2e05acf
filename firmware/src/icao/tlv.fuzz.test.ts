// Fuzzing the device's BER-TLV primitives (readTlv, peekTlvHeader, decodeOid,
// decodeSmallInteger): valid TLV trees, then structural mutations, deep nesting and random
// bytes. Every call returns a result inside its bounds or throws IcaoError with the code asked
// for; nothing else (TypeError, RangeError), no hang, no allocation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@epassport/protocol';
import { arbBerTree, arbHostile, deepNesting, encodeTree, tlv } from '../../../test/fuzz/ber-mutator';
import { largestAllocation, runs, withDeadline } from '../../../test/fuzz/guards';
import { IcaoError } from './errors';
import { decodeOid, decodeSmallInteger, newTlv, peekTlvHeader, readTlv } from './tlv';

/** Runs `fn` under the hang guard; returns its result, or the IcaoError it threw (any other throw fails). */
function typed<T>(fn: () => T): T | IcaoError {
  try {
    return withDeadline(fn);
  } catch (e) {
    if (!(e instanceof IcaoError)) throw e;
    expect(ERROR_CODES).toContain(e.code);
    return e;
  }
}

const arbValidTree = fc.tuple(arbBerTree(), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }))
  .map(([t, forms]) => encodeTree(t, forms));

/** Walks every TLV of `buf` with readTlv, entering constructed ones; counts the elements. */
function walk(buf: Uint8Array, pos: number, end: number, code: string): number {
  const t = newTlv();
  let count = 0;
  const stack: number[] = [];
  for (;;) {
    if (pos >= end) {
      if (!stack.length) return count;
      end = stack.pop()!;
      continue;
    }
    readTlv(buf, pos, end, t, code);
    if (!(t.valueOffset > pos && t.end === t.valueOffset + t.length && t.end <= end)) throw new Error('TLV out of bounds at ' + pos);
    count++;
    const first = buf[pos];
    pos = t.end;
    if (first & 0x20) {
      stack.push(end);
      end = t.end;
      pos = t.valueOffset;
    }
  }
}

describe('device TLV fuzzing', () => {
  it('readTlv over whole trees: in bounds or IcaoError with the caller\'s code', () => {
    fc.assert(fc.property(arbHostile(arbValidTree), fc.constantFrom(undefined, 'sm-failure'), (buf, code) => {
      const r = largestAllocation(() => typed(() => walk(buf, 0, buf.length, code!)));
      expect(r.error).toBeUndefined();
      if (r.result instanceof IcaoError) expect(r.result.code).toBe(code ?? 'malformed-data');
      expect(r.largest).toBe(0); // reading TLVs allocates nothing
    }), { numRuns: runs(1500) });
  });

  it('valid trees walk completely, in any length form', () => {
    fc.assert(fc.property(arbBerTree(), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }), (tree, forms) => {
      const buf = encodeTree(tree, forms);
      expect(walk(buf, 0, buf.length, 'malformed-data')).toBeGreaterThan(0);
    }), { numRuns: runs(500) });
  });

  it('readTlv never reads past a limit shorter than the buffer', () => {
    fc.assert(fc.property(arbHostile(arbValidTree), fc.nat(), fc.nat(), (buf, a, b) => {
      const pos = buf.length ? a % (buf.length + 2) : 0;
      const limit = b % (buf.length + 3);
      const r = typed(() => readTlv(buf, pos, limit, newTlv()));
      if (!(r instanceof IcaoError)) expect(r.end).toBeLessThanOrEqual(Math.min(limit, buf.length));
    }), { numRuns: runs(1500) });
  });

  it('peekTlvHeader agrees with readTlv, or asks for more bytes, or is malformed-data', () => {
    fc.assert(fc.property(arbHostile(arbValidTree), fc.nat(), (buf, a) => {
      const available = a % (buf.length + 1);
      const h = typed(() => peekTlvHeader(buf, available));
      if (h instanceof IcaoError) {
        expect(h.code).toBe('malformed-data');
        return;
      }
      if (h.headerLength < 0) return;
      expect(h.headerLength).toBeGreaterThanOrEqual(2);
      expect(h.headerLength).toBeLessThanOrEqual(available);
      expect(h.valueLength).toBeGreaterThanOrEqual(0);
      expect(h.valueLength).toBeLessThanOrEqual(0xffffffff);
      const t = typed(() => readTlv(buf, 0, buf.length, newTlv()));
      if (!(t instanceof IcaoError)) expect([t.tag, t.valueOffset, t.length]).toEqual([h.tag, h.headerLength, h.valueLength]);
    }), { numRuns: runs(1500) });
  });

  it('deep nesting (thousands of levels) is iterated, not recursed', () => {
    for (const form of ['definite', 'indefinite', 'inflated'] as const) {
      const buf = deepNesting(20000, form);
      const r = typed(() => walk(buf, 0, buf.length, 'malformed-data'));
      if (form === 'definite') expect(r).toBe(20001);
      else expect(r).toBeInstanceOf(IcaoError);
    }
  });

  it('decodeOid: dotted decimal or malformed-data, and round-trips valid OIDs', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (v) => {
      const r = typed(() => decodeOid(v, 0, v.length));
      if (r instanceof IcaoError) expect(r.code).toBe('malformed-data');
      else expect(r).toMatch(/^[0-2]\.\d+(\.\d+)*$/);
    }), { numRuns: runs(1500) });
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.integer({ min: 0, max: 0x1ffffff }), { maxLength: 8 }), (a, b, rest) => {
      const body: number[] = [a * 40 + b];
      for (const arc of rest) {
        const seven = [arc & 0x7f];
        for (let x = Math.floor(arc / 128); x > 0; x = Math.floor(x / 128)) seven.unshift((x & 0x7f) | 0x80);
        body.push(...seven);
      }
      const oid = tlv(0x06, body);
      expect(decodeOid(oid, 2, oid.length - 2)).toBe([a, b, ...rest].join('.'));
    }), { numRuns: runs(500) });
  });

  it('decodeSmallInteger: 0..2^31-1 or malformed-data', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 8 }), (v) => {
      const r = typed(() => decodeSmallInteger(v, 0, v.length));
      if (r instanceof IcaoError) expect(r.code).toBe('malformed-data');
      else expect(r).toBeLessThanOrEqual(0x7fffffff);
    }), { numRuns: runs(500) });
  });
});
