// Thousands of random inputs through the blob's exact bytes under an emulated Cortex-M4, each
// compared with node:crypto and with the TypeScript reference implementations the firmware
// falls back to: 3DES/DES-CBC (one call and in pieces, aligned and not, SP tables in the
// blob or in a RAM copy), the retail MAC in
// pieces, SHA-1/224/256/384/512 in random pieces, CRC-16, COBS both ways (and garbage), the
// PN532 checksum.
import { createCipheriv, createDecipheriv, createHash as nodeHash, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cobsDecodeInPlace, cobsEncode } from '../../protocol/src/cobs';
import { crc16 } from '../../protocol/src/crc16';
import { DesCipher } from '../src/crypto/des';
import { createHash } from '../src/crypto/hash';
import { pad } from '../src/crypto/padding';
import { RetailMac } from '../src/crypto/retail-mac';
import { buildFrame } from '../src/pn532/frames';
import { LOAD_ADDRESSES, emulatorMissing, runOpsAsync, toolGate, type Op } from './emu/emulator';

const run = toolGate(emulatorMissing());
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
/** Random lengths that add up to `total`, each a multiple of `unit`. */
function splits(total: number, unit: number): number[] {
  const out: number[] = [];
  for (let left = total; left > 0;) {
    const n = Math.min(left, unit * randomInt(0, 6));
    out.push(n);
    left -= n;
  }
  return out;
}
const chunks = (data: Uint8Array, unit: number): string[] => {
  let at = 0;
  return splits(data.length, unit).map((n) => toHex(data.subarray(at, (at += n))));
};

/** node:crypto CBC; single DES is des-ede with K1 = K2 (OpenSSL 3 keeps des-cbc in its legacy provider). */
function nodeCbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array, decrypt: boolean): string {
  const k = Buffer.from(key.length === 8 ? Buffer.concat([key, key]) : key);
  const name = k.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc';
  const c = decrypt ? createDecipheriv(name, k, iv) : createCipheriv(name, k, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]).toString('hex');
}

interface Case { what: string; op: Op; expect: Record<string, unknown> }
const cases: Case[] = [];

for (const keyLength of [8, 16, 24]) {
  for (let i = 0; i < 150; i++) {
    const key = bytes(keyLength), iv = bytes(8), data = bytes(8 * randomInt(0, 33));
    const decrypt = (i & 1) === 1;
    const expected = nodeCbc(key, iv, data, decrypt);
    const ts = new DesCipher(key);
    const tsOut = decrypt ? ts.cbcDecrypt(iv, data) : ts.cbcEncrypt(iv, data);
    expect(toHex(tsOut)).toBe(expected); // the reference agrees with node before it judges the blob
    const last = data.length ? (decrypt ? data : hexBytes(expected)).subarray(data.length - 8) : iv;
    cases.push({
      what: `${keyLength * 8}-bit key, ${data.length} bytes, ${decrypt ? 'decrypt' : 'encrypt'}`,
      op: { op: 'des_cbc', key: toHex(key), iv: toHex(iv), data: toHex(data), decrypt, splits: splits(data.length, 8), shift: i % 4, ramTables: i % 3 === 0 },
      expect: { out: expected, cv: toHex(last) },
    });
  }
}

function hexBytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}

for (let i = 0; i < 300; i++) {
  const key = bytes(16), data = bytes(randomInt(0, 300));
  const mac = new RetailMac(key).update(data).finish();
  cases.push({ what: `retail MAC of ${data.length} bytes`, op: { op: 'mac', key: toHex(key), chunks: chunks(pad(data), 8), ramTables: i % 2 === 0 }, expect: { mac: toHex(mac), cvAfter: '0000000000000000' } });
}

for (const name of ['sha1', 'sha224', 'sha256', 'sha384', 'sha512']) {
  for (let i = 0; i < 150; i++) {
    const data = bytes(randomInt(0, 700));
    const digest = nodeHash(name).update(data).digest('hex');
    const ts = createHash(name);
    ts.update(data);
    expect(toHex(ts.digest())).toBe(digest);
    cases.push({ what: `${name} of ${data.length} bytes`, op: { op: 'hash', name, chunks: chunks(data, 1 + randomInt(0, 150)) }, expect: { digest, stateWiped: true } });
  }
}

for (let i = 0; i < 300; i++) {
  const data = bytes(randomInt(0, 600)), init = randomInt(0, 0x10000);
  cases.push({ what: `CRC-16 of ${data.length} bytes`, op: { op: 'crc16', init, data: toHex(data) }, expect: { crc: crc16(data, 0, data.length, init) } });
}

for (let i = 0; i < 300; i++) {
  // Zeros and runs of 254+ non-zero bytes are where COBS goes wrong: make both common.
  const data = bytes(randomInt(0, 700)).map((b) => (b < 40 ? 0 : b));
  if (i % 3 === 0) data.fill(7, 0, Math.min(data.length, 300));
  const enc = new Uint8Array(data.length + Math.floor(data.length / 254) + 1);
  const n = cobsEncode(data, data.length, enc, 0);
  cases.push({ what: `COBS encode ${data.length} bytes`, op: { op: 'cobs_encode', data: toHex(data) }, expect: { out: toHex(enc.subarray(0, n)) } });
  cases.push({ what: `COBS decode ${n} bytes`, op: { op: 'cobs_decode', data: toHex(enc.subarray(0, n)) }, expect: { length: data.length, out: toHex(data) } });
  const garbage = bytes(randomInt(0, 80)).map((b) => (b < 10 ? 0 : b % 90));
  const copy = new Uint8Array(garbage);
  const m = cobsDecodeInPlace(copy, copy.length);
  cases.push({ what: `COBS decode ${garbage.length} random bytes`, op: { op: 'cobs_decode', data: toHex(garbage) }, expect: m < 0 ? { length: -1 } : { length: m, out: toHex(copy.subarray(0, m)) } });
}

for (let i = 0; i < 200; i++) {
  const pd = bytes(randomInt(1, 264));
  const frame = new Uint8Array(pd.length + 12);
  const n = buildFrame(frame, 0xd4, pd, 0, pd.length);
  cases.push({ what: `PN532 DCS of ${pd.length + 1} bytes`, op: { op: 'dcs', data: 'd4' + toHex(pd) }, expect: { dcs: frame[n - 2] } });
}

describe.skipIf(!run)('native blob on an emulated Cortex-M4: random inputs against node:crypto and the TypeScript references', () => {
  it(`agrees on all ${cases.length} cases at both load addresses`, async () => {
    for (const address of LOAD_ADDRESSES) {
      const results = await runOpsAsync(cases.map((c) => c.op), address);
      const wrong: string[] = [];
      results.forEach((r, i) => {
        for (const [k, v] of Object.entries(cases[i].expect)) {
          if (r[k] !== v) wrong.push(`${cases[i].what}: ${k} ${String(r[k])} != ${String(v)}`);
        }
      });
      expect(wrong.slice(0, 10), `at 0x${address.toString(16)}`).toEqual([]);
    }
  }, 180_000);
});
