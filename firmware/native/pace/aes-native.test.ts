// The PACE blob's AES and AES-CMAC (pace/ABI.md entries 0-5) on its exact bytes under the
// emulated Cortex-M4: FIPS 197 Appendix C, NIST SP 800-38B Appendix D.1, and random keys, data,
// splits and misaligned buffers against node:crypto (ops in emu/pace_ops.py).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cmac16 } from '../../test/support/node-pace-crypto';
import { emulatorMissing, LOAD_ADDRESSES, PACE_BLOB_PATH, runOps, toolGate, type Op } from '../emu/emulator';

const KEY32 = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
type AesResult = { out: string; iv: string };
type CmacResult = { tag: string; again?: string; cleared: boolean };

describe.runIf(toolGate(emulatorMissing(), 'the PACE blob AES on the emulated Cortex-M4'))('pace.bin AES and CMAC', () => {
  it('reproduces FIPS 197 Appendix C and SP 800-38B D.1 at two load addresses', () => {
    const m = '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710';
    for (const at of LOAD_ADDRESSES) {
      const ops: Op[] = [16, 24, 32].map((n) => ({ op: 'aes', key: KEY32.slice(0, 2 * n), data: '00112233445566778899aabbccddeeff', mode: 'ecb', decrypt: false }));
      ops.push(...[0, 16, 40, 64].map((n) => ({ op: 'cmac', key: '2b7e151628aed2a6abf7158809cf4f3c', chunks: [m.slice(0, 2 * n)] })));
      const r = runOps(ops, at, PACE_BLOB_PATH);
      expect((r.slice(0, 3) as AesResult[]).map((x) => x.out)).toEqual(['69c4e0d86a7b0430d8cdb78070b4c55a', 'dda97ca4864cdfe06eaf70a0ec0d7191', '8ea2b7ca516745bfeafc49904b496089']);
      expect((r.slice(3) as CmacResult[]).map((x) => x.tag)).toEqual(['bb1d6929e95937287fa37d129b756746', '070a16b46b4d4144f79bdd9dd04a287c', 'dfa66747de9ae63030ca32611497c827', '51f0bebf7e3b9d92fc49741779363cfe']);
      for (const x of r.slice(3) as CmacResult[]) expect(x.cleared).toBe(true);
    }
  });

  it('agrees with node:crypto: ECB both ways, CBC in split calls, CMAC in chunks, misaligned data', () => {
    const ops: Op[] = [];
    const want: Array<(r: Record<string, unknown>) => void> = [];
    for (let i = 0; i < 120; i++) {
      const bytes = [16, 24, 32][i % 3];
      const key = randomBytes(bytes), iv = randomBytes(16), data = randomBytes(16 * (1 + (i % 5)));
      const name = `aes-${bytes * 8}`;
      const shift = i % 4;
      if (i % 4 === 0) {
        ops.push({ op: 'aes', key: hex(key), data: hex(data), mode: 'ecb', decrypt: i % 8 === 0, shift, inPlace: i % 3 === 0 });
        const c = (i % 8 === 0 ? createDecipheriv : createCipheriv)(`${name}-ecb`, key, null).setAutoPadding(false);
        const expected = hex(c.update(data));
        want.push((r) => expect((r as AesResult).out).toBe(expected));
      } else if (i % 4 !== 3) {
        const decrypt = i % 4 === 2;
        const splits = data.length > 16 ? [16, data.length - 16] : [16];
        ops.push({ op: 'aes', key: hex(key), data: hex(data), mode: 'cbc', decrypt, iv: hex(iv), splits, shift });
        const c = (decrypt ? createDecipheriv : createCipheriv)(`${name}-cbc`, key, iv).setAutoPadding(false);
        const expected = hex(c.update(data));
        want.push((r) => expect((r as AesResult).out).toBe(expected));
      } else {
        const msg = randomBytes(i % 50);
        const cut = Math.floor(msg.length / 3);
        ops.push({ op: 'cmac', key: hex(key), chunks: [hex(msg.subarray(0, cut)), '', hex(msg.subarray(cut))], again: [hex(msg)] });
        const tag = hex(cmac16(new Uint8Array(key), new Uint8Array(msg)));
        want.push((r) => {
          expect((r as CmacResult).tag).toBe(tag);
          expect((r as CmacResult).again).toBe(tag);
        });
      }
    }
    const results = runOps(ops, LOAD_ADDRESSES[1], PACE_BLOB_PATH);
    results.forEach((r, i) => want[i](r));
  });
});
