// The PACE blob's elliptic curves (pace/ABI.md entries 10-12) on its exact bytes under the
// emulated Cortex-M4: ICAO 9303 Part 11 Appendix G.1 (brainpoolP256r1), random cross-checks with
// node:crypto on P-256 and brainpoolP256r1, invalid points, constant instruction count.
import { createECDH, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emulatorMissing, LOAD_ADDRESSES, PACE_BLOB_PATH, PYTHON, runPython, toolGate } from '../emu/emulator';

const EC_OPS = fileURLToPath(new URL('../emu/ec_ops.py', import.meta.url));
const G1 = JSON.parse(readFileSync(new URL('../../test-data/icao9303-part11-appendix-g1.json', import.meta.url), 'utf8')) as Record<string, string>;
const NODE_NAME: Record<number, string> = { 12: 'prime256v1', 13: 'brainpoolP256r1' };
const ORDER: Record<number, bigint> = { // FIPS 186-4 D.1.2.3; RFC 5639 §3.4
  12: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  13: 0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7n,
};

type Case = { curve: number; entry: number; a?: string | null; b?: string | null };
type Result = { r0: number; out: string; instructions: number; ctxWiped: boolean };

function run(cases: Case[], loadAddress = LOAD_ADDRESSES[0]): Result[] {
  const r = spawnSync(PYTHON, [EC_OPS], { input: JSON.stringify({ blob: PACE_BLOB_PATH, loadAddress, cases }), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`ec_ops.py failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: Result[] }).results;
}

/** run for big batches, without blocking the test worker (emulator.ts runOpsAsync says why). */
async function runAsync(cases: Case[], loadAddress = LOAD_ADDRESSES[0]): Promise<Result[]> {
  return (JSON.parse(await runPython(EC_OPS, JSON.stringify({ blob: PACE_BLOB_PATH, loadAddress, cases }))) as { results: Result[] }).results;
}

const hex32 = (v: bigint): string => v.toString(16).padStart(64, '0');
const mul = (curve: number, k: string, p: string | null): Case => ({ curve, entry: 10, a: k, b: p });

describe.runIf(toolGate(emulatorMissing(), 'the PACE blob curves on the emulated Cortex-M4'))('pace.bin elliptic curves', () => {
  it('reproduces ICAO 9303 Part 11 Appendix G.1 (brainpoolP256r1, id 13) at two load addresses', () => {
    for (const at of LOAD_ADDRESSES) {
      const [pkMap, h, gSum, pkDh, k, sG, mapped] = run([
        mul(13, G1.skMapIfd, null),
        mul(13, G1.skMapIfd, G1.pkMapIc),
        { curve: 13, entry: 11, a: null, b: G1.sharedPointH }, // P missing: bad argument
        mul(13, G1.skDhIfd, G1.mappedGenerator),
        mul(13, G1.skDhIfd, G1.pkDhIc),
        mul(13, G1.nonce.padStart(64, '0'), null),
        mul(13, G1.skDhIc, G1.mappedGenerator),
      ], at);
      expect(pkMap.out).toBe(G1.pkMapIfd.toLowerCase());
      expect(h.out).toBe(G1.sharedPointH.toLowerCase());
      expect(gSum.r0).toBe(-1); // a null point pointer is a bad argument
      expect(pkDh.out).toBe(G1.pkDhIfd.toLowerCase());
      expect(k.out.slice(2, 66)).toBe(G1.sharedSecretK.toLowerCase());
      expect(mapped.out).toBe(G1.pkDhIc.toLowerCase());
      const [g] = run([{ curve: 13, entry: 11, a: sG.out, b: G1.sharedPointH }], at);
      expect(g.r0).toBe(0);
      expect(g.out).toBe(G1.mappedGenerator.toLowerCase()); // G' = s·G + H
      for (const r of [pkMap, h, pkDh, k, sG, mapped, g]) expect(r.ctxWiped).toBe(true);
    }
  });

  it('agrees with node:crypto on public keys and shared secrets (random keys, both curves)', async () => {
    const cases: Case[] = [], want: string[] = [];
    for (const curve of [12, 13]) {
      for (let i = 0; i < 12; i++) {
        const a = createECDH(NODE_NAME[curve]), b = createECDH(NODE_NAME[curve]);
        a.generateKeys(); b.generateKeys();
        const sk = a.getPrivateKey('hex').padStart(64, '0');
        cases.push(mul(curve, sk, null)); want.push(a.getPublicKey('hex'));
        cases.push(mul(curve, sk, b.getPublicKey('hex'))); want.push(a.computeSecret(b.getPublicKey()).toString('hex'));
      }
    }
    (await runAsync(cases)).forEach((r, i) => {
      expect(r.r0).toBe(0);
      expect(want[i].length === 130 ? r.out : r.out.slice(2, 66)).toBe(want[i]);
    });
  }, 120_000); // async: vitest times it (a loaded machine took 67 s for this file)

  it('handles edge scalars: 1, n - 1, n + 1 (reduced), 2^256 - 1, n - 2 .. n - 16; 0 and n give infinity (-3)', () => {
    for (const curve of [12, 13]) {
      const n = ORDER[curve];
      const g = createECDH(NODE_NAME[curve]);
      g.setPrivateKey(Buffer.from(hex32(1n), 'hex'));
      const G = g.getPublicKey('hex');
      const nodeMul = (k: bigint): string => { const e = createECDH(NODE_NAME[curve]); e.setPrivateKey(Buffer.from(hex32(k), 'hex')); return e.getPublicKey('hex'); };
      const r = run([hex32(1n), hex32(n - 1n), hex32(n + 1n), hex32((1n << 256n) - 1n), hex32(0n), hex32(n)].map((k) => mul(curve, k, null)));
      expect(r[0].out).toBe(G);
      expect(r[1].out).toBe(nodeMul(n - 1n));
      expect(r[2].out).toBe(G);
      expect(r[3].out).toBe(nodeMul(((1n << 256n) - 1n) % n));
      expect([r[4].r0, r[5].r0]).toEqual([-3, -3]);
      // k = n + 2d for a last signed digit d = -1..-8: the last window adds d·P to (k - d)·P = d·P,
      // a doubling (n - 2 on P-256, n - 14 on brainpoolP256r1 reach it)
      const near = Array.from({ length: 8 }, (_, j) => n - 2n * BigInt(j + 1));
      run(near.map((k) => mul(curve, hex32(k), null))).forEach((res, j) => expect(res.out).toBe(nodeMul(near[j])));
    }
  });

  it('refuses invalid points: off the curve, x or y >= p, not 04, infinity; P + (-P) is infinity', () => {
    const e = createECDH('brainpoolP256r1'); e.generateKeys();
    const pk = e.getPublicKey();
    const off = Buffer.from(pk); off[64] ^= 1;
    const p = 0xa9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377n;
    const x = BigInt('0x' + pk.subarray(1, 33).toString('hex')), y = BigInt('0x' + pk.subarray(33).toString('hex'));
    const xPlusP = '04' + hex32(x + p).slice(-64) + hex32(y); // x + p overflows 256 bits only sometimes: also test x = p
    const xIsP = '04' + hex32(p) + hex32(y);
    const yPlusP = '04' + hex32(x) + hex32(y + p).slice(-64);
    const neg = '04' + hex32(x) + hex32(p - y);
    const k = hex32(5n);
    const r = run([
      { curve: 13, entry: 12, a: pk.toString('hex') },
      { curve: 13, entry: 12, a: off.toString('hex') },
      { curve: 13, entry: 12, a: xIsP },
      { curve: 13, entry: 12, a: xPlusP },
      { curve: 13, entry: 12, a: yPlusP },
      { curve: 13, entry: 12, a: '03' + pk.subarray(1).toString('hex') },
      { curve: 13, entry: 12, a: '00'.repeat(65) },
      mul(13, k, off.toString('hex')),
      { curve: 13, entry: 11, a: pk.toString('hex'), b: off.toString('hex') },
      { curve: 13, entry: 11, a: pk.toString('hex'), b: neg },
      { curve: 13, entry: 11, a: pk.toString('hex'), b: pk.toString('hex') },
      { curve: 14, entry: 10, a: k, b: null },
      { curve: 12, entry: 12, a: pk.toString('hex') },
    ]);
    expect(r.map((c) => c.r0)).toEqual([0, -2, -2, -2, -2, -2, -2, -2, -2, -3, 0, -1, -2]);
    expect(r[10].out).toBe(run([mul(13, hex32(2n), pk.toString('hex'))])[0].out); // P + P doubles
  });

  it('multiplies in a constant number of instructions (scalars 0x01.., 0xFF.., random, 1)', () => {
    for (const curve of [12, 13]) {
      const ks = ['01'.repeat(32), 'ff'.repeat(32), randomBytes(32).toString('hex'), hex32(1n), hex32(ORDER[curve] - 1n)];
      const counts = run(ks.map((k) => mul(curve, k, null))).map((r) => r.instructions);
      expect(new Set(counts).size).toBe(1);
      expect(counts[0]).toBeGreaterThan(1_000_000);
    }
  });
});
