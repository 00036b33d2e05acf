// Fuzzing secure-messaging unwrap with known session keys (ICAO 9303-11 appendix D). Responses:
// authentic ones (correct MAC, any data length and status), hostile but authentic ones (re-MACed
// after breaking their structure: padding indicator, cryptogram length, padding, DO99, unknown or
// misplaced objects, long and indefinite length forms), and authentic ones mutated afterwards
// (bit flips, truncation, lengths rewritten...), and random bytes. The oracle is independent of
// the firmware (node:crypto DES): unwrap returns data only when the response's trailing DO'8E'
// verifies over SSC || everything before it, and then exactly the plaintext; a bare status word
// passes only when it carries no success; everything else is IcaoError('sm-failure'), the session
// ends, and nothing was decrypted.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { arbMutations, concat, lengthField, mutateAll } from '../../../test/fuzz/ber-mutator';
import { runs, withDeadline } from '../../../test/fuzz/guards';
import { DesCipher } from '../crypto/des';
import { IcaoError } from './errors';
import { SecureMessagingChannel } from './secure-messaging';

const V = JSON.parse(readFileSync(join(__dirname, '../../test-data/icao9303-part11-appendix-d.json'), 'utf8'));
const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const KS_ENC = hex(V.sessionKeys.ksEnc);
const KS_MAC = hex(V.sessionKeys.ksMac);
const SSC0 = hex(V.sessionKeys.ssc);

/** SSC + 1 (what unwrap uses for the first response). */
const SSC1 = (() => {
  const s = Buffer.from(SSC0);
  for (let i = 7; i >= 0; i--) if ((s[i] = (s[i] + 1) & 0xff) !== 0) break;
  return s;
})();

