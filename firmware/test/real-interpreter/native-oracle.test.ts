// The native oracle (native-oracle.ts) on the real interpreter, called as the firmware calls the
// blob (E.nativeCall of entry (16 + 4i) | 1 of the Storage file `native`, E.getAddressOf(array,
// true) + offsets): every entry's output against node:crypto, the protocol package's CRC-16 and
// COBS, and a protected response built here with node's 3DES. Also: a handle whose array was
// released is refused (the address rule can fail), and a call allocates no variables.

import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cobsEncode, crc16 } from '@epassport/protocol';
import { interpreterRuns } from './availability';
import { LINE_PREFIX, openSession } from './espruino-runner';
import { LOAD_ORACLE, storeOracle } from './oracle-read';

const hex = (b: Uint8Array | Buffer): string => Buffer.from(b).toString('hex');
/** 0, 1, ... pattern data with zeros in it (COBS) and every byte value. */
const data = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + (i >> 3)) & 0xff));

const K1 = Buffer.from('0123456789abcdef', 'hex');
const K2 = Buffer.from('fedcba9876543210', 'hex');
const K3 = Buffer.from('89abcdef01234567', 'hex');
const IV = Buffer.from('1122334455667788', 'hex');

function ede(key: Buffer, iv: Buffer, plain: Buffer, decrypt = false): Buffer {
  const name = key.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc';
  const c = decrypt ? createDecipheriv(name, key, iv) : createCipheriv(name, key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(plain), c.final()]);
}

/** ISO 9797-1 MAC algorithm 3 (padding is the caller's): K1 CBC-MAC, then D(K2), E(K1). */
function retailMac(k1: Buffer, k2: Buffer, padded: Buffer): Buffer {
  const single = (k: Buffer) => Buffer.concat([k, k]);
  const cbc = ede(single(k1), Buffer.alloc(8), padded);
  const last = cbc.subarray(cbc.length - 8);
  return ede(single(k1), Buffer.alloc(8), ede(single(k2), Buffer.alloc(8), last, true));
}

function pad(b: Buffer): Buffer {
  const n = (b.length + 8) & ~7;
  const out = Buffer.alloc(n);
  b.copy(out);
  out[b.length] = 0x80;
  return out;
}

/** A protected response (DO'87', DO'99', DO'8E', 9000) of `plain` under KSenc/KSmac at SSC+1. */
function protectedResponse(ksEnc: Buffer, ksMac: Buffer, ssc: Buffer, plain: Buffer): Buffer {
  const next = Buffer.from(ssc);
  for (let i = 7; i >= 0; i--) if ((next[i] = (next[i] + 1) & 0xff)) break;
  const crypt = ede(ksEnc, Buffer.alloc(8), pad(plain));
  const len = crypt.length + 1;
  const do87 = Buffer.concat([Buffer.from(len < 0x80 ? [0x87, len, 1] : [0x87, 0x81, len, 1]), crypt]);
  const do99 = Buffer.from([0x99, 2, 0x90, 0]);
  const mac = retailMac(ksMac.subarray(0, 8), ksMac.subarray(8), pad(Buffer.concat([next, do87, do99])));
  return Buffer.concat([do87, do99, Buffer.from([0x8e, 8]), mac, Buffer.from([0x90, 0])]);
}

const HASH_LENGTHS = [0, 3, 55, 56, 64, 111, 112, 128, 200];
const HASHES: [string, number, number][] = [['sha1', 15, 0], ['sha224', 12, 224], ['sha256', 12, 256], ['sha384', 4, 384], ['sha512', 4, 512]];
const SM_KS_ENC = Buffer.from('979ec13b1cbfe9dcd01ab0fed307eae5', 'hex');
const SM_KS_MAC = Buffer.from('f1cb1f1fb5adf208806b89dc579dc1f8', 'hex');
const SM_SSC = Buffer.from('887022120c06c226', 'hex');
const SM_PLAIN = data(100, 13);

