import { createHash as nodeHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IcaoError } from '../icao/errors';
import { nativeHash } from '../native/native-hash';
import { HASH_LENGTHS, createHash, hashNameFromOid, hashWhole, setWholeBufferHash, type HashName } from './hash';

const NAMES: HashName[] = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const digest = (name: string, data: Uint8Array): string => {
  const h = createHash(name);
  h.update(data);
  return toHex(h.digest());
};

describe('published vectors (FIPS 180-4 examples, NIST CSRC)', () => {
  const abc = ascii('abc');
  const two = ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
  const two512 = ascii('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu');
  it.each([
    ['sha1', abc, 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['sha1', two, '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    ['sha1', new Uint8Array(0), 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['sha224', abc, '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7'],
    ['sha256', abc, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['sha256', two, '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['sha384', abc, 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
    ['sha512', abc, 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
    ['sha512', two512, '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909'],
  ])('%s', (name, data, expected) => {
    expect(digest(name, data)).toBe(expected);
  });

  it('one million "a" (SHA-1, SHA-256)', () => {
    const block = new Uint8Array(1000).fill(0x61);
    for (const [name, expected] of [['sha1', '34aa973cd4c4daa4f61eeb2bdbad27316534016f'], ['sha256', 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0']]) {
      const h = createHash(name);
      for (let i = 0; i < 1000; i++) h.update(block);
      expect(toHex(h.digest())).toBe(expected);
    }
  });
});

describe('against node:crypto', () => {
  it.each(NAMES)('%s: random lengths, whole and in random chunks', (name) => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 700 }), fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 20 }), (len, cuts) => {
      const data = new Uint8Array(randomBytes(len));
      const expected = nodeHash(name).update(data).digest('hex');
      expect(digest(name, data)).toBe(expected);
      const h = createHash(name);
      let o = 0;
      for (let i = 0; i < cuts.length && o < len; i++) {
        const n = Math.min(cuts[i], len - o);
        h.update(data, o, n);
        o += n;
      }
      h.update(data.subarray(o));
      expect(toHex(h.digest())).toBe(expected);
      expect(h.outputLength).toBe(HASH_LENGTHS[name]);
    }), { numRuns: 300 });
  });

  it('lengths around block boundaries', () => {
    for (const name of NAMES) {
      for (let len = 50; len < 260; len++) {
        const data = new Uint8Array(randomBytes(len));
        expect(digest(name, data)).toBe(nodeHash(name).update(data).digest('hex'));
      }
    }
  });
});

describe('names and the native seam', () => {
  it('maps EF.SOD OIDs to names', () => {
    expect(hashNameFromOid('1.3.14.3.2.26')).toBe('sha1');
    expect(hashNameFromOid('2.16.840.1.101.3.4.2.1')).toBe('sha256');
    expect(hashNameFromOid('2.16.840.1.101.3.4.2.2')).toBe('sha384');
    expect(hashNameFromOid('2.16.840.1.101.3.4.2.3')).toBe('sha512');
    expect(hashNameFromOid('2.16.840.1.101.3.4.2.4')).toBe('sha224');
  });
  it('unknown OIDs and names are IcaoError unsupported', () => {
    for (const bad of ['1.2.840.113549.2.5', '2.16.840.1.101.3.4.2.8', 'toString', '']) {
      expect(() => hashNameFromOid(bad)).toThrowError(IcaoError);
      try { hashNameFromOid(bad); } catch (e) { expect((e as IcaoError).code).toBe('unsupported'); }
    }
    expect(() => createHash('md5')).toThrowError(/not supported/);
  });
  it('a digest finishes the hash', () => {
    const h = createHash('sha256');
    h.digest();
    expect(() => h.update(new Uint8Array(1))).toThrow();
    expect(() => h.digest()).toThrow();
  });
  it('hashWhole uses a registered whole-buffer function, and the pure one otherwise', () => {
    const data = ascii('abc');
    expect(toHex(hashWhole('sha1', data))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    let calls = 0;
    setWholeBufferHash('sha1', (d) => { calls++; return new Uint8Array(nodeHash('sha1').update(d).digest()); });
    try {
      expect(toHex(hashWhole('sha1', data))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
      expect(calls).toBe(1);
    } finally {
      setWholeBufferHash('sha1', null);
    }
    hashWhole('sha1', data);
    expect(calls).toBe(1);
  });
});

describe('names a plain object inherits', () => {
  it('are no hash: an OID or name such as constructor or __proto__ is unsupported, and the blob is not asked', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(() => hashNameFromOid(name), name).toThrow(expect.objectContaining({ code: 'unsupported' }) as Error);
      expect(() => createHash(name), name).toThrow(expect.objectContaining({ code: 'unsupported' }) as Error);
      expect(nativeHash([], name), name).toBeNull();
    }
  });
});
