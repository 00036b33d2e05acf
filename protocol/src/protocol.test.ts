import { describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import {
  CAP,
  ERROR_CODES,
  MAX_CHUNK_DATA,
  MAX_PAYLOAD,
  MAX_WIRE_FRAME,
  MessageDecoder,
  PHASES,
  PROTOCOL_VERSION,
  VERDICTS,
  cobsDecodeInPlace,
  cobsEncode,
  cobsMaxEncodedLength,
  crc16,
  encodeFrame,
  encodeMessage,
  FrameDecoder,
  type Message,
} from './index';

const bytes = (...b: number[]) => new Uint8Array(b);

const samples: Message[] = [
  { type: 'hello', protocolVersion: PROTOCOL_VERSION },
  { type: 'read', documentNumber: 'L898902C<', dateOfBirth: '690806', dateOfExpiry: '940623', checkDigits: '316', dataGroups: [1, 2, 15], cardTimeoutMs: 30000 },
  { type: 'read', documentNumber: 'D23145890', dateOfBirth: '740812', dateOfExpiry: '120415', checkDigits: '', dataGroups: [], cardTimeoutMs: 0 },
  { type: 'read', documentNumber: 'UA1234567', dateOfBirth: '880315', dateOfExpiry: '330921', checkDigits: '', dataGroups: [1, 15], cardTimeoutMs: 0, challenge: bytes(1, 2, 3, 4, 5, 6, 7, 8) },
  { type: 'cancel' },
  { type: 'reset', toConsole: true },
  { type: 'reset', toConsole: false },
  { type: 'ack', seq: 255, window: 4 },
  { type: 'hello-reply', protocolVersion: 1, firmwareVersion: '0.1.0', board: 'PICO', capabilities: CAP.BAC | CAP.SHA256, maxPayload: MAX_PAYLOAD, nfcFirmware: 0x32010607 },
  { type: 'progress', phase: 'reading', fileId: 2, done: 12345, total: 0xfffffffe },
  { type: 'file-begin', fileId: 0x1d, length: 1800 },
  { type: 'file-chunk', fileId: 2, offset: 40000, data: new Uint8Array(MAX_CHUNK_DATA).fill(0) },
  { type: 'file-chunk', fileId: 1, offset: 0, data: bytes(0x61, 0x5b, 0x5f, 0x1f) },
  { type: 'file-end', fileId: 2, length: 15000, verdict: 'match', digest: new Uint8Array(32).fill(0xab) },
  { type: 'file-end', fileId: 3, length: 0, verdict: 'not-checked', digest: new Uint8Array(0) },
  { type: 'result', ok: true, files: [1, 2, 29, 30], bytesRead: 20000, apdus: 97, elapsedMs: 2100 },
  { type: 'result', ok: true, files: [1, 2, 14], bytesRead: 9000, apdus: 40, elapsedMs: 1800, chipAuth: 'ok' },
  { type: 'result', ok: false, files: [1, 14], bytesRead: 900, apdus: 12, elapsedMs: 800, chipAuth: 'failed' },
  { type: 'error', code: 'access-denied', sw: 0x6300, fileId: 0, message: 'BAC refused' },
];

describe('CRC-16/CCITT-FALSE and COBS', () => {
  it('matches the catalogue check value for "123456789"', () => {
    const s = new Uint8Array([...'123456789'].map((c) => c.charCodeAt(0)));
    expect(crc16(s, 0, s.length)).toBe(0x29b1);
  });

  it('COBS round-trips any bytes and never emits 00', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1200 }), (data) => {
      const out = new Uint8Array(cobsMaxEncodedLength(data.length));
      const n = cobsEncode(data, data.length, out, 0);
      expect(out.subarray(0, n).includes(0)).toBe(false);
      const back = out.slice(0, n);
      const m = cobsDecodeInPlace(back, n);
      expect(back.slice(0, m)).toEqual(data);
    }));
  });

  it('encodes the published COBS examples', () => {
    const enc = (d: number[]) => {
      const out = new Uint8Array(cobsMaxEncodedLength(d.length));
      return Array.from(out.subarray(0, cobsEncode(new Uint8Array(d), d.length, out, 0)));
    };
    expect(enc([0x00])).toEqual([0x01, 0x01]);
    expect(enc([0x00, 0x00])).toEqual([0x01, 0x01, 0x01]);
    expect(enc([0x11, 0x22, 0x00, 0x33])).toEqual([0x03, 0x11, 0x22, 0x02, 0x33]);
    expect(enc([0x11, 0x00, 0x00, 0x00])).toEqual([0x02, 0x11, 0x01, 0x01, 0x01]);
    const run = Array.from({ length: 254 }, (_, i) => i + 1);
    expect(enc(run)).toEqual([0xff, ...run, 0x01]);
  });

  it('rejects a zero code byte and a block past the end', () => {
    expect(cobsDecodeInPlace(bytes(0x02, 0x11, 0x00), 3)).toBe(-1);
    expect(cobsDecodeInPlace(bytes(0x05, 0x11), 2)).toBe(-1);
  });
});

