// The command APDUs and answers of PACE and Chip Authentication (9303-11 §4.4.4, §6.2;
// BSI TR-03110-3 §B.1, §B.11): MSE:Set AT and GENERAL AUTHENTICATE with its dynamic
// authentication data 7C { tag value }. Every length and tag of an answer is checked.

import { IcaoError, SW, errorForStatus, statusWord } from '../icao/errors';
import { newTlv, readTlv, type Tlv } from '../icao/tlv';

function lengthBytes(n: number): number {
  return n < 128 ? 1 : n < 256 ? 2 : 3;
}

/** Writes a BER length at buf[pos] (1 to 3 bytes); returns the position after it. */
export function putLength(buf: Uint8Array, pos: number, n: number): number {
  if (n >= 256) {
    buf[pos++] = 0x82;
    buf[pos++] = n >> 8;
  } else if (n >= 128) {
    buf[pos++] = 0x81;
  }
  buf[pos++] = n & 0xff;
  return pos;
}

/** MSE:Set AT (00 22 P1 A4): DO'80' protocol OID, then DO'83' key reference (PACE: 01 = MRZ) when
 * `keyRef` > 0, then DO'84' domain parameter / private key id when `id` >= 0. P1 C1 for PACE,
 * 41 for Chip Authentication. */
export function mseSetAtApdu(p1: number, oid: Uint8Array, keyRef: number, id: number): Uint8Array {
  const n = 2 + oid.length + (keyRef > 0 ? 3 : 0) + (id >= 0 ? 3 : 0);
  const a = new Uint8Array(5 + n);
  a[1] = 0x22; a[2] = p1; a[3] = 0xa4; a[4] = n;
  a[5] = 0x80; a[6] = oid.length;
  a.set(oid, 7);
  let pos = 7 + oid.length;
  if (keyRef > 0) { a[pos++] = 0x83; a[pos++] = 1; a[pos++] = keyRef; }
  if (id >= 0) { a[pos++] = 0x84; a[pos++] = 1; a[pos++] = id; }
  return a;
}

/** GENERAL AUTHENTICATE (CLA 10: chained, more steps follow; 00: last) with 7C { tag data } (an
 * empty 7C when `tag` is 0), Le 00. */
export function generalAuthenticateApdu(last: boolean, tag: number, data: Uint8Array | null): Uint8Array {
  const inner = tag ? 1 + lengthBytes(data!.length) + data!.length : 0;
  const body = 1 + lengthBytes(inner) + inner;
  if (body > 255) throw new IcaoError('internal', 'GENERAL AUTHENTICATE data too long');
  const a = new Uint8Array(6 + body);
  a[0] = last ? 0x00 : 0x10; a[1] = 0x86; a[4] = body;
  a[5] = 0x7c;
  let pos = putLength(a, 6, inner);
  if (tag) {
    a[pos++] = tag;
    pos = putLength(a, pos, data!.length);
    a.set(data!, pos);
  }
  return a;
}

/**
 * The value of DO `tag` inside the 7C of a GENERAL AUTHENTICATE answer (`response` with its
 * status word), into `out` (offsets into response). A status other than 9000 is the error of
 * errorForStatus (authenticating: a refused password is 'access-denied'); a missing 7C, a
 * missing `tag` or a length other than `length` (when > 0) is 'malformed-data'.
 */
export function authenticationData(response: Uint8Array, tag: number, length: number, what: string, out: Tlv): Tlv {
  if (response.length < 2) throw new IcaoError('malformed-data', what + ': response without status word');
  const sw = statusWord(response);
  if (sw !== SW.OK) throw errorForStatus(sw, what, true);
  const end = response.length - 2;
  const outer = readTlv(response, 0, end, newTlv());
  if (outer.tag !== 0x7c || outer.end !== end) throw new IcaoError('malformed-data', what + ': no dynamic authentication data');
  let pos = outer.valueOffset;
  while (pos < outer.end) {
    readTlv(response, pos, outer.end, out);
    if (out.tag === tag) {
      if (length > 0 && out.length !== length) throw new IcaoError('malformed-data', what + ': wrong length');
      return out;
    }
    pos = out.end;
  }
  throw new IcaoError('malformed-data', what + ': data object missing');
}

/** The public-key data object of the PACE tokens (9303-11 §4.4.3.4, TR-03110-3 §D.3.4):
 * 7F49 L { 06 L oid, 86 L point }. */
export function publicKeyObject(oid: Uint8Array, point: Uint8Array): Uint8Array {
  const inner = 2 + oid.length + 1 + lengthBytes(point.length) + point.length;
  const a = new Uint8Array(2 + lengthBytes(inner) + inner);
  a[0] = 0x7f; a[1] = 0x49;
  let pos = putLength(a, 2, inner);
  a[pos++] = 0x06; a[pos++] = oid.length;
  a.set(oid, pos);
  pos += oid.length;
  a[pos++] = 0x86;
  pos = putLength(a, pos, point.length);
  a.set(point, pos);
  return a;
}
