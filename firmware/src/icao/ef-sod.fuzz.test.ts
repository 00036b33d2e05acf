// Fuzzing the device's EF.SOD path: SodHashExtractor (streamed, any chunking) and
// parseLdsSecurityObject. Inputs: the fixtures' real EF.SODs and synthetic ones (every hash
// algorithm, DER or BER-segmented eContent, any length form), then structural mutations, deep
// nesting, random bytes. Either hashes come out (each of its algorithm's length, data groups
// 1..16) or IcaoError malformed-data / too-large / unsupported; never another exception. Memory:
// after every push the extractor holds at most its bound (captured object, OID buffer, the stack
// of entered elements), and no call allocates more than the bound whatever length is declared.
import { createHash as nodeHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURES, loadFixture } from '@epassport/hardware/fixtures/index';
import { arbHostile, concat, deepNesting, lengthField, tlv } from '../../../test/fuzz/ber-mutator';
import { largestAllocation, runs, withDeadline } from '../../../test/fuzz/guards';
import { HASH_LENGTHS } from '../crypto/hash';
import { SodHashExtractor, parseLdsSecurityObject, type SodHashes } from './ef-sod';
import { IcaoError } from './errors';

const OIDS: { [name: string]: number[] } = {
  sha1: [0x2b, 0x0e, 0x03, 0x02, 0x1a],
  sha224: [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04],
  sha256: [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
  sha384: [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02],
  sha512: [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03],
};
const SIGNED_DATA = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const LDS_SECURITY_OBJECT = [0x67, 0x81, 0x08, 0x01, 0x01, 0x01];
const BOUND = 2048;
const CODES = ['malformed-data', 'too-large', 'unsupported'];

const arbForm = fc.integer({ min: 0, max: 4 });

/** A synthetic EF.SOD: random algorithm and data groups, any length forms, eContent DER or segmented. */
const arbSyntheticSod = fc.record({
  alg: fc.constantFrom(...Object.keys(OIDS)),
  groups: fc.uniqueArray(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 16 }),
  forms: fc.array(arbForm, { minLength: 12, maxLength: 12 }),
  // BER segments of 16+ bytes: with 1-byte segments the encoding triples, over the early
  // 'too-large' cut-off (bound + 256) for segmented eContent; a typed refusal, and no issuer does it.
  segments: fc.option(fc.integer({ min: 16, max: 300 }), { nil: undefined }),
  certificate: fc.integer({ min: 0, max: 3000 }),
  seed: fc.integer(),
}).map(({ alg, groups, forms, segments, certificate, seed }) => {
  const hash = (g: number) => new Uint8Array(nodeHash(alg).update(String(seed) + ':' + g).digest());
  const lso = tlv(0x30, concat(
    tlv(0x02, [0]),
    tlv(0x30, concat(tlv(0x06, OIDS[alg]), [0x05, 0x00]), forms[0]),
    tlv(0x30, concat(...groups.map((g) => tlv(0x30, concat(tlv(0x02, [g]), tlv(0x04, hash(g), forms[1])), forms[2]))), forms[3]),
  ), forms[4]);
  let eContent = tlv(0x04, lso, forms[5]);
  if (segments) {
    const parts: Uint8Array[] = [];
    for (let o = 0; o < lso.length; o += segments) parts.push(tlv(0x04, lso.subarray(o, o + segments)));
    eContent = tlv(0x24, concat(...parts), forms[5]);
  }
  const signedData = tlv(0x30, concat(
    tlv(0x02, [3]),
    tlv(0x31, tlv(0x30, tlv(0x06, OIDS.sha256))),
    tlv(0x30, concat(tlv(0x06, LDS_SECURITY_OBJECT), tlv(0xa0, eContent, forms[6])), forms[7]),
    tlv(0xa0, tlv(0x30, new Uint8Array(certificate).fill(0x5a))),
    tlv(0x31, tlv(0x30, new Uint8Array(200).fill(0xa5))),
  ), forms[8]);
  const sod = tlv(0x77, tlv(0x30, concat(tlv(0x06, SIGNED_DATA), tlv(0xa0, signedData, forms[9])), forms[10]), forms[11]);
  const hashes: SodHashes['hashes'] = {};
  for (const g of groups) hashes[g] = hash(g);
  return { sod, alg, hashes, lso };
});

const fixtureSods = FIXTURES.map((name) => loadFixture(name).files[0x1d]);
const arbValidSod = fc.oneof(arbSyntheticSod.map((c) => c.sod), fc.constantFrom(...fixtureSods));
const arbChunks = fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 20 });

/** A private field of the extractor, whether or not it carries the '_' of the size-mangled build. */
function field<T>(x: SodHashExtractor, name: string): T {
  const o = x as unknown as { [k: string]: T };
  return '_' + name in o ? o['_' + name] : o[name];
}

/** Feeds `sod` in chunks cut by `cuts` (cycled); checks the memory bound after every push (the
 * bound, or the 32-byte OID buffer when the bound is smaller). */
