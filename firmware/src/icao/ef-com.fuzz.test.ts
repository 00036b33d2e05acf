// Fuzzing the device's EF.COM parser: valid EF.COMs (any version digits, any tag list, long and
// short length forms), then structural mutations, deep nesting, random bytes. The result is a
// set of data groups 1..16 without duplicates, or IcaoError malformed-data / too-large.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbHostile, concat, tlv } from '../../../test/fuzz/ber-mutator';
import { largestAllocation, runs, withDeadline } from '../../../test/fuzz/guards';
import { parseEfCom } from './ef-com';
import { IcaoError } from './errors';
import { DATA_GROUP_TAGS, dataGroupFromTag } from './lds';

const digits = (n: number) => fc.array(fc.integer({ min: 0x30, max: 0x39 }), { minLength: n, maxLength: n });
const arbForm = fc.integer({ min: 0, max: 4 });

/** A valid EF.COM and the data groups its tag list names (file order, first occurrence). */
const arbEfComCase = fc.record({
  lds: digits(4), unicode: digits(6),
  tags: fc.array(fc.oneof(fc.constantFrom(...DATA_GROUP_TAGS), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
  forms: fc.tuple(arbForm, arbForm, arbForm, arbForm),
  order: fc.constantFrom([0, 1, 2], [2, 1, 0], [1, 2, 0]),
}).map(({ lds, unicode, tags, forms, order }) => {
  const parts = [tlv(0x5f01, lds, forms[1]), tlv(0x5f36, unicode, forms[2]), tlv(0x5c, tags, forms[3])];
  const groups: number[] = [];
  for (const t of tags) if (dataGroupFromTag(t) && groups.indexOf(dataGroupFromTag(t)) < 0) groups.push(dataGroupFromTag(t));
  return { bytes: tlv(0x60, concat(...order.map((i) => parts[i])), forms[0]), groups };
});
const arbEfCom = arbEfComCase.map((c) => c.bytes);

function typed<T>(fn: () => T): T | IcaoError {
  try {
    return withDeadline(fn);
  } catch (e) {
    if (!(e instanceof IcaoError)) throw e;
    return e;
  }
}

describe('EF.COM fuzzing (device)', () => {
  it('valid EF.COMs: the data groups of the tag list', () => {
    fc.assert(fc.property(arbEfComCase, ({ bytes, groups }) => {
      expect(parseEfCom(bytes).dataGroups).toEqual(groups);
    }), { numRuns: runs(1000) });
  });

  it('hostile EF.COMs: data groups 1..16 once each, or malformed-data / too-large; no allocation by declared length', () => {
    fc.assert(fc.property(arbHostile(arbEfCom), (bytes) => {
      const p = largestAllocation(() => typed(() => parseEfCom(bytes)));
      expect(p.error).toBeUndefined();
      expect(p.largest).toBe(0);
      const r = p.result!;
      if (r instanceof IcaoError) {
        expect(['malformed-data', 'too-large']).toContain(r.code);
        return;
      }
      expect(new Set(r.dataGroups).size).toBe(r.dataGroups.length);
      for (const g of r.dataGroups) expect(g >= 1 && g <= 16).toBe(true);
      expect(r.ldsVersion).toMatch(/^(\d+\.\d+)?$/);
      expect(r.unicodeVersion).toMatch(/^(\d+\.\d+\.\d+)?$/);
    }), { numRuns: runs(3000) });
  });
});
