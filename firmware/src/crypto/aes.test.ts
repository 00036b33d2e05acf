// The TypeScript AES and AES-CMAC (reference and fallback of pace.bin entries 0-5) against
// FIPS 197 Appendix C, NIST SP 800-38B Appendix D.1 (= RFC 4493 §4) and node:crypto.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cmac16 } from '../../test/support/node-pace-crypto';
import { AesBlockCipher } from './aes';
import { AesCmacReference } from './cmac';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (a: Uint8Array): string => Buffer.from(a).toString('hex');
const PLAIN = '00112233445566778899aabbccddeeff';
const KEY32 = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

describe('AES (FIPS 197)', () => {
  it.each([
    [16, '69c4e0d86a7b0430d8cdb78070b4c55a'], // Appendix C.1
    [24, 'dda97ca4864cdfe06eaf70a0ec0d7191'], // C.2
    [32, '8ea2b7ca516745bfeafc49904b496089'], // C.3
  ])('Appendix C, %i-byte key, both ways and in place', (bytes, cipher) => {
    const aes = new AesBlockCipher(hex(KEY32.slice(0, 2 * bytes)));
    const out = new Uint8Array(16);
    aes.encryptBlock(hex(PLAIN), out);
    expect(toHex(out)).toBe(cipher);
    aes.decryptBlock(out, out);
    expect(toHex(out)).toBe(PLAIN);
  });

  it('agrees with node:crypto on random keys, blocks and CBC, at offsets', () => {
    for (const bytes of [16, 24, 32]) {
      for (let i = 0; i < 20; i++) {
        const key = randomBytes(bytes), iv = randomBytes(16), data = randomBytes(16 * (1 + (i % 7)));
        const aes = new AesBlockCipher(new Uint8Array(key));
        const buf = new Uint8Array(data.length + 3);
        buf.set(data, 3);
        aes.encryptBlock(buf, buf, 3, 0);
        expect(toHex(buf.subarray(0, 16))).toBe(createCipheriv(`aes-${bytes * 8}-ecb`, key, null).setAutoPadding(false).update(data.subarray(0, 16)).toString('hex'));
        const cbc = new Uint8Array(data);
        const ivCopy = new Uint8Array(iv);
        aes.cbc(ivCopy, cbc, false);
        expect(toHex(cbc)).toBe(createCipheriv(`aes-${bytes * 8}-cbc`, key, iv).setAutoPadding(false).update(data).toString('hex'));
        expect(toHex(ivCopy)).toBe(toHex(iv));
        const back = new Uint8Array(cbc);
        aes.cbc(iv, back, true);
        expect(toHex(back)).toBe(toHex(data));
        expect(toHex(createDecipheriv(`aes-${bytes * 8}-cbc`, key, iv).setAutoPadding(false).update(cbc))).toBe(toHex(data));
      }
    }
  });

  it('refuses bad key and data lengths; wipe zeroes the schedule', () => {
    expect(() => new AesBlockCipher(new Uint8Array(15))).toThrow();
    const aes = new AesBlockCipher(new Uint8Array(16));
    expect(() => aes.cbc(new Uint8Array(16), new Uint8Array(17), false)).toThrow();
    aes.wipe();
    expect(toHex(new Uint8Array((aes as unknown as { _rk: Int32Array })._rk.buffer))).toMatch(/^0+$/);
  });
});

describe('AES-CMAC (NIST SP 800-38B)', () => {
  const key = hex('2b7e151628aed2a6abf7158809cf4f3c');
  const msg = hex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710');
  it.each([
    [0, 'bb1d6929e95937287fa37d129b756746'], // Appendix D.1, examples 1-4
    [16, '070a16b46b4d4144f79bdd9dd04a287c'],
    [40, 'dfa66747de9ae63030ca32611497c827'],
    [64, '51f0bebf7e3b9d92fc49741779363cfe'],
  ])('Appendix D.1, %i-byte message, whole and byte by byte', (n, tag) => {
    const mac = new AesCmacReference(key);
    expect(toHex(mac.update(msg.subarray(0, n)).final16())).toBe(tag);
    for (let i = 0; i < n; i++) mac.update(msg, i, 1);
    expect(toHex(mac.final16())).toBe(tag); // the same ctx, a second message after final
    expect(toHex(cmac16(key, msg.subarray(0, n)))).toBe(tag); // the test-side CMAC too
  });

  it('agrees with a CMAC over node:crypto AES for random keys, lengths and splits; and reset', () => {
    for (const bytes of [16, 24, 32]) {
      for (let i = 0; i < 30; i++) {
        const k = new Uint8Array(randomBytes(bytes)), m = new Uint8Array(randomBytes(i * 5));
        const mac = new AesCmacReference(k);
        mac.update(randomBytes(7)).reset();
        let at = 0;
        while (at < m.length) {
          const step = Math.min(m.length - at, 1 + (at * 7) % 23);
          mac.update(m, at, step);
          at += step;
        }
        const want = toHex(cmac16(k, m));
        const out = new Uint8Array(20);
        mac.final16(out, 2);
        expect(toHex(out.subarray(2, 18))).toBe(want);
        expect(toHex(mac.update(m).final16())).toBe(want);
      }
    }
  });
});
