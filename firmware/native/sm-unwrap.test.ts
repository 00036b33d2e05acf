// sm_unwrap (entry 18, sm.c) on the blob's exact bytes under the emulated Cortex-M4: the ICAO
// 9303 Part 11 Appendix D responses, then thousands of random protected responses, good and
// corrupted, each compared with the TypeScript reference (SecureMessagingChannel.unwrap, which
// runs its TypeScript path under Node). Every call runs with the emulator's memory guard: a
// load or store outside the SM ctx, the response, the SP-table copy and the stack fails the test.
import { createCipheriv, randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pad } from '../src/crypto/padding';
import { retailMac } from '../src/crypto/retail-mac';
import { SecureMessagingChannel } from '../src/icao/secure-messaging';
import { LOAD_ADDRESSES, emulatorMissing, runOps, runOpsAsync, toolGate, type Op } from './emu/emulator';

const run = toolGate(emulatorMissing());
const icao = JSON.parse(readFileSync(new URL('../test-data/icao9303-part11-appendix-d.json', import.meta.url), 'utf8'));
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const cat = (...parts: (Uint8Array | number[])[]): Uint8Array => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p as Uint8Array))));

/** The result of sm_unwrap as the seam reads it: plain data || SW, or the negative code. */
function nativeResult(r: Record<string, unknown>): { plain: string | null; code: number; ssc: string } {
  const r0 = r.r0 as number;
  if (r0 < 0) return { plain: null, code: r0, ssc: r.ssc as string };
  const off = r0 & 0xff, n = r0 >> 8;
  return { plain: (r.resp as string).slice(2 * off, 2 * (off + n + 2)), code: 0, ssc: r.ssc as string };
}

function decrementedSsc(ssc: string): string {
  return (BigInt('0x' + ssc) - 1n).toString(16).padStart(16, '0');
}

describe.runIf(run)('sm_unwrap: ICAO 9303 Part 11 Appendix D responses', () => {
  const sk = icao.sessionKeys;
  const ops: Op[] = [];
  for (const sm of icao.secureMessaging) {
    for (let v = 0; v < 8; v++) {
      ops.push({ op: 'sm_unwrap', kEnc: sk.ksEnc, kMac: sk.ksMac, ssc: decrementedSsc(sm.sscForResponse), resp: sm.protectedResponse, shift: v & 3, ramTables: v >= 4 });
    }
  }
  for (const at of LOAD_ADDRESSES) {
    it(`each response opens to its plain data and status word (blob at 0x${at.toString(16)}, aligned and not, SP tables in flash and RAM)`, () => {
      const results = runOps(ops, at, undefined, true);
      icao.secureMessaging.forEach((sm: Record<string, string>, i: number) => {
        for (let v = 0; v < 8; v++) {
          const r = results[i * 8 + v];
          expect(r.violations, sm.name).toEqual([]);
          const got = nativeResult(r);
          expect(got.plain?.toUpperCase(), sm.name).toBe(sm.plainResponseData + sm.sw);
          expect(got.ssc.toUpperCase(), sm.name).toBe(sm.sscForResponse);
        }
      });
    });
  }
});

// ---- random protected responses ----

const KS_ENC = bytes(16);
const KS_MAC = bytes(16);