/** Runs on the interpreter: each line '@@ <name> <hex or number>'. */
const SCRIPT = `
var blob = require('Storage').read('native');
function fn(i) { return E.nativeCall((16 + 4 * i) | 1, 'int(int,int,int,int)', blob); }
function at(a) { return E.getAddressOf(a, true); }
function hex(a, o, n) { var s = ''; for (var i = 0; i < n; i++) s += (a[o + i] + 256).toString(16).substr(1); return s; }
function put(a, o, h) { for (var i = 0; i < h.length; i += 2) a[o + i / 2] = parseInt(h.substr(i, 2), 16); }
function out(name, v) { print('${LINE_PREFIX}' + name + ' ' + v); }
var buf = new Uint8Array(512), st = new Uint8Array(224), res = new Uint8Array(64), ctx = new Uint8Array(400), sm = new Uint8Array(808);
function pattern(n, seed) { for (var i = 0; i < n; i++) buf[i] = (i * seed + (i >> 3)) & 255; }
var HASHES = ${JSON.stringify(HASHES)}, LENGTHS = ${JSON.stringify(HASH_LENGTHS)};
HASHES.forEach(function (h) {
  LENGTHS.forEach(function (n) {
    pattern(n, 7);
    fn(h[1])(at(st), h[2], 0, 0);
    var cut = (n / 3) | 0;
    fn(h[1] + 1)(at(st), at(buf), cut, 0);
    fn(h[1] + 1)(at(st), at(buf) + cut, n - cut, 0);
    var k = fn(h[1] + 2)(at(st), at(res), 0, 0);
    out(h[0] + '-' + n, hex(res, 0, k));
  });
});
[['${hex(Buffer.concat([K1, K2]))}', 16], ['${hex(Buffer.concat([K1, K2, K3]))}', 24]].forEach(function (k) {
  put(buf, 0, k[0]);
  fn(0)(at(ctx), at(buf), k[1], 0);
  pattern(64, 11);
  put(ctx, 384, '${hex(IV)}');
  fn(1)(at(ctx), at(buf), 64, 0);
  out('cbc' + k[1], hex(buf, 0, 64));
  out('cbc' + k[1] + '-cv', hex(ctx, 384, 8));
  put(ctx, 384, '${hex(IV)}');
  fn(1)(at(ctx), at(buf), 64, 1);
  out('cbc' + k[1] + '-back', hex(buf, 0, 64));
});
put(buf, 0, '${hex(Buffer.concat([K1, K2]))}');
fn(0)(at(ctx), at(buf), 16, 0);
pattern(40, 5);
fn(2)(at(ctx), at(buf), 16, 0);
fn(2)(at(ctx), at(buf) + 16, 24, 0);
fn(3)(at(ctx), at(res), 0, 0);
out('mac', hex(res, 0, 8));
out('mac-bad-length', fn(2)(at(ctx), at(buf), 12, 0));
pattern(300, 3);
out('crc', fn(7)(0xffff, at(buf), 300, 0));
var text = '123456789';
for (var i = 0; i < 9; i++) buf[i] = text.charCodeAt(i);
out('crc-check', fn(7)(0xffff, at(buf), 9, 0));
var big = new Uint8Array(320);
pattern(300, 3);
var enc = fn(8)(at(buf), 300, at(big), 0);
out('cobs', hex(big, 0, enc));
out('cobs-back', fn(9)(at(big), enc, 0, 0) + ' ' + hex(big, 0, 300));
big[0] = 0;
out('cobs-bad', fn(9)(at(big), enc, 0, 0));
pattern(40, 9);
out('dcs', fn(10)(at(buf), 40, 0, 0));
fn(11)(at(buf), 40, 0, 0);
out('wipe', hex(buf, 0, 40));
put(buf, 0, '${hex(SM_KS_ENC)}');
fn(0)(at(sm), at(buf), 16, 0);
put(buf, 0, '${hex(SM_KS_MAC)}');
fn(0)(at(sm) + 400, at(buf), 16, 0);
put(sm, 800, '${hex(SM_SSC)}');
var resp = '${hex(protectedResponse(SM_KS_ENC, SM_KS_MAC, SM_SSC, SM_PLAIN))}';
put(buf, 0, resp);
var r = fn(18)(at(sm), at(buf), resp.length / 2, 0);
out('sm', r + ' ' + hex(buf, r & 255, (r >> 8) + 2) + ' ' + hex(sm, 800, 8));
put(buf, 0, resp);
buf[5] ^= 1;
out('sm-bad', fn(18)(at(sm), at(buf), resp.length / 2, 0) + ' ' + hex(sm, 800, 8));
// Zero allocation: a 3DES call and a SHA-256 update, measured around the calls.
var m0 = 0, m1 = 0, m2 = 0;
m0 = process.memory().usage;
m1 = process.memory().usage;
fn(1)(at(ctx), at(buf), 256, 0);
fn(13)(at(st), at(buf), 256, 0);
m2 = process.memory().usage;
out('alloc', (m2 - m1) + ' ' + (m1 - m0));
// A handle kept across a native call and a new E.getAddressOf is refused.
var stale = at(ctx);
fn(10)(at(buf), 8, 0, 0);
at(buf);
try { fn(11)(stale, 8, 0, 0); out('stale', 'accepted'); } catch (e) { out('stale', 'refused'); }
out('oracle-vars', oracleVars);
`;

