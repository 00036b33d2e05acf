// Fuzzing the protocol decoder where protocol.test.ts does not reach: frames whose CRC is
// intact but whose payload is hostile (random, or a valid payload truncated, extended, bit-flipped,
// with inflated string lengths), for every message type and unknown ones. The existing property
// tests cover random bytes and damaged frames, which the CRC stops before the codec sees them.
// Decoding is total (null or a message, never a throw), a decoded message re-encodes without
// throwing and decodes to itself (the decoder only yields what the encoder can say), and a
// ReliableLink fed such frames with any sequence numbers never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbMutations, mutateAll } from '../../test/fuzz/ber-mutator';
import { runs, withDeadline } from '../../test/fuzz/guards';
import {
  ERROR_CODES, MAX_PAYLOAD, MSG, MessageDecoder, PHASES, ReliableLink, VERDICTS,
  decodePayload, encodeFrame, encodePayload, messageCode, type Message,
} from './index';

const CODES = [...Object.values(MSG), 0x00, 0x06, 0x7f, 0x80, 0x88, 0xff];

const arbStr = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x'));
const arbMessage: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ type: fc.constant('hello' as const), protocolVersion: fc.nat(255) }),
  fc.record({
    type: fc.constant('read' as const), documentNumber: arbStr, dateOfBirth: arbStr, dateOfExpiry: arbStr, checkDigits: arbStr,
    dataGroups: fc.uniqueArray(fc.integer({ min: 1, max: 31 })).map((g) => g.sort((a, b) => a - b)), cardTimeoutMs: fc.nat(),
  }),
  fc.constant({ type: 'cancel' as const }),
  fc.record({ type: fc.constant('reset' as const), toConsole: fc.boolean() }),
  fc.record({ type: fc.constant('ack' as const), seq: fc.nat(255), window: fc.nat(255) }),
  fc.record({
    type: fc.constant('hello-reply' as const), protocolVersion: fc.nat(255), firmwareVersion: arbStr, board: arbStr,
    capabilities: fc.nat(), maxPayload: fc.nat(0xffff), nfcFirmware: fc.nat(),
  }),
  fc.record({ type: fc.constant('progress' as const), phase: fc.constantFrom(...PHASES), fileId: fc.nat(255), done: fc.nat(), total: fc.nat() }),
  fc.record({ type: fc.constant('file-begin' as const), fileId: fc.nat(255), length: fc.nat() }),
  fc.record({ type: fc.constant('file-chunk' as const), fileId: fc.nat(255), offset: fc.nat(), data: fc.uint8Array({ maxLength: MAX_PAYLOAD - 5 }) }),
  fc.record({ type: fc.constant('file-end' as const), fileId: fc.nat(255), length: fc.nat(), verdict: fc.constantFrom(...VERDICTS), digest: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({
    type: fc.constant('result' as const), ok: fc.boolean(), files: fc.uniqueArray(fc.integer({ min: 1, max: 31 })).map((g) => g.sort((a, b) => a - b)),
    bytesRead: fc.nat(), apdus: fc.nat(), elapsedMs: fc.nat(),
  }).chain((r) => fc.constantFrom(r, { ...r, chipAuth: 'ok' }, { ...r, chipAuth: 'failed' })),
  fc.record({ type: fc.constant('error' as const), code: fc.constantFrom(...ERROR_CODES), sw: fc.nat(0xffff), fileId: fc.nat(255), message: arbStr }),
);

const payloadOf = (m: Message) => encodePayload(m, new Uint8Array(MAX_PAYLOAD)).slice();

/** [wire type, payload]: valid, mutated (structure-blind mutations work on any bytes), random. */
const arbFrameContent: fc.Arbitrary<[number, Uint8Array]> = fc.oneof(
  arbMessage.map((m) => [messageCode(m), payloadOf(m)] as [number, Uint8Array]),
  fc.tuple(arbMessage, arbMutations).map(([m, ms]) => [messageCode(m), mutateAll(payloadOf(m), ms).subarray(0, MAX_PAYLOAD)] as [number, Uint8Array]),
  fc.tuple(arbMessage, fc.constantFrom(...CODES)).map(([m, code]) => [code, payloadOf(m)] as [number, Uint8Array]),
  fc.tuple(fc.constantFrom(...CODES), fc.uint8Array({ maxLength: MAX_PAYLOAD })),
);

describe('protocol decoder fuzzing (intact frames, hostile payloads)', () => {
  it('decodePayload is total, and what it yields re-encodes to itself', () => {
    const seen = { decoded: 0, refused: 0 };
    fc.assert(fc.property(arbFrameContent, ([code, payload]) => {
      const m = withDeadline(() => decodePayload(code, payload));
      if (m === null) {
        seen.refused++;
        return;
      }
      seen.decoded++;
      expect(messageCode(m)).toBe(code);
      const again = payloadOf(m);
      expect(decodePayload(code, again)).toEqual(m);
    }), { numRuns: runs(3000) });
    expect(seen.decoded).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it('MessageDecoder over intact frames never throws and counts every refused one', () => {
    fc.assert(fc.property(fc.array(arbFrameContent, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), (frames, cuts) => {
      const wire = frames.map(([code, p], i) => encodeFrame(code, i, p));
      const expected = frames.map(([code, p]) => decodePayload(code, p));
      const bytes = new Uint8Array(wire.reduce((n, w) => n + w.length, 0));
      wire.reduce((o, w) => (bytes.set(w, o), o + w.length), 0);
      const d = new MessageDecoder();
      const got: (Message | null)[] = [];
      for (let o = 0, i = 0; o < bytes.length; i++) {
        const n = cuts[i % cuts.length];
        for (const r of d.push(bytes.subarray(o, o + n))) got.push(r.message);
        o += n;
      }
      expect(got).toEqual(expected.filter((m) => m !== null));
      expect(d.errors.malformed).toBe(expected.filter((m) => m === null).length);
    }), { numRuns: runs(500) });
  });

  it('ReliableLink fed hostile intact frames (any seq) never throws and delivers only decodable non-ack messages', () => {
    fc.assert(fc.property(fc.array(fc.tuple(arbFrameContent, fc.nat(255)), { maxLength: 30 }), (frames) => {
      let now = 0;
      const timers = { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined };
      const delivered: Message[] = [];
      const link = new ReliableLink(() => undefined, timers, { onMessage: (m) => delivered.push(m) }, { window: 4, retransmitMs: 300 });
      for (const [[code, payload], seq] of frames) {
        withDeadline(() => link.receive(encodeFrame(code, seq, payload)));
        now += 10;
      }
      // only frames that decode, and never an ack, reach the application; none twice
      const decodable = frames.filter(([[code, p]]) => { const m = decodePayload(code, p); return m && m.type !== 'ack'; }).length;
      expect(delivered.length).toBeLessThanOrEqual(decodable);
      for (const m of delivered) expect(m.type).not.toBe('ack');
    }), { numRuns: runs(500) });
  });
});