function encrypt(data: Uint8Array): Uint8Array {
  const c = createCipheriv('des-ede-cbc', Buffer.from(KS_ENC), Buffer.alloc(8));
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

function tlv(tag: number, value: Uint8Array, form = 0): Uint8Array {
  const n = value.length;
  // form: 0 shortest; 1..4: that many length bytes after 0x80 | form (non-minimal is valid BER).
  const k = form || (n < 0x80 ? 0 : n < 0x100 ? 1 : 2);
  const len: number[] = k === 0 ? [n] : [0x80 | k];
  for (let i = k - 1; i >= 0 && k; i--) len.push((n / 2 ** (8 * i)) & 0xff);
  return cat([tag], len, value);
}

interface Parts {
  ssc: Uint8Array;
  dos: Uint8Array;
  sw: number[];
  /** Bytes put between the DOs and DO'8E' after the MAC was computed (not covered). */
  macLength?: number;
}

/** DOs || DO'8E'(MAC over SSC+1 || DOs) || SW. */
function assemble(p: Parts): Uint8Array {
  const next = new Uint8Array(p.ssc);
  for (let i = 7; i >= 0 && ++next[i] === 256; i--) next[i] = 0;
  const mac = retailMac(KS_MAC, cat(next, p.dos));
  const m = p.macLength === undefined ? mac : cat(mac, [0xaa]).subarray(0, p.macLength);
  return cat(p.dos, tlv(0x8e, m), p.sw);
}

const randomSw = (): number[] => (randomInt(4) ? [0x90, 0] : [[0x62, 0x82], [0x6a, 0x82], [0x61, 0x10]][randomInt(3)]);

function cryptogram(plain: Uint8Array, odd: boolean, form = 0, padding?: Uint8Array): Uint8Array {
  const c = encrypt(padding || pad(plain));
  return tlv(odd ? 0x85 : 0x87, odd ? c : cat([1], c), form);
}

interface Case { what: string; resp: Uint8Array; ssc: Uint8Array }

function randomCase(): Case {
  const ssc = randomInt(10) ? bytes(8) : hex('ffffffffffffffff').map((b, i) => (i < randomInt(9) ? randomInt(256) : b));
  const n = randomInt(8) ? randomInt(0, 64) : randomInt(64, 300);
  const plain = bytes(n);
  const odd = randomInt(6) === 0;
  const sw = randomSw();
  const do99 = tlv(0x99, new Uint8Array(sw));
  const good = (): Uint8Array => cat(n || randomInt(2) ? cryptogram(plain, odd) : [], do99);
  const kind = randomInt(22);
  let dos: Uint8Array;
  let resp: Uint8Array;
  let what: string;
  switch (kind) {
    case 0: case 1: case 2: case 3:
      return { what: 'good', resp: assemble({ ssc, dos: good(), sw }), ssc };
    case 4: {
      resp = assemble({ ssc, dos: good(), sw });
      const i = resp.length - 10 + randomInt(8);
      resp[i] ^= 1 << randomInt(8);
      return { what: 'MAC byte flipped', resp, ssc };
    }
    case 5:
      resp = assemble({ ssc, dos: good(), sw });
      resp[randomInt(resp.length - 2)] ^= 1 << randomInt(8);
      return { what: 'a byte flipped', resp, ssc };
    case 6:
      resp = assemble({ ssc, dos: good(), sw });
      return { what: 'truncated', resp: resp.subarray(0, 3 + randomInt(resp.length - 3)), ssc };
    case 7:
      // At least as many length bytes as the value needs (81: up to 255).
      return { what: 'long length forms 81..84', resp: assemble({ ssc, dos: cat(cryptogram(plain, odd, randomInt(n + 9 < 0x100 ? 1 : 2, 5)), do99), sw }), ssc };
    case 8: {
      // Padding method 2 broken: no 80, a non-zero byte after it, or a whole block of zeros more.
      const p = pad(plain);
      const how = randomInt(3);
      const notPad = (): number => [0x01, 0x7f, 0x81, 0xff][randomInt(4)];
      if (how === 0 || (how === 1 && p.length - n === 1)) p[n] = notPad();
      else if (how === 1) p[p.length - 1] = notPad();
      const padded = how === 2 ? cat(p, new Uint8Array(8)) : p;
      return { what: 'bad padding', resp: assemble({ ssc, dos: cat(cryptogram(plain, odd, 0, padded), do99), sw }), ssc };
    }
    case 9:
      dos = good();
      if (dos[0] === 0x87) dos[dos[1] & 0x80 ? 2 + (dos[1] & 0x7f) : 2] = randomInt(2, 256);
      return { what: 'no padding-content indicator 01', resp: assemble({ ssc, dos, sw }), ssc };
    case 10: {
      const c = encrypt(pad(plain)).subarray(0, randomInt(pad(plain).length));
      return { what: 'cryptogram length', resp: assemble({ ssc, dos: cat(tlv(odd ? 0x85 : 0x87, odd ? c : cat([1], c)), do99), sw }), ssc };
    }
    case 11:
      return { what: 'no DO99', resp: assemble({ ssc, dos: cat(n ? cryptogram(plain, odd) : []), sw }), ssc };
    case 12:
      what = 'DO99 length';
      dos = cat(n ? cryptogram(plain, odd) : [], tlv(0x99, bytes(randomInt(2) ? 1 : 3)));
      break;
    case 13:
      what = 'DO99 twice';
      dos = cat(good(), do99);
      break;
    case 14:
      what = 'DO99 before DO87';
      dos = cat(do99, cryptogram(plain, odd));
      break;
    case 15:
      what = 'DO87 twice';
      dos = cat(cryptogram(plain, odd), cryptogram(plain, odd), do99);
      break;
    case 16:
      what = 'unexpected DO';
      dos = cat(good(), tlv([0x53, 0x01, 0x8f, 0x5f][randomInt(4)], bytes(randomInt(4))));
      break;
    case 17:
      return { what: 'DO after DO8E', resp: (() => { const r = assemble({ ssc, dos: good(), sw }); return cat(r.subarray(0, r.length - 2), do99, sw); })(), ssc };
    case 18:
      return { what: 'DO8E length', resp: assemble({ ssc, dos: good(), sw, macLength: randomInt(2) ? 7 : 9 }), ssc };
    case 19: {
      dos = good();
      const i = randomInt(dos.length);
      dos[i] = [0x80, 0x85, 0x81, 0x82, 0xff, 0x00][randomInt(6)];
      what = 'length or tag byte replaced';
      break;
    }
    case 20:
      what = 'no DO8E';
      return { what, resp: cat(good(), sw), ssc };
    default:
      what = 'garbage';
      return { what, resp: bytes(3 + randomInt(40)), ssc };
  }
  return { what, resp: assemble({ ssc, dos, sw }), ssc };
}

/** The TypeScript reference on the same response: plain || SW, or null when it refuses. */
function reference(c: Case): { plain: string | null; ssc: string } {
  const sm = new SecureMessagingChannel({ transceive: () => undefined }, new Uint8Array(KS_ENC), new Uint8Array(KS_MAC), new Uint8Array(c.ssc));
  const ssc = sm.ssc;
  try {
    const out = sm.unwrap(new Uint8Array(c.resp));
    return { plain: toHex(out), ssc: toHex(ssc) };
  } catch (e) {
    expect((e as { code: string }).code).toBe('sm-failure');
    return { plain: null, ssc: '' };
  }
}

describe.runIf(run)('sm_unwrap: random responses against the TypeScript reference', () => {
  const cases: Case[] = [];
  for (let i = 0; i < 2400; i++) cases.push(randomCase());
  const ops: Op[] = cases.map((c, i) => ({ op: 'sm_unwrap', kEnc: toHex(KS_ENC), kMac: toHex(KS_MAC), ssc: toHex(c.ssc), resp: toHex(c.resp), shift: i & 3, ramTables: (i & 4) === 4 }));
  const half = cases.length >> 1;

  it.each(LOAD_ADDRESSES.map((at, k) => [at.toString(16), at, k]))('2 x 1,200 cases, blob at 0x%s: same acceptance, same plain data and SSC; no access outside the buffers', async (_name, at, k) => {
    const slice = ops.slice(k * half, (k + 1) * half);
    const results = await runOpsAsync(slice, at as number, undefined, true);
    const tally: Record<string, [number, number]> = {};
    results.forEach((r, j) => {
      const c = cases[k * half + j];
      expect(r.violations, c.what).toEqual([]);
      const got = nativeResult(r);
      const want = reference(c);
      const t = (tally[c.what] ??= [0, 0]);
      t[want.plain === null ? 1 : 0]++;
      expect(got.plain, `${c.what}: ${toHex(c.resp)}`).toBe(want.plain);
      if (want.plain !== null) expect(got.ssc).toBe(want.ssc);
      else expect(got.code).toBeLessThanOrEqual(-2);
      // The SSC moves once per response, accepted or not.
      expect(BigInt('0x' + got.ssc)).toBe((BigInt('0x' + toHex(c.ssc)) + 1n) % 2n ** 64n);
    });
    // Both outcomes occur where they can: the corpus tests something.
    expect(tally.good[1]).toBe(0);
    expect(tally.good[0]).toBeGreaterThan(100);
    for (const what of ['MAC byte flipped', 'bad padding', 'DO99 twice', 'DO8E length', 'no DO8E']) expect(tally[what][0], what).toBe(0);
    expect(tally['long length forms 81..84'][1]).toBe(0);
  }, 120_000);

  it('the memory guard can fail: a response range that leaves out the last MAC byte is reported', () => {
    const c = cases.find((x) => x.what === 'good')!;
    const [r] = runOps([{ op: 'sm_unwrap', kEnc: toHex(KS_ENC), kMac: toHex(KS_MAC), ssc: toHex(c.ssc), resp: toHex(c.resp), guardShort: 3 }], LOAD_ADDRESSES[0], undefined, true);
    expect((r.violations as unknown[]).length).toBeGreaterThan(0);
  });

  it('bad arguments: fewer than 3 bytes, an 8-byte MAC key', () => {
    const results = runOps([
      { op: 'sm_unwrap', kEnc: toHex(KS_ENC), kMac: toHex(KS_MAC), ssc: '00'.repeat(8), resp: '9000' },
      { op: 'sm_unwrap', kEnc: toHex(KS_ENC), kMac: toHex(KS_MAC.subarray(0, 8)), ssc: '00'.repeat(8), resp: '990290008e080000000000000000' + '9000' },
    ], LOAD_ADDRESSES[0], undefined, true);
    for (const r of results) {
      expect(r.r0).toBe(-1);
      expect(r.ssc).toBe('00'.repeat(8)); // nothing moved
      expect(r.violations).toEqual([]);
    }
  });
});