describe.skipIf(!interpreterRuns('the native oracle on the real interpreter'))('the native oracle on the real Espruino interpreter', () => {
  it('answers every entry as node:crypto and the protocol package do', async () => {
    const session = openSession('pico64');
    try {
      await storeOracle(session);
      session.writeFile('t', LOAD_ORACLE + SCRIPT);
      const r = await session.runAsync(`eval(require('Storage').read('t'));`, 60_000);
      const got = Object.fromEntries(r.lines.map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
      expect(r.output).not.toMatch(/Uncaught|ERROR|WARNING|OUT OF MEMORY/);
      for (const [name, , bits] of HASHES) {
        for (const n of HASH_LENGTHS) expect(got[`${name}-${n}`], `${name} of ${n} bytes (${bits})`).toBe(createHash(name).update(data(n, 7)).digest('hex'));
      }
      for (const key of [Buffer.concat([K1, K2]), Buffer.concat([K1, K2, K3])]) {
        const c = ede(key, IV, data(64, 11));
        expect(got[`cbc${key.length}`]).toBe(hex(c));
        expect(got[`cbc${key.length}-cv`]).toBe(hex(c.subarray(56)));
        // The ciphertext decrypted in place again (node's decryption agrees: the plain pattern).
        expect(hex(ede(key, IV, c, true))).toBe(hex(data(64, 11)));
        expect(got[`cbc${key.length}-back`]).toBe(hex(data(64, 11)));
      }
      expect(got.mac).toBe(hex(retailMac(K1, K2, data(40, 5))));
      expect(got['mac-bad-length']).toBe('-1');
      expect(got.crc).toBe(String(crc16(data(300, 3), 0, 300, 0xffff)));
      expect(got['crc-check']).toBe(String(0x29b1));
      const enc = new Uint8Array(320);
      const encLen = cobsEncode(data(300, 3), 300, enc, 0);
      expect(got.cobs).toBe(hex(enc.subarray(0, encLen)));
      expect(got['cobs-back']).toBe(`300 ${hex(data(300, 3))}`);
      expect(got['cobs-bad']).toBe('-1');
      const sum = data(40, 9).reduce((s, b) => s + b, 0);
      expect(got.dcs).toBe(String((0x100 - (sum & 0xff)) & 0xff));
      expect(got.wipe).toBe('00'.repeat(40));
      const plainAt = 3; // 87 L 01: the plain text opens where the cryptogram did
      expect(got.sm).toBe(`${(SM_PLAIN.length << 8) | plainAt} ${hex(SM_PLAIN)}9000 887022120c06c227`);
      expect(got['sm-bad']).toBe('-9 887022120c06c228');
      expect(got.alloc).toBe('0 0'); // the calls' share, then the measurement's own
      expect(got.stale).toBe('refused');
      console.log(`native oracle: ${got['oracle-vars']} variables when loaded (pico64)`);
    } finally {
      session.close();
    }
  }, 120_000);
});