describe('message round trip', () => {
  it.each(samples.map((m) => [m.type, m]))('%s', (_name, m) => {
    const d = new MessageDecoder();
    const got = d.push(encodeMessage(m as Message, 7));
    expect(got).toEqual([{ seq: 7, message: m }]);
    expect(d.errorCount).toBe(0);
  });

  it('covers every message type of the catalogue', () => {
    expect(new Set(samples.map((m) => m.type)).size).toBe(12);
  });

  it('round-trips every error code, phase and verdict by name', () => {
    const d = new MessageDecoder();
    for (const code of ERROR_CODES) expect(d.push(encodeMessage({ type: 'error', code, sw: 0, fileId: 0, message: '' }, 0))[0].message).toMatchObject({ code });
    for (const phase of PHASES) expect(d.push(encodeMessage({ type: 'progress', phase, fileId: 0, done: 0, total: 0 }, 0))[0].message).toMatchObject({ phase });
    for (const verdict of VERDICTS) expect(d.push(encodeMessage({ type: 'file-end', fileId: 1, length: 0, verdict, digest: bytes() }, 0))[0].message).toMatchObject({ verdict });
  });

  it('takes a read with an 8-byte Active Authentication challenge, and no other trailing length', () => {
    const d = new MessageDecoder();
    const read = { type: 'read' as const, documentNumber: 'X', dateOfBirth: '010101', dateOfExpiry: '010101', checkDigits: '', dataGroups: [1], cardTimeoutMs: 0 };
    for (const n of [1, 7, 9]) {
      const wire = encodeMessage({ ...read, challenge: new Uint8Array(n) }, 0);
      expect(d.push(wire)).toEqual([]);
    }
    expect(d.push(encodeMessage({ ...read, challenge: new Uint8Array(0) }, 0))[0].message).toEqual(read);
  });

  it('sends the Chip Authentication outcome as one trailing byte of result, none as no byte', () => {
    const d = new MessageDecoder();
    const result = { type: 'result' as const, ok: true, files: [1, 14], bytesRead: 10, apdus: 2, elapsedMs: 3 };
    const plain = encodeMessage(result, 0);
    expect(encodeMessage({ ...result, chipAuth: 'none' }, 0)).toEqual(plain);
    expect(d.push(plain)[0].message).toEqual(result);
    const payload = (ca: number[]) => encodeFrame(0x86, 0, bytes(1, 0, 0, 0x40, 0x02, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0, 0, 3, ...ca));
    expect(d.push(payload([]))[0].message).toEqual(result);
    expect(d.push(payload([1]))[0].message).toEqual({ ...result, chipAuth: 'ok' });
    expect(d.push(payload([2]))[0].message).toEqual({ ...result, chipAuth: 'failed' });
    // 'none' is never sent; unknown values and a second byte are bad layouts
    for (const bad of [[0], [3], [1, 1]]) expect(d.push(payload(bad))).toEqual([]);
    expect(d.errors.malformed).toBe(3);
  });

  it('the largest chunk fits the largest frame', () => {
    const wire = encodeMessage({ type: 'file-chunk', fileId: 2, offset: 0, data: new Uint8Array(MAX_CHUNK_DATA).fill(0xff) }, 0);
    expect(wire.length).toBeLessThanOrEqual(MAX_WIRE_FRAME);
    expect(() => encodeMessage({ type: 'file-chunk', fileId: 2, offset: 0, data: new Uint8Array(MAX_CHUNK_DATA + 1) }, 0)).toThrow('chunk too large');
  });

  it('counts intact frames with unknown types or bad layouts as malformed', () => {
    const d = new MessageDecoder();
    expect(d.push(encodeFrame(0x7e, 0, bytes(1, 2)))).toEqual([]);
    expect(d.push(encodeFrame(0x81, 0, bytes(1)))).toEqual([]); // truncated hello-reply
    expect(d.push(encodeFrame(0x01, 0, bytes(1, 2)))).toEqual([]); // trailing byte
    expect(d.push(encodeFrame(0x87, 0, bytes(200, 0, 0, 0, 0)))).toEqual([]); // unknown error code
    expect(d.errors.malformed).toBe(4);
  });
});

