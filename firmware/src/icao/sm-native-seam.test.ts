// Native and TypeScript secure messaging agree through the seam: the same SecureMessagingChannel
// code, once with no blob (TypeScript unwrap) and once with the blob on the emulated Cortex-M4
// (sm_unwrap, entry 18), fed the same random good and corrupted responses: the same plain bytes,
// or the same IcaoError code and message; the same SSC and session state afterwards.
import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { DesCipher } from '../crypto/des';
import { RetailMac } from '../crypto/retail-mac';
import { nativeEntries } from '../native/blob';
import { installNativeSeams, nativeEmulatorAvailable } from '../../test/support/native-node';
import { IcaoError } from './errors';
import { SecureMessagingChannel as TsChannel } from './secure-messaging';

// This module instance has probed before the blob is installed: it keeps the TypeScript path.
const tsProbe = nativeEntries();
const available = nativeEmulatorAvailable('native and TypeScript secure messaging through the seam');
const calls = available ? installNativeSeams() : null;
vi.resetModules();
const NativeChannel = calls ? (await import('./secure-messaging')).SecureMessagingChannel : null;

const NO_RADIO = { transceive: () => { throw new Error('unused'); } };

interface Keys { ksEnc: Uint8Array; ksMac: Uint8Array; ssc: Uint8Array }

/** A protected response to the command sent with `keys.ssc` + 1 (so answered with + 2). */
function respond(keys: Keys, plain: Uint8Array | null, sw: number, o: { badPadding?: boolean; noPi?: boolean; noDo99?: boolean; tag?: number; tail?: number } = {}): Uint8Array {
  const parts: number[] = [];
  if (plain) {
    const padded = new Uint8Array((plain.length & ~7) + 8);
    padded.set(plain, 0);
    padded[plain.length] = o.badPadding ? 0x81 : 0x80;
    const ct = new DesCipher(keys.ksEnc).cbcEncrypt(null, padded);
    const v = ct.length + 1;
    parts.push(o.tag ?? 0x87, ...(v < 0x80 ? [v] : v < 0x100 ? [0x81, v] : [0x82, v >> 8, v & 0xff]), o.noPi ? 2 : 1, ...ct);
  }
  if (!o.noDo99) parts.push(0x99, 2, sw >> 8, sw & 0xff);
  const dos = new Uint8Array(parts);
  const ssc = keys.ssc.slice();
  for (let k = 0; k < 2; k++) for (let i = 7; i >= 0 && ++ssc[i] === 256; i--) ssc[i] = 0;
  const mac = new RetailMac(keys.ksMac).update(ssc).update(dos).finish();
  const outer = o.tail ?? (o.noDo99 ? sw : 0x9000);
  return new Uint8Array([...dos, 0x8e, 8, ...mac, outer >> 8, outer & 0xff]);
}

/** sm_unwrap has one code for the TLV faults the TypeScript path's TLV reader words three ways
 * (tag truncated, value past its container, length form): compared as one class. */
function messageClass(m: string): string {
  return /^TLV/.test(m) ? 'TLV' : m;
}

type Outcome = { plain: string } | { code: string; message: string };

function open(Channel: typeof TsChannel, keys: Keys, response: Uint8Array): { out: Outcome; ssc: string; open: boolean } {
  const sm = new Channel(NO_RADIO, keys.ksEnc.slice(), keys.ksMac.slice(), keys.ssc.slice());
  sm.wrap(new Uint8Array([0, 0xb0, 0, 0, 0]));
  const copy = response.slice();
  let out: Outcome;
  try {
    out = { plain: Buffer.from(sm.unwrap(copy)).toString('hex') };
  } catch (e) {
    if (!(e && typeof e === 'object' && 'code' in e)) throw e; // IcaoError is not an Error (Espruino)
    out = { code: (e as IcaoError).code, message: messageClass((e as IcaoError).message) };
  }
  expect(copy).toEqual(response); // the caller's array is left as it was
  return { out, ssc: Buffer.from(sm.ssc).toString('hex'), open: sm.isOpen() };
}

/** `dos` followed by DO99 9000, a DO8E (any MAC: the structure is checked first) and 9000. */
function withMac(dos: number[]): Uint8Array {
  return new Uint8Array([...dos, 0x99, 2, 0x90, 0, 0x8e, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0]);
}

function randomKeys(): Keys {
  // Plain Uint8Arrays: a Buffer's slice() is a view, and the channel wipes what it is given.
  return { ksEnc: new Uint8Array(randomBytes(16)), ksMac: new Uint8Array(randomBytes(16)), ssc: new Uint8Array(randomBytes(8)) };
}