function des(mode: 'enc' | 'dec', key: Buffer, data: Buffer): Buffer {
  const k = Buffer.concat([key, key, key]);
  const c = mode === 'enc' ? createCipheriv('des-ede3-ecb', k, null) : createDecipheriv('des-ede3-ecb', k, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

function isoPad(data: Uint8Array): Buffer {
  const n = (Math.floor(data.length / 8) + 1) * 8;
  const out = Buffer.alloc(n);
  out.set(data, 0);
  out[data.length] = 0x80;
  return out;
}

/** ISO/IEC 9797-1 MAC algorithm 3 (retail MAC), padding method 2, with node:crypto's DES. */
function retailMac(key: Buffer, data: Uint8Array): Buffer {
  const k1 = key.subarray(0, 8);
  const k2 = key.subarray(8, 16);
  const p = isoPad(data);
  let h: Buffer = Buffer.alloc(8);
  for (let o = 0; o < p.length; o += 8) {
    const x = Buffer.alloc(8);
    for (let i = 0; i < 8; i++) x[i] = h[i] ^ p[o + i];
    h = des('enc', k1, x);
  }
  return des('enc', k1, des('dec', k2, h));
}

function tdesCbc(mode: 'enc' | 'dec', data: Uint8Array): Buffer {
  const k = Buffer.concat([KS_ENC, KS_ENC.subarray(0, 8)]);
  const c = mode === 'enc' ? createCipheriv('des-ede3-cbc', k, Buffer.alloc(8)) : createDecipheriv('des-ede3-cbc', k, Buffer.alloc(8));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** Data objects followed by DO'8E' (MAC over SSC1 || objects) and the outer status word. */
function seal(objects: Uint8Array, sw = [0x90, 0x00], macHeader = [0x8e, 0x08]): Uint8Array {
  return concat(objects, macHeader, retailMac(KS_MAC, concat(SSC1, objects)), sw);
}

/**
 * The independent oracle: the plain data and status the response authentically carries, or null.
 * Authentic = ends in DO'8E' (any length form declaring 8) + SW, with a MAC over SSC || the rest.
 */
function authenticPrefix(r: Uint8Array): number {
  const n = r.length;
  for (let k = 2; k <= 6; k++) {
    const at = n - 2 - 8 - k;
    if (at < 0) break;
    if (r[at] !== 0x8e) continue;
    const l = r[at + 1];
    const declared = k === 2 ? l : l === 0x80 + (k - 2) ? [...r.subarray(at + 2, at + k)].reduce((a, b) => a * 256 + b, 0) : -1;
    if (declared !== 8) continue;
    if (retailMac(KS_MAC, concat(SSC1, r.subarray(0, at))).equals(Buffer.from(r.subarray(at + k, at + k + 8)))) return at;
  }
  return -1;
}

interface Sample {
  response: Uint8Array;
  /** Plain data + DO'99' status when the structure is honest, for the exact-output check. */
  expected?: Uint8Array;
}

const arbSw: fc.Arbitrary<number[]> = fc.oneof(fc.constantFrom<number[]>([0x90, 0x00], [0x62, 0x82], [0x6a, 0x82], [0x69, 0x88]), fc.tuple(fc.nat(255), fc.nat(255)).map((t) => [...t]));
const arbLongForm = fc.integer({ min: 0, max: 4 });

/** Honest responses: DO'87' (any length form) when there is data, DO'99', DO'8E'. */
const arbAuthentic: fc.Arbitrary<Sample> = fc.record({
  data: fc.uint8Array({ maxLength: 240 }), sw: arbSw, form: arbLongForm, odd: fc.boolean(),
}).map(({ data, sw, form, odd }) => {
  const do99 = [0x99, 0x02, ...sw];
  let objects: Uint8Array = new Uint8Array(do99);
  if (data.length) {
    const value = concat(odd ? [] : [0x01], tdesCbc('enc', isoPad(data)));
    objects = concat([odd ? 0x85 : 0x87], lengthField(value.length, form), value, do99);
  }
  return { response: seal(objects), expected: concat(data, sw) };
});

/** Broken structures under a correct MAC: the part of unwrap that runs after authentication. */
const arbHostileAuthentic: fc.Arbitrary<Sample> = fc.record({
  data: fc.uint8Array({ maxLength: 64 }),
  indicator: fc.constantFrom(0x01, 0x00, 0x02, 0xff),
  cut: fc.integer({ min: 0, max: 9 }),
  badPadding: fc.boolean(),
  do99: fc.constantFrom('ok', 'missing', 'short', 'long', 'twice', 'first'),
  extra: fc.option(fc.tuple(fc.constantFrom(0x01, 0x53, 0x80, 0x8e, 0x97, 0x5f1f), fc.uint8Array({ maxLength: 12 })), { nil: undefined }),
  lengthForm: fc.constantFrom('short', 'long', 'indefinite', 'overlong', 'huge'),
  macHeader: fc.constantFrom<number[]>([0x8e, 0x08], [0x8e, 0x81, 0x08], [0x8e, 0x07], [0x8e, 0x09], [0x8e, 0x80]),
  sw: arbSw,
}).map((c) => {
  const padded = c.badPadding ? Buffer.from(concat(c.data, new Uint8Array((8 - (c.data.length % 8)) % 8 || 8).fill(0x5a))) : isoPad(c.data);
  let crypt: Uint8Array = concat([c.indicator], tdesCbc('enc', padded));
  if (c.cut) crypt = crypt.subarray(0, Math.max(0, crypt.length - c.cut));
  const len = c.lengthForm === 'short' ? lengthField(crypt.length) : c.lengthForm === 'long' ? lengthField(crypt.length, 3)
    : c.lengthForm === 'indefinite' ? [0x80] : c.lengthForm === 'overlong' ? lengthField(crypt.length + 5) : [0x84, 0xff, 0xff, 0xff, 0xff];
  const do87 = concat([0x87], len, crypt);
  const do99 = new Uint8Array([0x99, 0x02, ...c.sw]);
  const parts: Uint8Array[] = [];
  if (c.do99 === 'first') parts.push(do99);
  parts.push(do87);
  if (c.do99 === 'ok' || c.do99 === 'twice') parts.push(do99);
  if (c.do99 === 'twice') parts.push(do99);
  if (c.do99 === 'short') parts.push(new Uint8Array([0x99, 0x01, c.sw[0]]));
  if (c.do99 === 'long') parts.push(new Uint8Array([0x99, 0x03, ...c.sw, 0]));
  if (c.extra) {
    const [tag, value] = c.extra;
    parts.push(concat(tag > 0xff ? [tag >> 8, tag & 0xff] : [tag], lengthField(value.length), value));
  }
  return { response: seal(concat(...parts), c.sw, c.macHeader) };
});

const arbSample: fc.Arbitrary<Sample> = fc.oneof(
  { weight: 2, arbitrary: arbAuthentic },
  { weight: 3, arbitrary: arbHostileAuthentic },
  { weight: 4, arbitrary: fc.tuple(fc.oneof(arbAuthentic, arbHostileAuthentic), arbMutations).map(([s, ms]) => ({ response: mutateAll(s.response, ms) })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((response) => ({ response })) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => ({ response: new Uint8Array([a, b]) })) },
);

const UNSAFE_BARE = (sw: number) => sw === 0x9000 || sw >> 8 === 0x61 || sw >> 8 === 0x62 || sw >> 8 === 0x63 || sw === 0x6987 || sw === 0x6988;

let decrypt: MockInstance;
beforeAll(() => {
  decrypt = vi.spyOn(DesCipher.prototype, 'cbcDecrypt');
});
afterAll(() => decrypt.mockRestore());

function channel(): SecureMessagingChannel {
  const unused = { transceive: () => { throw new Error('unused'); } };
  return new SecureMessagingChannel(unused, new Uint8Array(KS_ENC), new Uint8Array(KS_MAC), new Uint8Array(SSC0));
}

describe('secure-messaging unwrap fuzzing', () => {
  it('returns data only for a verified MAC, exactly the plaintext; otherwise sm-failure without decrypting', () => {
    const seen = { authentic: 0, bare: 0, refused: 0 };
    fc.assert(fc.property(arbSample, ({ response, expected }) => {
      const sm = channel();
      decrypt.mockClear();
      let out: Uint8Array | null = null;
      let err: unknown = null;
      try {
        out = withDeadline(() => sm.unwrap(response));
      } catch (e) {
        err = e;
      }
      const macAt = response.length > 2 ? authenticPrefix(response) : -1;
      if (err) {
        expect(err).toBeInstanceOf(IcaoError);
        expect((err as IcaoError).code).toBe('sm-failure');
        expect(sm.isOpen()).toBe(false);
        expect(() => sm.unwrap(response)).toThrow(IcaoError);
        if (macAt < 0) expect(decrypt).not.toHaveBeenCalled();
        seen.refused++;
        return;
      }
      // A bare error status ends the session (the chip's SSC is unknown); an authentic one goes on.
      expect(sm.isOpen()).toBe(response.length !== 2);
      if (response.length === 2) {
        // a bare status word: passed up unauthenticated, so never a success, never data
        expect(out).toEqual(response);
        expect(UNSAFE_BARE((response[0] << 8) | response[1])).toBe(false);
        seen.bare++;
        return;
      }
      expect(macAt).toBeGreaterThanOrEqual(0);
      if (expected) expect(out).toEqual(expected);
      seen.authentic++;
    }), { numRuns: runs(1500) });
    // the generators reach every outcome
    expect(seen.authentic).toBeGreaterThan(0);
    expect(seen.bare).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it('the same response is refused once the SSC has moved on (replay)', () => {
    fc.assert(fc.property(arbAuthentic, ({ response }) => {
      const sm = channel();
      sm.unwrap(response);
      expect(() => sm.unwrap(response)).toThrow(expect.objectContaining({ code: 'sm-failure' }));
    }), { numRuns: runs(200) });
  });
});