const arbMessage: fc.Arbitrary<Message> = fc.oneof(
  fc.constantFrom(...samples),
  fc.record({ type: fc.constant('file-chunk' as const), fileId: fc.integer({ min: 1, max: 30 }), offset: fc.nat(), data: fc.uint8Array({ maxLength: MAX_CHUNK_DATA }) }),
  fc.record({ type: fc.constant('progress' as const), phase: fc.constantFrom(...PHASES), fileId: fc.integer({ min: 0, max: 255 }), done: fc.nat(), total: fc.nat() }),
).map((m) => ({ ...m }) as Message);

/** Splits bytes into random chunks. */
function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) { out.push(data.subarray(last, p)); last = p; }
  out.push(data.subarray(last));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

describe('stream properties', () => {
  it('any message sequence survives any chunking', () => {
    fc.assert(fc.property(fc.array(arbMessage, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 40 }), (msgs, cuts) => {
      const wire = concat(msgs.map((m, i) => encodeMessage(m, i & 0xff)));
      const d = new MessageDecoder();
      const got = split(wire, cuts).flatMap((c) => d.push(c));
      expect(got.map((g) => g.message)).toEqual(msgs);
      expect(d.errorCount).toBe(0);
    }), { numRuns: 200 });
  });

  it('garbage between frames loses nothing', () => {
    fc.assert(fc.property(fc.array(fc.tuple(arbMessage, fc.uint8Array({ maxLength: 300 })), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (pairs, cuts) => {
      const wire = concat(pairs.flatMap(([m, junk], i) => [junk, encodeMessage(m, i)]));
      const d = new MessageDecoder();
      const got = split(wire, cuts).flatMap((c) => d.push(c));
      // Garbage may by chance decode to a valid frame only with a 1-in-65536 CRC collision plus a
      // valid layout; require every real message, in order, as a subsequence.
      const real = got.map((g) => g.message);
      let k = 0;
      for (const r of real) if (k < pairs.length && isDeepStrictEqual(r, pairs[k][0])) k++;
      expect(k).toBe(pairs.length);
    }), { numRuns: 200 });
  });

  it('bit flips and truncations lose only the damaged frames, which are counted', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(arbMessage, fc.constantFrom('ok', 'flip', 'truncate', 'drop-delimiter')), { minLength: 1, maxLength: 12 }),
      fc.nat(), fc.integer({ min: 0, max: 7 }), fc.array(fc.nat(), { maxLength: 20 }),
      (plan, where, bit, cuts) => {
        const parts: Uint8Array[] = [];
        const expected: Message[] = [];
        let damaged = 0;
        plan.forEach(([m, fault], i) => {
          const f = encodeMessage(m, i).slice();
          if (fault === 'ok') { parts.push(f); expected.push(m); return; }
          if (fault === 'drop-delimiter') {
            // The closing 00 lost: the next frame's leading 00 still ends this one, so nothing
            // is lost, except that the very last frame stays pending.
            parts.push(f.subarray(0, f.length - 1));
            if (i < plan.length - 1) expected.push(m);
            return;
          }
          damaged++;
          if (fault === 'flip') {
            const at = 1 + (where % (f.length - 2)); // inside the frame, delimiters intact
            f[at] ^= 1 << bit;
            if (f[at] === 0) f[at] = 0x5a; // a flip to 00 would split the frame: make it a plain corruption
            parts.push(f);
          } else {
            parts.push(f.subarray(0, 2 + (where % (f.length - 3))), bytes(0)); // at least one byte of body
          }
        });
        const d = new MessageDecoder();
        const got = split(concat(parts), cuts).flatMap((c) => d.push(c)).map((g) => g.message);
        // CRC-16 detects every single-bit error, so each flipped frame is lost and counted.
        expect(got).toEqual(expected);
        expect(d.errorCount).toBe(damaged);
      }), { numRuns: 300 });
  });

  it('never grows without bound: an endless run without a delimiter is one oversize error', () => {
    const d = new FrameDecoder();
    for (let i = 0; i < 100; i++) d.push(new Uint8Array(1000).fill(0x41));
    expect(d.errors.oversize).toBeGreaterThanOrEqual(1);
    expect(d.errors.oversize).toBeLessThanOrEqual(1);
    const m = encodeMessage({ type: 'cancel' }, 3);
    expect(new MessageDecoder().push(m)).toHaveLength(1);
    expect(d.push(m)).toHaveLength(1); // resynchronised on the frame's leading 00
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 10 }), (chunks) => {
      const d = new MessageDecoder();
      for (const c of chunks) d.push(c);
    }), { numRuns: 500 });
  });
});

