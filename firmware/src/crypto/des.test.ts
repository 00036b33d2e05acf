import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DesCipher, adjustDesParity } from './des';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

function nodeCbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array, encrypt: boolean): Uint8Array {
  // Single DES as des-ede with K1 = K2 (OpenSSL 3 keeps plain des-cbc in the legacy provider).
  const k = key.length === 8 ? Buffer.concat([key, key]) : Buffer.from(key);
  const name = k.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc';
  const c = encrypt ? createCipheriv(name, k, iv) : createDecipheriv(name, k, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

describe('DES known answers', () => {
  // Grabbe's worked example ("The DES algorithm illustrated"), NBS SP 500-20 variable-plaintext/key
  // vectors and Eric Young's libdes ecb_data set.
  const vectors: [string, string, string][] = [
    ['133457799BBCDFF1', '0123456789ABCDEF', '85E813540F0AB405'],
    ['0101010101010101', '95F8A5E5DD31D900', '8000000000000000'],
    ['0101010101010101', 'DD7F121CA5015619', '4000000000000000'],
    ['0101010101010101', '0000000000000000', '8CA64DE9C1B123A7'],
    ['FEFEFEFEFEFEFEFE', 'FFFFFFFFFFFFFFFF', '7359B2163E4EDC58'],
    ['3000000000000000', '1000000000000001', '958E6E627A05557B'],
    ['7CA110454A1A6E57', '01A1D6D039776742', '690F5B0D9A26939B'],
    ['0131D9619DC1376E', '5CD54CA83DEF57DA', '7A389D10354BD271'],
  ];
  it.each(vectors)('key %s: %s -> %s', (k, p, c) => {
    // One block of CBC with a zero IV is the block cipher itself (ECB).
    const des = new DesCipher(hex(k));
    const out = des.cbcEncrypt(null, hex(p));
    expect(toHex(out)).toBe(c);
    expect(toHex(des.cbcDecrypt(null, out))).toBe(p);
  });

  it('two-key 3DES with K1 = K2 is single DES', () => {
    const k = hex('133457799BBCDFF1');
    const out = new DesCipher(new Uint8Array([...k, ...k])).cbcEncrypt(null, hex('0123456789ABCDEF'));
    expect(toHex(out)).toBe('85E813540F0AB405');
  });

  it('rejects keys of other lengths', () => {
    expect(() => new DesCipher(new Uint8Array(7))).toThrow();
    expect(() => new DesCipher(new Uint8Array(32))).toThrow();
    expect(() => new DesCipher(new Uint8Array(16)).cbcEncrypt(null, new Uint8Array(9))).toThrow();
  });
});

describe('DES / 3DES CBC against node:crypto', () => {
  const keyLen = fc.constantFrom(8, 16, 24);
  it('random keys, IVs and messages (encrypt and decrypt)', () => {
    fc.assert(fc.property(keyLen, fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 40 }),
      (kl, iv, blocks) => {
        const key = new Uint8Array(randomBytes(kl));
        const data = new Uint8Array(randomBytes(blocks * 8));
        const cipher = new DesCipher(key);
        const mine = cipher.cbcEncrypt(iv, data);
        expect(toHex(mine)).toBe(toHex(nodeCbc(key, iv, data, true)));
        expect(toHex(cipher.cbcDecrypt(iv, mine))).toBe(toHex(data));
        expect(toHex(new DesCipher(key).cbcDecrypt(iv, data))).toBe(toHex(nodeCbc(key, iv, data, false)));
      }), { numRuns: 3000 });
  });

  it('encrypts in place and with a null IV (zeros)', () => {
    const key = new Uint8Array(randomBytes(16));
    const data = new Uint8Array(randomBytes(64));
    const copy = data.slice();
    const c = new DesCipher(key);
    c.cbcEncrypt(null, data, data);
    expect(toHex(data)).toBe(toHex(nodeCbc(key, new Uint8Array(8), copy, true)));
    c.cbcDecrypt(null, data, data);
    expect(toHex(data)).toBe(toHex(copy));
  });

  it('wipe zeroes the key schedule (output changes)', () => {
    const key = new Uint8Array(randomBytes(16));
    const c = new DesCipher(key);
    const before = c.cbcEncrypt(null, new Uint8Array(8));
    c.wipe();
    expect(toHex(c.cbcEncrypt(null, new Uint8Array(8)))).not.toBe(toHex(before));
    expect(toHex(c.cbcEncrypt(null, new Uint8Array(8)))).toBe(toHex(nodeCbc(new Uint8Array(16), new Uint8Array(8), new Uint8Array(8), true)));
  });
});

describe('adjustDesParity', () => {
  it('makes every byte odd parity and changes only bit 0', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 24 }), (k) => {
      const a = adjustDesParity(k.slice());
      for (let i = 0; i < k.length; i++) {
        let ones = 0;
        for (let x = a[i]; x; x >>= 1) ones += x & 1;
        expect(ones % 2).toBe(1);
        expect(a[i] & 0xfe).toBe(k[i] & 0xfe);
      }
    }));
  });
});
