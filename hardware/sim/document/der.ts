// A small DER writer: enough ASN.1 to build X.509 certificates, CMS SignedData and the LDS
// (which uses the same BER-TLV shapes with multi-byte application tags such as 5F1F and 7F61).

import { concatBytes } from '../bytes';

export { concatBytes };

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const b: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) b.unshift(v & 0xff);
  return [0x80 | b.length, ...b];
}

function tagBytes(tag: number): number[] {
  const b: number[] = [];
  for (let v = tag; v > 0; v = Math.floor(v / 256)) b.unshift(v & 0xff);
  return b.length ? b : [0];
}

/** A TLV with a tag written as its bytes (0x30, 0x5F1F, 0x7F61...) and a DER length. */
export function tlv(tag: number, ...values: Uint8Array[]): Uint8Array {
  const value = concatBytes(...values);
  return concatBytes(Uint8Array.from([...tagBytes(tag), ...lengthBytes(value.length)]), value);
}

export const seq = (...v: Uint8Array[]): Uint8Array => tlv(0x30, ...v);

/** SET OF: elements in DER order (sorted by their encodings). */
export function setOf(...v: Uint8Array[]): Uint8Array {
  const sorted = [...v].sort(compareBytes);
  return tlv(0x31, ...sorted);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** [n] EXPLICIT (constructed context tag around a whole encoding). */
export const explicit = (n: number, ...v: Uint8Array[]): Uint8Array => tlv(0xa0 + n, ...v);

/** [n] IMPLICIT: replaces the tag of an encoding, keeping its constructed bit. */
export function implicit(n: number, encoding: Uint8Array): Uint8Array {
  const out = Uint8Array.from(encoding);
  out[0] = (encoding[0] & 0x20) | 0x80 | n;
  return out;
}

export function integer(v: number | bigint | Uint8Array): Uint8Array {
  let b: number[];
  if (v instanceof Uint8Array) {
    b = [...v];
    while (b.length > 1 && b[0] === 0 && b[1] < 0x80) b.shift();
  } else {
    let x = BigInt(v);
    b = [];
    do {
      b.unshift(Number(x & 0xffn));
      x >>= 8n;
    } while (x > 0n);
  }
  if (b[0] >= 0x80) b.unshift(0);
  return tlv(0x02, Uint8Array.from(b));
}

export function oid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

export const octets = (b: Uint8Array): Uint8Array => tlv(0x04, b);
export const NULL = Uint8Array.of(0x05, 0x00);
export const boolean = (v: boolean): Uint8Array => Uint8Array.of(0x01, 0x01, v ? 0xff : 0x00);

export function bitString(b: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(0x03, Uint8Array.of(unusedBits), b);
}

const enc = new TextEncoder();
export const utf8 = (s: string): Uint8Array => tlv(0x0c, enc.encode(s));
export const printable = (s: string): Uint8Array => tlv(0x13, enc.encode(s));
export const ascii = (s: string): Uint8Array => enc.encode(s);

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280). */
export function time(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  const rest = two(d.getUTCMonth() + 1) + two(d.getUTCDate()) + two(d.getUTCHours()) + two(d.getUTCMinutes()) + two(d.getUTCSeconds()) + 'Z';
  if (y < 2050 && y >= 1950) return tlv(0x17, enc.encode(two(y % 100) + rest));
  return tlv(0x18, enc.encode(String(y) + rest));
}
