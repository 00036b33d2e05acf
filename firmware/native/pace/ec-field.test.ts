// The PACE blob's field arithmetic (ec-field.c: fe_mul, fe_add, fe_sub, fe_half, hand-written Thumb-2)
// on its exact bytes under the emulated Cortex-M4, against BigInt: both curves' primes, the
// values where carries and the final subtraction turn (0, 1, p - 1, R - p, ...), random values,
// results written over an input, and the same instruction count whatever the values.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emulatorMissing, LOAD_ADDRESSES, PACE_BLOB_PATH, runPython, toolGate } from '../emu/emulator';

const FIELD_OPS = fileURLToPath(new URL('./field_ops.py', import.meta.url));
const PACE_JSON = fileURLToPath(new URL('../blob/pace.json', import.meta.url));
const P: Record<number, bigint> = { // FIPS 186-4 D.1.2.3; RFC 5639 §3.4
  12: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  13: 0xa9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377n,
};
const R = 1n << 256n;

type Fn = 'fe_mul' | 'fe_add' | 'fe_sub' | 'fe_half';
type Case = { fn: Fn; curve: number; a: string; b: string; alias: 'none' | 'a' | 'ab' };
type Result = { r: string; instructions: number; stackBytes: number };

const hex32 = (v: bigint): string => v.toString(16).padStart(64, '0');
const mod = (v: bigint, p: bigint): bigint => ((v % p) + p) % p;
const random = (p: bigint): bigint => BigInt('0x' + randomBytes(32).toString('hex')) % p;

/** What fe_* must give: Montgomery product a b R^-1, sum, difference, half of a, all mod p. */
function want(fn: Fn, a: bigint, b: bigint, p: bigint): bigint {
  if (fn === 'fe_add') return mod(a + b, p);
  if (fn === 'fe_half') return a % 2n ? (a + p) / 2n : a / 2n;
  if (fn === 'fe_sub') return mod(a - b, p);
  let rInv = 1n, base = R % p, e = p - 2n; // R^-1 = R^(p-2) mod p
  while (e > 0n) { if (e & 1n) rInv = (rInv * base) % p; base = (base * base) % p; e >>= 1n; }
  return (a * b % p) * rInv % p;
}

async function run(cases: Case[], loadAddress = LOAD_ADDRESSES[0]): Promise<Result[]> {
  const out = await runPython(FIELD_OPS, JSON.stringify({ blob: PACE_BLOB_PATH, json: PACE_JSON, loadAddress, cases }));
  return (JSON.parse(out) as { results: Result[] }).results;
}

function edges(p: bigint): bigint[] {
  return [0n, 1n, 2n, p - 1n, p - 2n, (p - 1n) / 2n, (p + 1n) / 2n, R - p, (R - 1n) % p, (1n << 255n) % p, (1n << 224n) - 1n, R % p * (R % p) % p];
}

describe.runIf(toolGate(emulatorMissing(), 'the PACE blob field arithmetic on the emulated Cortex-M4'))('pace.bin field arithmetic', () => {
  it('fe_mul, fe_add, fe_sub, fe_half agree with BigInt on edge and random values, in place too (both curves, two load addresses)', async () => {
    for (const at of LOAD_ADDRESSES) {
      const cases: Case[] = [], expected: bigint[] = [];
      for (const curve of [12, 13]) {
        const p = P[curve];
        const values = [...edges(p), ...Array.from({ length: 8 }, () => random(p))];
        for (const fn of ['fe_mul', 'fe_add', 'fe_sub', 'fe_half'] as Fn[]) {
          for (const a of values) {
            for (const b of [...edges(p), random(p)]) {
              cases.push({ fn, curve, a: hex32(a), b: hex32(b), alias: 'none' });
              expected.push(want(fn, a, b, p));
            }
            cases.push({ fn, curve, a: hex32(a), b: hex32(a), alias: 'ab' }); // r = a = b: squaring in place
            expected.push(want(fn, a, a, p));
          }
          for (let i = 0; i < 60; i++) {
            const a = random(p), b = random(p);
            cases.push({ fn, curve, a: hex32(a), b: hex32(b), alias: i % 2 ? 'a' : 'none' });
            expected.push(want(fn, a, b, p));
          }
        }
      }
      const results = await run(cases, at);
      const wrong = results.map((r, i) => (BigInt('0x' + r.r) === expected[i] ? null : { ...cases[i], got: r.r, want: hex32(expected[i]) })).filter(Boolean);
      expect(wrong).toEqual([]);
    }
  }, 120_000);

  it('takes the same number of instructions whatever the values, and a bounded stack', async () => {
    for (const curve of [12, 13]) {
      const p = P[curve];
      for (const fn of ['fe_mul', 'fe_add', 'fe_sub', 'fe_half'] as Fn[]) {
        const values = [0n, 1n, p - 1n, random(p), random(p)];
        const results = await run(values.map((a, i) => ({ fn, curve, a: hex32(a), b: hex32(values[(i + 2) % values.length]), alias: 'none' })));
        expect(new Set(results.map((r) => r.instructions)).size).toBe(1);
        expect(Math.max(...results.map((r) => r.stackBytes))).toBeLessThanOrEqual(140); // fe_mul: 36 pushed + 104
      }
    }
  }, 60_000);
});