function extract(sod: Uint8Array, cuts: number[], bound = BOUND): SodHashes {
  const x = new SodHashExtractor(bound);
  for (let o = 0, i = 0; o < sod.length; i++) {
    const n = cuts[i % cuts.length];
    x.push(sod.subarray(o, o + n));
    o += n;
    const target = field<Uint8Array | null>(x, 'target');
    const object = field<Uint8Array | null>(x, 'object');
    const ends = field<number[]>(x, 'ends');
    const held = (target ? target.length : 0) + (object ? object.length : 0);
    if (held > Math.max(bound, 32) || ends.length > 8 || field<Uint8Array>(x, 'header').length > 6) throw new Error('extractor holds ' + held + ' bytes, ' + ends.length + ' levels');
  }
  return x.finish();
}

function typed<T>(fn: () => T): T | IcaoError {
  try {
    return withDeadline(fn);
  } catch (e) {
    if (!(e instanceof IcaoError)) throw e;
    return e;
  }
}

function checkHashes(r: SodHashes): void {
  expect(Object.keys(HASH_LENGTHS)).toContain(r.hashAlgorithm);
  for (const k of Object.keys(r.hashes)) {
    expect(Number(k) >= 1 && Number(k) <= 16).toBe(true);
    expect(r.hashes[Number(k)].length).toBe(HASH_LENGTHS[r.hashAlgorithm]);
  }
}

describe('EF.SOD fuzzing (device)', () => {
  it('valid EF.SODs in any length form and chunking give back their hashes', () => {
    fc.assert(fc.property(arbSyntheticSod, arbChunks, ({ sod, alg, hashes }, cuts) => {
      const r = extract(sod, cuts);
      expect(r.hashAlgorithm).toBe(alg);
      expect(r.hashes).toEqual(hashes);
    }), { numRuns: runs(300) });
    for (const sod of fixtureSods) checkHashes(extract(sod, [97]));
  });

  it('hostile EF.SODs: hashes or a typed error, within the memory bound, never allocating by a declared length', () => {
    fc.assert(fc.property(arbHostile(arbValidSod), arbChunks, (sod, cuts) => {
      const p = largestAllocation(() => typed(() => extract(sod, cuts)));
      if (p.error) throw p.error;
      expect(p.largest).toBeLessThanOrEqual(BOUND);
      const r = p.result!;
      if (r instanceof IcaoError) expect(CODES).toContain(r.code);
      else checkHashes(r);
    }), { numRuns: runs(1500) });
  });

  it('a small bound is honoured: too-large, never more memory', () => {
    fc.assert(fc.property(arbHostile(arbValidSod), arbChunks, fc.integer({ min: 1, max: 400 }), (sod, cuts, bound) => {
      const p = largestAllocation(() => typed(() => extract(sod, cuts, bound)));
      if (p.error) throw p.error;
      expect(p.largest).toBeLessThanOrEqual(Math.max(bound, 32)); // 32: the OID buffer
    }), { numRuns: runs(500) });
  });

  it('deep nesting and 4 GB declared lengths along the path', () => {
    for (const form of ['definite', 'indefinite', 'inflated'] as const) {
      for (const tag of [0x77, 0x30, 0xa0, 0x24]) {
        const r = typed(() => extract(deepNesting(5000, form, tag), [64]));
        expect(r).toBeInstanceOf(IcaoError);
      }
    }
    // every level of the path claiming 4 GB
    const huge = concat([0x77, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x84, 0xff, 0xff, 0xff, 0xf0], tlv(0x06, SIGNED_DATA),
      [0xa0, 0x84, 0xff, 0xff, 0xff, 0x00, 0x30, 0x84, 0xff, 0xff, 0xfe, 0x00], tlv(0x02, [3]), tlv(0x31, []),
      [0x30, 0x84, 0xff, 0xff, 0x00, 0x00], tlv(0x06, LDS_SECURITY_OBJECT), [0xa0, 0x84, 0xff, 0x00, 0x00, 0x00], [0x04, ...lengthField(0xfe000000)]);
    const p = largestAllocation(() => typed(() => extract(huge, [7])));
    expect((p.result as IcaoError).code).toBe('too-large');
    expect(p.largest).toBeLessThanOrEqual(BOUND);
  });

  it('parseLdsSecurityObject on hostile security objects: hashes or a typed error', () => {
    fc.assert(fc.property(arbHostile(arbSyntheticSod.map((c) => c.lso)), (lso) => {
      const p = largestAllocation(() => typed(() => parseLdsSecurityObject(lso)));
      if (p.error) throw p.error;
      expect(p.largest).toBeLessThanOrEqual(lso.length);
      const r = p.result!;
      if (r instanceof IcaoError) expect(CODES).toContain(r.code);
      else checkHashes(r);
    }), { numRuns: runs(1000) });
  });
});
