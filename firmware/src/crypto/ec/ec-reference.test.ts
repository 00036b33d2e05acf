// The TypeScript curves (the seam native-ec.ts) against ICAO 9303 Part 11 Appendix G.1 and
// node:crypto; the constants against their definitions (BigInt, test-side only).
import { createECDH } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ecAdd, ecBaseMultiply, ecCheck, ecCurve, ecMultiply } from '../../native/native-ec';
import { EC_PARAMS } from './ec-reference';

const G1 = JSON.parse(readFileSync(new URL('../../../test-data/icao9303-part11-appendix-g1.json', import.meta.url), 'utf8')) as Record<string, string>;
const h = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.padStart(64, '0'), 'hex'));
const hx = (u: Uint8Array | null): string => (u ? Buffer.from(u).toString('hex') : 'null');
const big = (l: number[]): bigint => l.reduceRight((acc, v) => (acc << 16n) | BigInt(v), 0n);

describe('elliptic curves in TypeScript', () => {
  it('has Montgomery constants that follow from p, and a G on the curve', () => {
    for (const c of EC_PARAMS) {
      const p = big(c.p), R = 1n << 256n;
      expect(big(c.rr)).toBe((R * R) % p);
      expect(big(c.one)).toBe(R % p);
      expect((BigInt(c.pinv) * p + 1n) % 65536n).toBe(0n);
      const inv = (x: bigint): bigint => { let r = 1n, b = x % p, e = p - 2n; while (e) { if (e & 1n) r = (r * b) % p; b = (b * b) % p; e >>= 1n; } return r; };
      const unR = (l: number[]): bigint => (big(l) * inv(R % p)) % p;
      const [x, y, a, b] = [unR(c.gx), unR(c.gy), unR(c.a), unR(c.b)];
      expect((((y * y - x * x * x - a * x - b) % p) + p) % p).toBe(0n);
    }
  });

  it('reproduces ICAO 9303 Part 11 Appendix G.1 (brainpoolP256r1)', () => {
    const c = ecCurve(13)!;
    expect(hx(ecBaseMultiply(c, h(G1.skMapIfd)))).toBe(G1.pkMapIfd.toLowerCase());
    const H = ecMultiply(c, h(G1.skMapIfd), h(G1.pkMapIc));
    expect(hx(H)).toBe(G1.sharedPointH.toLowerCase());
    const g = ecAdd(c, ecBaseMultiply(c, h(G1.nonce))!, H!);
    expect(hx(g)).toBe(G1.mappedGenerator.toLowerCase());
    expect(hx(ecMultiply(c, h(G1.skDhIfd), g!))).toBe(G1.pkDhIfd.toLowerCase());
    expect(hx(ecMultiply(c, h(G1.skDhIfd), h(G1.pkDhIc))).slice(2, 66)).toBe(G1.sharedSecretK.toLowerCase());
  });

  it('agrees with node:crypto (P-256, brainpoolP256r1) and refuses invalid points', () => {
    for (const [id, name] of [[12, 'prime256v1'], [13, 'brainpoolP256r1']] as const) {
      const c = ecCurve(id)!;
      for (let i = 0; i < 4; i++) {
        const a = createECDH(name), b = createECDH(name);
        a.generateKeys(); b.generateKeys();
        const sk = h(a.getPrivateKey('hex'));
        expect(hx(ecBaseMultiply(c, sk))).toBe(a.getPublicKey('hex'));
        expect(hx(ecMultiply(c, sk, new Uint8Array(b.getPublicKey()))).slice(2, 66)).toBe(a.computeSecret(b.getPublicKey()).toString('hex'));
        const off = new Uint8Array(b.getPublicKey()); off[64] ^= 1;
        expect(ecCheck(c, off)).toBe(false);
        expect(ecMultiply(c, sk, off)).toBeNull();
        expect(ecCheck(c, new Uint8Array(b.getPublicKey()))).toBe(true);
      }
      expect(ecBaseMultiply(c, new Uint8Array(32))).toBeNull();
    }
    expect(ecCurve(14)).toBeNull();
  });
});