describe.skipIf(!available)('secure messaging: native (sm_unwrap) and TypeScript through the seam', () => {
  it('the two channels take different paths', () => {
    expect(tsProbe).toBeNull();
    expect(NativeChannel).not.toBe(TsChannel);
  });

  it('agree on 300 random responses, good and corrupted (plain bytes, or error code and message; SSC; session state)', () => {
    const before = calls!.counts.sm_unwrap;
    const kinds = new Map<string, number>();
    let opened = 0;
    for (let i = 0; i < 300; i++) {
      const keys = randomKeys();
      const n = [0, 7, 16, 23, 100, 239, 1000][i % 7];
      const kind = ['good', 'flip', 'truncate', 'badPadding', 'noPi', 'noDo99', 'unknownTag', 'statusOnly', 'do85'][randomInt(9)];
      const sw = kind === 'noDo99' ? 0x6282 : 0x9000;
      let r = respond(keys, kind === 'statusOnly' ? null : randomBytes(n), sw, {
        badPadding: kind === 'badPadding', noPi: kind === 'noPi', noDo99: kind === 'noDo99', tag: kind === 'unknownTag' ? 0x88 : kind === 'do85' ? 0x85 : undefined,
      });
      if (kind === 'flip') r[randomInt(r.length - 2)] ^= 1 << randomInt(8);
      if (kind === 'truncate') r = r.subarray(0, 3 + randomInt(r.length - 3));
      const ts = open(TsChannel, keys, r);
      const nat = open(NativeChannel!, keys, r);
      expect(nat, `${kind} #${i}`).toEqual(ts);
      if (r.length > 2) opened++;
      const label = kind + ':' + ('plain' in ts.out ? 'ok' : ts.out.message);
      kinds.set(label, (kinds.get(label) ?? 0) + 1);
    }
    // Every answer longer than a status word is opened natively: under 32 bytes (not flat, as on
    // Espruino) in the native stage, longer ones in a flat copy.
    expect(calls!.counts.sm_unwrap - before).toBe(opened);
    expect(opened).toBe(300);
    // Both outcomes were met: responses opened and each failure class the corruptions make.
    const seen = [...kinds.keys()].join('\n');
    for (const m of [/^good:ok/m, /MAC does not verify/, /bad padding/, /padding indicator/, /unexpected DO/]) expect(seen).toMatch(m);
  });

  it('maps each failure to the TypeScript code and message: MAC, padding, DO structure', () => {
    const keys = randomKeys();
    const good = respond(keys, randomBytes(20), 0x9000);
    const forged = good.slice();
    forged[good.length - 4] ^= 0x80;
    const cases: [Uint8Array, RegExp][] = [
      [forged, /MAC does not verify/],
      [respond(keys, randomBytes(20), 0x9000, { badPadding: true }), /bad padding/],
      [respond(keys, randomBytes(20), 0x9000, { tag: 0x53 }), /unexpected DO/],
      [respond(keys, randomBytes(20), 0x6282, { noDo99: true }), /no DO99/],
      [new Uint8Array([0x99, 2, 0x90, 0, 0x90, 0]), /no DO8E/],
      // Multi-byte tags (low five bits all set) are BER tags to both readers: 5F8401 with 2
      // bytes is an unexpected DO (not tag 5F with a 4-byte length far past the end), and 9F8181
      // is a tag too long (not tag 9F with 129 bytes). sm_unwrap read one-byte tags until a
      // random response met this (full run 2 of 10, 2026-12-02).
      [withMac([0x5f, 0x84, 0x01, 0x02, 0xaa, 0xbb, ...new Array<number>(26).fill(0)]), /unexpected DO/],
      [withMac([0x9f, 0x81, 0x81, ...new Array<number>(140).fill(0)]), /^TLV$/],
    ];
    for (const [r, message] of cases) {
      const ts = open(TsChannel, keys, r);
      const nat = open(NativeChannel!, keys, r);
      expect(nat.out).toMatchObject({ code: 'sm-failure', message: expect.stringMatching(message) });
      expect(nat).toEqual(ts);
      expect(nat.open).toBe(false);
    }
  });

  it('keeps keys and SSC in one 808-byte native ctx, and wipe() zeroes all of it', () => {
    const keys = randomKeys();
    const sm = new NativeChannel!(NO_RADIO, keys.ksEnc.slice(), keys.ksMac.slice(), keys.ssc.slice());
    const ctx = new Uint8Array(sm.ssc.buffer);
    expect(ctx.length).toBe(808);
    expect(sm.ssc.byteOffset).toBe(800);
    sm.wrap(new Uint8Array([0, 0xb0, 0, 0, 0]));
    expect(Buffer.from(sm.unwrap(respond(keys, new Uint8Array([1, 2, 3]), 0x9000))).toString('hex')).toBe('0102039000');
    expect(ctx.some((b) => b !== 0)).toBe(true);
    sm.wipe();
    expect(ctx.every((b) => b === 0)).toBe(true);
  });

  it('one SM ctx, allocated at the probe: a new session takes it and ends the one before, whose later wipe() leaves it alone', () => {
    const k1 = randomKeys();
    const k2 = randomKeys();
    const first = new NativeChannel!(NO_RADIO, k1.ksEnc.slice(), k1.ksMac.slice(), k1.ssc.slice());
    const second = new NativeChannel!(NO_RADIO, k2.ksEnc.slice(), k2.ksMac.slice(), k2.ssc.slice());
    expect(second.ssc.buffer).toBe(first.ssc.buffer);
    expect(first.isOpen()).toBe(false);
    expect(() => first.wrap(new Uint8Array([0, 0xb0, 0, 0, 0]))).toThrow();
    first.wipe();
    expect(Buffer.from(second.ssc).toString('hex')).toBe(Buffer.from(k2.ssc).toString('hex'));
    second.wrap(new Uint8Array([0, 0xb0, 0, 0, 0]));
    expect(Buffer.from(second.unwrap(respond(k2, new Uint8Array([4, 5]), 0x9000))).toString('hex')).toBe('04059000');
    second.wipe();
  });
});