// Found 2026-12-02 by the stream property (fast-check seed 1152496385): when a body's CRC-16 ends
// in 00, its COBS encoding ends in `01`; with the CRC over the body alone, losing that one byte
// before the delimiter left a body one byte short that still checked (no xorout: CRC(Q || b || h)
// is 0 whenever CRC(Q || b || h || 00) is). The CRC now covers the body length first (frame.ts).
describe('frame truncation by one byte', () => {
  // An independent bitwise CRC-16/CCITT-FALSE (no table, no seam), over the length then the body.
  function referenceFrameCrc(body: Uint8Array): number {
    let c = 0xffff;
    for (const b of [body.length >> 8, body.length & 0xff, ...body]) {
      c ^= b << 8;
      for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    }
    return c;
  }

  it('the frame CRC is CRC-16/CCITT-FALSE over the two-byte body length and the body', () => {
    const wire = encodeFrame(0x85, 7, bytes(1, 2, 3, 0, 0xff));
    const body = wire.slice(1, wire.length - 1);
    const n = cobsDecodeInPlace(body, body.length);
    const crc = referenceFrameCrc(body.subarray(0, n - 2));
    expect((body[n - 2] << 8) | body[n - 1]).toBe(crc);
    expect(crc).not.toBe(crc16(body, 0, n - 2)); // the length is really in it
  });

  it('a frame whose CRC ends in 00 and loses its last COBS byte is rejected', () => {
    // Search for a file-chunk whose frame CRC has a zero low byte, so its COBS ends in 01.
    for (let i = 0; ; i++) {
      const m = { type: 'file-chunk' as const, fileId: 25, offset: i, data: new Uint8Array([231, 111, 88, 85, 253, 90, 204, 100, 87, 39]) };
      const f = encodeMessage(m, 2);
      if (f[f.length - 2] !== 0x01) continue;
      const cut = new Uint8Array(f.length - 1);
      cut.set(f.subarray(0, f.length - 2));
      const d = new MessageDecoder();
      expect(d.push(cut)).toEqual([]);
      expect(d.errorCount).toBe(1);
      return;
    }
  });

  it('no one-byte truncation of any frame ending in 01 decodes (2,000 frames)', () => {
    let tried = 0;
    for (let i = 0; tried < 2000; i++) {
      const f = encodeMessage({ type: 'file-chunk', fileId: 1 + (i % 30), offset: i * 7919, data: new Uint8Array([i & 0xff, (i >> 8) & 0xff, 0, 5]) }, i & 0xff);
      if (f[f.length - 2] !== 0x01) continue;
      tried++;
      const cut = new Uint8Array(f.length - 1);
      cut.set(f.subarray(0, f.length - 2));
      cut[cut.length - 1] = 0;
      expect(new MessageDecoder().push(cut)).toEqual([]);
    }
  });
});
