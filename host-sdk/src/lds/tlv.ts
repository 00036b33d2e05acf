// BER-TLV as the LDS uses it (ISO 7816-4 / ICAO 9303 Part 10): multi-byte tags (first byte low
// five bits all set), definite lengths in short form or 81/82/83/84 long form. Every read is
// bounds-checked; a malformed structure throws ReaderError('malformed-data') saying where.

import { ReaderError } from '../reader-error.js';

export interface Tlv {
  /** The tag as a number, e.g. 0x61, 0x5F1F, 0x7F61. */
  tag: number;
  /** Constructed encoding (bit 6 of the first tag byte). */
  constructed: boolean;
  /** The value bytes (a view into the input). */
  value: Uint8Array;
  /** Offset of the tag within the input, and the end of the value. */
  start: number;
  end: number;
}

function fail(what: string, offset: number): never {
  throw new ReaderError('malformed-data', what + ' at offset ' + offset);
}

export function tagHex(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(2, '0');
}

/** Reads one TLV starting at `offset` of `bytes`, not reading past `limit`. */
export function readTlv(bytes: Uint8Array, offset = 0, limit = bytes.length): Tlv {
  let p = offset;
  if (p >= limit) fail('TLV expected but the data ended', p);
  const first = bytes[p++];
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    let n = 0;
    for (;;) {
      if (p >= limit) fail('tag truncated', offset);
      const b = bytes[p++];
      tag = tag * 256 + b;
      if (++n > 3) fail('tag longer than 4 bytes', offset);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= limit) fail('length of tag ' + tagHex(tag) + ' missing', p);
  let length = bytes[p++];
  if (length === 0x80) fail('indefinite length of tag ' + tagHex(tag) + ' is not allowed', p - 1);
  if (length > 0x80) {
    const n = length & 0x7f;
    if (n > 4) fail('length of tag ' + tagHex(tag) + ' uses ' + n + ' bytes', p - 1);
    if (p + n > limit) fail('length of tag ' + tagHex(tag) + ' truncated', p - 1);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[p++];
  }
  if (p + length > limit) fail('tag ' + tagHex(tag) + ' declares ' + length + ' bytes but only ' + (limit - p) + ' remain', offset);
  return { tag, constructed: (first & 0x20) !== 0, value: bytes.subarray(p, p + length), start: offset, end: p + length };
}

/** All TLVs that follow one another in `bytes` (the children of a constructed value). */
export function readTlvList(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let p = 0;
  while (p < bytes.length) {
    // Padding between records (00 or FF) is tolerated by the LDS.
    if (bytes[p] === 0x00 || bytes[p] === 0xff) {
      p++;
      continue;
    }
    const t = readTlv(bytes, p);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** Reads the single outer TLV of a whole file and checks its tag.
 */
export function readFileTlv(bytes: Uint8Array, expectedTag: number, fileName: string): Tlv {
  let t: Tlv;
  try {
    t = readTlv(bytes, 0);
  } catch (e) {
    throw new ReaderError('malformed-data', fileName + ': ' + (e as Error).message, { cause: e });
  }
  if (t.tag !== expectedTag) throw new ReaderError('malformed-data', fileName + ': outer tag is ' + tagHex(t.tag) + ', expected ' + tagHex(expectedTag));
  return t;
}

/** The first child with `tag`, or undefined. */
export function findTlv(children: Tlv[], tag: number): Tlv | undefined {
  return children.find((c) => c.tag === tag);
}

/** Encodes one TLV (used by tests and fakes). */
export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes: number[] = [];
  for (let t = tag; t > 0; t = Math.floor(t / 256)) tagBytes.unshift(t & 0xff);
  if (tagBytes.length === 0) tagBytes.push(0);
  const n = value.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(tagBytes.length + len.length + n);
  out.set(tagBytes, 0);
  out.set(len, tagBytes.length);
  out.set(value, tagBytes.length + len.length);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
