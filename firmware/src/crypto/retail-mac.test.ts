import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pad, paddedLength, unpaddedLength } from './padding';
import { RetailMac, equalBytes, retailMac } from './retail-mac';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

/** ISO 9797-1 MAC algorithm 3 built from node's DES (des-ede-cbc with K1 = K2 as single DES). */
function nodeRetailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  const padded = Buffer.alloc(paddedLength(data.length));
  Buffer.from(data).copy(padded);
  padded[data.length] = 0x80;
  const k1 = Buffer.from(key.subarray(0, 8));
  const k2 = Buffer.from(key.subarray(8, 16));
  const single = (k: Buffer, input: Buffer, decrypt: boolean): Buffer => {
    const c = decrypt
      ? createDecipheriv('des-ede-ecb', Buffer.concat([k, k]), null)
      : createCipheriv('des-ede-ecb', Buffer.concat([k, k]), null);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(input), c.final()]);
  };
  const cbc = createCipheriv('des-ede-cbc', Buffer.concat([k1, k1]), Buffer.alloc(8));
  cbc.setAutoPadding(false);
  const all = Buffer.concat([cbc.update(padded), cbc.final()]);
  const last = all.subarray(all.length - 8);
  return new Uint8Array(single(k1, single(k2, last, true), false));
}

describe('ISO 9797-1 padding method 2', () => {
  it('pads to the next multiple of 8, always adding 80', () => {
    expect(toHex(pad(new Uint8Array(0)))).toBe('8000000000000000');
    expect(toHex(pad(hex('01020304')))).toBe('0102030480000000');
    expect(toHex(pad(hex('0102030405060708')))).toBe('01020304050607088000000000000000');
    expect(toHex(pad(hex('AABB0102'), 2, 2))).toBe('0102800000000000');
  });
  it('unpads what it padded, for every length', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (d) => {
      const p = pad(d);
      expect(p.length % 8).toBe(0);
      expect(unpaddedLength(p)).toBe(d.length);
    }));
  });
  it('rejects wrong padding', () => {
    expect(unpaddedLength(hex('0102030400000000'))).toBe(-1); // no 80
    expect(unpaddedLength(hex('0102038000000100'))).toBe(-1); // non-zero after 80
    expect(unpaddedLength(hex('80000000000000000000000000000000'))).toBe(-1); // padding longer than a block
    expect(unpaddedLength(hex('01020304050607'))).toBe(-1); // not a block multiple
    expect(unpaddedLength(new Uint8Array(0))).toBe(-1);
    expect(unpaddedLength(hex('0102030405060780'))).toBe(7);
  });
});

describe('retail MAC', () => {
  it('matches the ICAO 9303-11 appendix D M.IFD', () => {
    const eIfd = hex('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2');
    expect(toHex(retailMac(hex('7962D9ECE03D1ACD4C76089DCE131543'), eIfd))).toBe('5F1448EEA8AD90A7');
  });

  it('agrees with a MAC built from node:crypto DES, one-shot and in random pieces', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 30 }), (data, cuts) => {
      const key = new Uint8Array(randomBytes(16));
      const expected = toHex(nodeRetailMac(key, data));
      expect(toHex(retailMac(key, data))).toBe(expected);
      const m = new RetailMac(key);
      let o = 0;
      for (let i = 0; i < cuts.length && o < data.length; i++) {
        const n = Math.min(cuts[i], data.length - o);
        m.update(data, o, n);
        o += n;
      }
      m.update(data, o, data.length - o);
      expect(toHex(m.finish())).toBe(expected);
      // finish resets: the same object MACs the next message from scratch
      m.update(data);
      expect(toHex(m.finish())).toBe(expected);
    }), { numRuns: 1000 });
  });

  it('equalBytes compares ranges and refuses out-of-range', () => {
    expect(equalBytes(hex('0102'), 0, hex('000102'), 1, 2)).toBe(true);
    expect(equalBytes(hex('0102'), 0, hex('000103'), 1, 2)).toBe(false);
    expect(equalBytes(hex('0102'), 0, hex('01'), 0, 2)).toBe(false);
    // A difference anywhere counts, the first byte and the last; bytes after n do not.
    expect(equalBytes(hex('ff02'), 0, hex('0002'), 0, 2)).toBe(false);
    expect(equalBytes(hex('0102'), 0, hex('0182'), 0, 2)).toBe(false);
    expect(equalBytes(hex('010299'), 0, hex('0102aa'), 0, 2)).toBe(true);
    // Out of range on either side is unequal, even where the missing bytes would read as 0.
    expect(equalBytes(hex('01'), 0, hex('0100'), 0, 2)).toBe(false);
    expect(equalBytes(hex('0100'), 0, hex('01'), 0, 2)).toBe(false);
    expect(equalBytes(hex('000100'), 1, hex('0100'), 0, 3)).toBe(false);
    expect(equalBytes(hex(''), 0, hex(''), 0, 0)).toBe(true);
  });
});
