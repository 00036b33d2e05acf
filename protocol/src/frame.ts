// Frames on the USB CDC byte stream:  00 | COBS(type seq payload crc16) | 00
// The leading 00 closes any garbage the receiver may hold, so garbage costs at most itself and
// never the frame that follows. CRC-16/CCITT-FALSE covers the body's length (two bytes, big-endian,
// not sent) and then type, seq and payload; the CRC is sent big-endian.
//
// Why the length: a CRC with no final xor maps a zero register to zero, so a body whose CRC ends
// in 00 still checks when that 00 (one COBS byte, `01`) is lost before the delimiter: the body
// decodes one byte short and its last data byte passes for the CRC's high byte. With the length
// under the CRC a shortened body is checked as a different message: a 2^-16 chance, not certainty.

import { cobsDecodeInPlace, cobsEncode, cobsMaxEncodedLength } from './cobs.js';
import { crc16 } from './crc16.js';

/** Largest message payload. Sized for one 506-byte data chunk plus its header, and small
 * enough that the device preallocates every link buffer (~1.6 KiB in all). */
export const MAX_PAYLOAD = 512;
const BODY_OVERHEAD = 4; // type, seq, crc (2)
export const MAX_BODY = MAX_PAYLOAD + BODY_OVERHEAD;
/** Bytes on the wire for the largest frame, delimiters included. */
export const MAX_WIRE_FRAME = cobsMaxEncodedLength(MAX_BODY) + 2;

export interface Frame {
  type: number;
  seq: number;
  payload: Uint8Array;
}

/** Counted damage seen by a decoder. Every damaged frame lands in exactly one counter. */
export interface FrameErrors {
  /** COBS structure broken (a bit flip in a code byte, a truncated frame). */
  cobs: number;
  /** Decoded, but shorter than a header and CRC. */
  short: number;
  /** CRC mismatch. */
  crc: number;
  /** More bytes than the largest frame before a delimiter; dropped up to the next 00. */
  oversize: number;
}

/** The CRC register after the body's length, the start of every frame's CRC (see the top). */
function lengthSeed(bodyLength: number): number {
  let c = 0xffff;
  for (let shift = 8; shift >= 0; shift -= 8) {
    c ^= ((bodyLength >> shift) & 0xff) << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}

/** Builds frames into one preallocated buffer: no allocation per frame on the device. */
export class FrameEncoder {
  private body: Uint8Array;
  private wire: Uint8Array;

  constructor() {
    this.body = new Uint8Array(MAX_BODY);
    this.wire = new Uint8Array(MAX_WIRE_FRAME);
  }

  /**
   * Encodes one frame. The result is a view into the encoder's buffer, valid until the next
   * call: write it out at once, or copy it.
   */
  encode(type: number, seq: number, payload: Uint8Array, payloadLength?: number): Uint8Array {
    const n = payloadLength === undefined ? payload.length : payloadLength;
    if (n > MAX_PAYLOAD) throw new Error('payload of ' + n + ' bytes exceeds ' + MAX_PAYLOAD);
    const body = this.body;
    body[0] = type & 0xff;
    body[1] = seq & 0xff;
    body.set(n === payload.length ? payload : payload.subarray(0, n), 2);
    return this.wire.subarray(0, frameBody(body, n, this.wire));
  }
}

/**
 * Frames a body built in place (body[0] type, body[1] seq, then `payloadLength` payload bytes):
 * writes the CRC after the payload and the whole frame, both delimiters, into `wire` from 0 and
 * returns its length. `wire` holds MAX_WIRE_FRAME bytes for the largest payload.
 */
export function frameBody(body: Uint8Array, payloadLength: number, wire: Uint8Array): number {
  const n = payloadLength;
  const crc = crc16(body, 0, n + 2, lengthSeed(n + 2));
  body[n + 2] = crc >> 8;
  body[n + 3] = crc & 0xff;
  wire[0] = 0;
  const end = cobsEncode(body, n + 4, wire, 1);
  wire[end] = 0;
  return end + 1;
}

/** Encodes one frame into a fresh array (host side convenience). */
export function encodeFrame(type: number, seq: number, payload: Uint8Array): Uint8Array {
  return new Uint8Array(new FrameEncoder().encode(type, seq, payload));
}

/**
 * Incremental frame decoder: push any chunking of the byte stream, get whole frames back.
 * Never throws on bad bytes and never holds more than one maximum frame.
 */
export class FrameDecoder {
  readonly errors: FrameErrors;
  private buf: Uint8Array;
  private len: number;
  /** Dropping an oversize frame up to its delimiter (only tested for truth: unset is no). */
  private dropping!: boolean;

  /** `maxPayload`: larger frames are dropped as oversize (a device sizes this to what its host
   * sends it; default MAX_PAYLOAD). */
  constructor(maxPayload?: number) {
    this.errors = { cobs: 0, short: 0, crc: 0, oversize: 0 };
    this.buf = new Uint8Array(cobsMaxEncodedLength((maxPayload === undefined ? MAX_PAYLOAD : maxPayload) + BODY_OVERHEAD));
    this.len = 0;
  }

  /** Total frames lost to damage so far. */
  get errorCount(): number {
    const e = this.errors;
    return e.cobs + e.short + e.crc + e.oversize;
  }

  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    const buf = this.buf;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 0) {
        if (this.dropping) this.dropping = false;
        else if (this.len > 0) this.finish(frames);
        this.len = 0;
      } else if (!this.dropping) {
        if (this.len === buf.length) {
          this.errors.oversize++;
          this.dropping = true;
          this.len = 0;
        } else buf[this.len++] = b;
      }
    }
    return frames;
  }

  /** Forgets a partial frame (for example after the port was reopened). */
  reset(): void {
    this.len = 0;
    this.dropping = false;
  }

  private finish(frames: Frame[]): void {
    const n = cobsDecodeInPlace(this.buf, this.len);
    if (n < 0) {
      this.errors.cobs++;
      return;
    }
    if (n < BODY_OVERHEAD) {
      this.errors.short++;
      return;
    }
    const buf = this.buf;
    const crc = crc16(buf, 0, n - 2, lengthSeed(n - 2));
    if (crc !== ((buf[n - 2] << 8) | buf[n - 1])) {
      this.errors.crc++;
      return;
    }
    frames.push({ type: buf[0], seq: buf[1], payload: new Uint8Array(buf.subarray(2, n - 2)) });
  }
}
