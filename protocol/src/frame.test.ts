// frame.ts edge cases that the stream properties in protocol.test.ts do not pin: the payload size
// limit, a payload shorter than its buffer, one counter per kind of damage, and reset(). Written
// for the frame.ts mutants Stryker left alive (test/README.md, mutation testing).

import { describe, expect, it } from 'vitest';
import { cobsEncode } from './cobs.js';
import { FrameDecoder, FrameEncoder, MAX_PAYLOAD, encodeFrame } from './frame.js';

/** A wire frame whose body is `body` as it is (no CRC added): 00 COBS(body) 00. */
function rawFrame(body: number[]): Uint8Array {
  const wire = new Uint8Array(body.length + 3);
  const end = cobsEncode(new Uint8Array(body), body.length, wire, 1);
  wire[end] = 0;
  return wire.subarray(0, end + 1);
}

function errorsAfter(...chunks: Uint8Array[]): FrameDecoder['errors'] & { frames: number; total: number } {
  const d = new FrameDecoder();
  let frames = 0;
  for (const c of chunks) frames += d.push(c).length;
  return { ...d.errors, frames, total: d.errorCount };
}

describe('FrameEncoder', () => {
  it('takes a payload of MAX_PAYLOAD bytes and refuses one byte more, by length or by payloadLength', () => {
    const e = new FrameEncoder();
    const max = new Uint8Array(MAX_PAYLOAD).fill(7);
    const [f] = new FrameDecoder().push(e.encode(1, 2, max));
    expect(f.payload).toEqual(max);
    expect(() => e.encode(1, 2, new Uint8Array(MAX_PAYLOAD + 1))).toThrow(`payload of ${MAX_PAYLOAD + 1} bytes exceeds ${MAX_PAYLOAD}`);
    expect(() => e.encode(1, 2, new Uint8Array(MAX_PAYLOAD + 1), MAX_PAYLOAD + 1)).toThrow(/exceeds/);
  });

  it('sends only the first payloadLength bytes of a buffer longer than any payload (a reused buffer)', () => {
    const buffer = new Uint8Array(MAX_PAYLOAD + 100);
    for (let i = 0; i < buffer.length; i++) buffer[i] = (i * 7 + 1) & 0xff;
    const wire = new FrameEncoder().encode(0x21, 9, buffer, 10);
    const [f] = new FrameDecoder().push(wire);
    expect({ type: f.type, seq: f.seq, payload: [...f.payload] }).toEqual({ type: 0x21, seq: 9, payload: [...buffer.subarray(0, 10)] });
  });
});

describe('FrameDecoder: every damaged frame in exactly one counter', () => {
  it('broken COBS: cobs', () => {
    // Code byte 05 promises four data bytes; the delimiter comes after two.
    expect(errorsAfter(new Uint8Array([0, 5, 1, 2, 0]))).toEqual({ cobs: 1, short: 0, crc: 0, oversize: 0, frames: 0, total: 1 });
  });

  it('an empty body (COBS 01) and a three-byte body: short, not cobs', () => {
    expect(errorsAfter(rawFrame([]))).toEqual({ cobs: 0, short: 1, crc: 0, oversize: 0, frames: 0, total: 1 });
    expect(errorsAfter(rawFrame([1, 2, 3]))).toEqual({ cobs: 0, short: 1, crc: 0, oversize: 0, frames: 0, total: 1 });
  });

  it('a four-byte body is a frame with an empty payload when its CRC checks, a crc error when not', () => {
    const good = encodeFrame(3, 4, new Uint8Array(0));
    const d = new FrameDecoder();
    expect(d.push(good).map((f) => [f.type, f.seq, f.payload.length])).toEqual([[3, 4, 0]]);
    expect(errorsAfter(rawFrame([3, 4, 0x12, 0x34]))).toEqual({ cobs: 0, short: 0, crc: 1, oversize: 0, frames: 0, total: 1 });
  });

  it('more bytes than the largest frame: oversize, once, and the next frame decodes', () => {
    const d = new FrameDecoder(16);
    expect(d.push(new Uint8Array(200).fill(0x41))).toEqual([]);
    expect(d.errors).toEqual({ cobs: 0, short: 0, crc: 0, oversize: 1 });
    expect(d.push(encodeFrame(1, 1, new Uint8Array([5])))).toHaveLength(1);
  });

  it('errorCount is the sum of the four counters', () => {
    const oversize = new Uint8Array(600).fill(0x41);
    expect(errorsAfter(new Uint8Array([0, 5, 1, 2, 0]), rawFrame([1]), rawFrame([1, 2, 3, 4, 5]), rawFrame([1, 2, 3, 4, 5, 6]), oversize, new Uint8Array([0])))
      .toEqual({ cobs: 1, short: 1, crc: 2, oversize: 1, frames: 0, total: 5 });
  });
});

describe('FrameDecoder.reset', () => {
  const frame = encodeFrame(0x11, 5, new Uint8Array([1, 2, 3]));
  const withoutLeadingZero = frame.subarray(1);

  it('forgets a partial frame: the next bytes start a new one', () => {
    const d = new FrameDecoder();
    d.push(new Uint8Array([0, 9, 8, 7]));
    d.reset();
    expect(d.push(withoutLeadingZero).map((f) => [...f.payload])).toEqual([[1, 2, 3]]);
    expect(d.errorCount).toBe(0);
  });

  it('ends the dropping of an oversize frame: the next bytes start a new one', () => {
    const d = new FrameDecoder(16);
    d.push(new Uint8Array(100).fill(0x41));
    expect(d.errors.oversize).toBe(1);
    d.reset();
    expect(d.push(withoutLeadingZero)).toHaveLength(1);
  });

  it('without reset, the same bytes after an oversize run are dropped up to the delimiter', () => {
    const d = new FrameDecoder(16);
    d.push(new Uint8Array(100).fill(0x41));
    expect(d.push(withoutLeadingZero)).toEqual([]);
    expect(d.push(frame)).toHaveLength(1);
  });
});
