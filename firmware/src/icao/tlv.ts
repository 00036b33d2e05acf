// Minimal BER-TLV reading for LDS files and SM responses: tag (1..3 bytes), definite length
// (short form or 0x81..0x84). Every read is bounded by an end offset; anything that does not fit
// is IcaoError('malformed-data') (or the code the caller passes).

import { IcaoError } from './errors';

/** Result of `readTlv`, reused by callers that parse in a loop (no allocation per element). */
export interface Tlv {
  tag: number;
  /** Offset of the value. */
  valueOffset: number;
  length: number;
  /** Offset just past the value. */
  end: number;
}

export function newTlv(): Tlv {
  return { tag: 0, valueOffset: 0, length: 0, end: 0 };
}

/**
 * Tag and length at `pos` (before `limit`) into `out` (tag, valueOffset, length); false when the
 * bytes end before the header does. A tag over 3 bytes or a length form other than short or
 * 81..84 throws IcaoError(`code`).
 */
function readHeader(buf: Uint8Array, pos: number, limit: number, out: Tlv, code: string): boolean {
  if (pos >= limit) return false;
  let tag = buf[pos++];
  if ((tag & 0x1f) === 0x1f) {
    let n = 0;
    do {
      if (pos >= limit) return false;
      if (++n > 2) throw new IcaoError(code, 'TLV tag too long');
      tag = (tag << 8) | buf[pos];
    } while (buf[pos++] & 0x80);
  }
  if (pos >= limit) return false;
  let len = buf[pos++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new IcaoError(code, 'TLV length form not supported');
    if (pos + n > limit) return false;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos++];
  }
  out.tag = tag;
  out.valueOffset = pos;
  out.length = len;
  out.end = pos + len;
  return true;
}

/**
 * Reads the TLV at `pos`, which must end at or before `limit`. Fills and returns `out`.
 * `code` is the error code for a structure that does not parse ('malformed-data' by default).
 */
export function readTlv(buf: Uint8Array, pos: number, limit: number, out: Tlv, code?: string): Tlv {
  const err = code || 'malformed-data';
  if (limit > buf.length) limit = buf.length;
  if (!readHeader(buf, pos, limit, out, err)) throw new IcaoError(err, 'TLV tag truncated or length missing');
  if (out.end > limit) throw new IcaoError(err, 'TLV value runs past its container');
  return out;
}

/** Header length and total length of a TLV from its first bytes (a file's start), without
 * requiring the value to be present. Returns -1 for headerLength when more bytes are needed. */
export function peekTlvHeader(buf: Uint8Array, available: number): { tag: number; headerLength: number; valueLength: number } {
  const t = newTlv();
  const whole = readHeader(buf, 0, available, t, 'malformed-data');
  return { tag: t.tag, headerLength: whole ? t.valueOffset : -1, valueLength: t.length };
}

/** Dotted form of a DER OBJECT IDENTIFIER value. */
export function decodeOid(buf: Uint8Array, offset: number, length: number): string {
  if (length < 1) throw new IcaoError('malformed-data', 'empty OID');
  let out = '';
  let v = 0;
  let first = true;
  const end = offset + length;
  for (let i = offset; i < end; i++) {
    const b = buf[i];
    if (v > 0x1ffffff) throw new IcaoError('malformed-data', 'OID arc too large');
    v = v * 128 + (b & 0x7f);
    if (b & 0x80) {
      if (i === end - 1) throw new IcaoError('malformed-data', 'OID truncated');
      continue;
    }
    if (first) {
      const a = v < 80 ? (v / 40) | 0 : 2;
      out = a + '.' + (v - a * 40);
      first = false;
    } else {
      out += '.' + v;
    }
    v = 0;
  }
  return out;
}

/** A small non-negative DER INTEGER value (at most 4 bytes). */
export function decodeSmallInteger(buf: Uint8Array, offset: number, length: number): number {
  if (length < 1 || length > 4 || (buf[offset] & 0x80)) throw new IcaoError('malformed-data', 'integer out of range');
  let v = 0;
  for (let i = 0; i < length; i++) v = v * 256 + buf[offset + i];
  return v;
}
