// EF.SOD on the device: only the hash algorithm and the data-group hashes, streamed.
//
// EF.SOD = 77 L ContentInfo (RFC 5652) whose SignedData encapsulates the LDSSecurityObject
// (9303-10 §4.6.2):
//   77 { 30 ContentInfo { 06 id-signedData, A0 { 30 SignedData { 02 version, 31 digestAlgorithms,
//        30 encapContentInfo { 06 id-icao-mrtd-security-ldsSecurityObject, A0 { 04 <LDSSecurityObject> } },
//        A0 certificates, ..., 31 signerInfos } } } }
// The eContent OCTET STRING may also be BER-constructed (24 L { 04 .. 04 .. }), as pkijs writes
// it. `push` walks that path as chunks arrive, keeping only TLV headers and, once reached, the
// LDSSecurityObject octets (at most `maxObjectLength`, default 2 KB). Everything after it (the
// Document Signer certificate, the signature) passes by without being stored. Signature checking
// (passive authentication) is the host's job; the device only compares data-group hashes.
//
//   LDSSecurityObject ::= SEQUENCE { version INTEGER, hashAlgorithm AlgorithmIdentifier,
//     dataGroupHashValues SEQUENCE OF SEQUENCE { dataGroupNumber INTEGER, hashValue OCTET STRING },
//     ldsVersionInfo LDSVersionInfo OPTIONAL }

import { HASH_LENGTHS, hashNameFromOid } from '../crypto/hash';
import { IcaoError } from './errors';
import { TAG_SOD } from './lds';
import { decodeOid, decodeSmallInteger, newTlv, readTlv } from './tlv';

export interface SodHashes {
  /** createHash name: 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512'. */
  hashAlgorithm: string;
  /** The algorithm's OID as EF.SOD names it. */
  hashOid: string;
  hashes: { [dataGroup: number]: Uint8Array };
}

const ENTER = 0;
const SKIP = 1;
const OID = 2;
const CAPTURE = 3;

/** id-signedData 1.2.840.113549.1.7.2 and id-icao-mrtd-security-ldsSecurityObject 2.23.136.1.1.1. */
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_LDS_SECURITY_OBJECT = '2.23.136.1.1.1';

/** The path to the LDSSecurityObject: [tag, action, expected OID]. */
const PATH: [number, number, string][] = [
  [TAG_SOD, ENTER, ''],
  [0x30, ENTER, ''], // ContentInfo
  [0x06, OID, OID_SIGNED_DATA],
  [0xa0, ENTER, ''],
  [0x30, ENTER, ''], // SignedData
  [0x02, SKIP, ''], // version
  [0x31, SKIP, ''], // digestAlgorithms
  [0x30, ENTER, ''], // encapContentInfo
  [0x06, OID, OID_LDS_SECURITY_OBJECT],
  [0xa0, ENTER, ''],
  [0x04, CAPTURE, ''], // eContent: the DER LDSSecurityObject
];

export const DEFAULT_MAX_SECURITY_OBJECT = 2048;
const MAX_OID = 32;

export class SodHashExtractor {
  private maxObject: number;
  /** Absolute position in the file of the next byte pushed. */
  private pos: number;
  private step: number;
  /** Header bytes of the TLV being read (tag + up to 4 length bytes). */
  private header: Uint8Array;
  private headerLen: number;
  /** Bytes still to skip or capture in the current element; -1 while reading a header. */
  private remaining: number;
  private target: Uint8Array | null;
  private targetPos: number;
  /** End positions of the constructed elements entered so far. */
  private ends: number[];
  private object: Uint8Array | null;
  /** End of a constructed (BER) OCTET STRING whose segments are being captured, or -1. */
  private segmentsEnd: number;

  constructor(maxObjectLength?: number) {
    this.maxObject = maxObjectLength || DEFAULT_MAX_SECURITY_OBJECT;
    this.pos = 0;
    this.step = 0;
    this.header = new Uint8Array(6);
    this.headerLen = 0;
    this.remaining = -1;
    this.target = null;
    this.targetPos = 0;
    this.ends = [];
    this.object = null;
    this.segmentsEnd = -1;
  }

  /** True once the LDSSecurityObject has been captured (later chunks are ignored). */
  isComplete(): boolean {
    return this.object !== null;
  }

  /** Feeds the next bytes of EF.SOD, in file order. Throws 'malformed-data' / 'too-large'. */
  push(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n && !this.object) {
      if (this.remaining < 0) {
        this.header[this.headerLen++] = chunk[i++];
        this.pos++;
        this.headerByte();
        continue;
      }
      let take = n - i;
      if (take > this.remaining) take = this.remaining;
      if (this.target) {
        this.target.set(chunk.subarray(i, i + take), this.targetPos);
        this.targetPos += take;
      }
      i += take;
      this.pos += take;
      this.remaining -= take;
      if (this.remaining === 0) this.elementDone();
    }
  }

  /** Called after each header byte: when the header is complete, acts on it. */
  private headerByte(): void {
    const h = this.header;
    const got = this.headerLen;
    const tag = h[0];
    if ((tag & 0x1f) === 0x1f) throw new IcaoError('malformed-data', 'EF.SOD: unexpected multi-byte tag');
    if (got < 2) return;
    let len = h[1];
    let hl = 2;
    if (len & 0x80) {
      const k = len & 0x7f;
      if (k === 0) throw new IcaoError('malformed-data', 'EF.SOD: indefinite length');
      if (k > 4) throw new IcaoError('malformed-data', 'EF.SOD: length of length ' + k);
      hl = 2 + k;
      if (got < hl) return;
      len = 0;
      for (let j = 2; j < hl; j++) len = len * 256 + h[j];
    }
    this.headerLen = 0;
    const end = this.pos + len;
    if (this.segmentsEnd >= 0) {
      // One primitive segment of a constructed OCTET STRING (BER, as pkijs writes eContent).
      if (tag !== 0x04) throw new IcaoError('malformed-data', 'EF.SOD: nested segment in eContent');
      if (end > this.segmentsEnd) throw new IcaoError('malformed-data', 'EF.SOD: segment runs past its container');
      if (this.targetPos + len > this.maxObject) throw new IcaoError('too-large', 'EF.SOD: security object too large');
      this.remaining = len;
      if (len === 0) this.elementDone();
      return;
    }
    const expect = PATH[this.step];
    const action = expect[1];
    const segmented = action === CAPTURE && tag === 0x24;
    if (tag !== expect[0] && !segmented) throw new IcaoError('malformed-data', 'EF.SOD: unexpected tag ' + tag.toString(16));
    const parentEnd = this.ends.length ? this.ends[this.ends.length - 1] : -1;
    if (parentEnd >= 0 && end > parentEnd) throw new IcaoError('malformed-data', 'EF.SOD: element runs past its container');
    if (action === ENTER) {
      this.ends.push(end);
      this.step++;
      return;
    }
    if (segmented) {
      // Segment headers take a few bytes each; the content itself is bounded as it arrives.
      if (len > this.maxObject + 256) throw new IcaoError('too-large', 'EF.SOD: security object of ' + len + ' bytes');
      this.target = new Uint8Array(len < this.maxObject ? len : this.maxObject);
      this.targetPos = 0;
      this.segmentsEnd = end;
      if (len === 0) this.elementDone();
      return;
    }
    if (action === OID) {
      if (len > MAX_OID) throw new IcaoError('malformed-data', 'EF.SOD: OID too long');
      this.target = new Uint8Array(len);
    } else if (action === CAPTURE) {
      if (len > this.maxObject) throw new IcaoError('too-large', 'EF.SOD: security object of ' + len + ' bytes');
      this.target = new Uint8Array(len);
    } else {
      this.target = null;
    }
    this.targetPos = 0;
    this.remaining = len;
    if (len === 0) this.elementDone();
  }

  private elementDone(): void {
    this.remaining = -1;
    if (this.segmentsEnd >= 0) {
      if (this.pos < this.segmentsEnd) return; // next segment header
      this.object = this.target!.slice(0, this.targetPos);
      this.target = null;
      return;
    }
    const expect = PATH[this.step];
    const action = expect[1];
    const value = this.target;
    this.target = null;
    if (action === OID) {
      const oid = decodeOid(value!, 0, value!.length);
      if (oid !== expect[2]) throw new IcaoError('malformed-data', 'EF.SOD: unexpected content type ' + oid);
    } else if (action === CAPTURE) {
      this.object = value;
      return;
    }
    this.step++;
  }

  /** Parses the captured LDSSecurityObject. 'malformed-data' if EF.SOD ended before it, or it
   * does not parse; 'unsupported' for a hash algorithm we do not have. */
  finish(): SodHashes {
    if (!this.object) throw new IcaoError('malformed-data', 'EF.SOD ended before its security object');
    return parseLdsSecurityObject(this.object);
  }
}

/** Parses a DER LDSSecurityObject (the eContent of EF.SOD). */
export function parseLdsSecurityObject(der: Uint8Array): SodHashes {
  const t = newTlv();
  if (readTlv(der, 0, der.length, t).tag !== 0x30) throw new IcaoError('malformed-data', 'LDSSecurityObject is not a SEQUENCE');
  const end = t.end;
  if (readTlv(der, t.valueOffset, end, t).tag !== 0x02) throw new IcaoError('malformed-data', 'LDSSecurityObject version');
  const version = decodeSmallInteger(der, t.valueOffset, t.length);
  if (version > 1) throw new IcaoError('unsupported', 'LDSSecurityObject version ' + version);
  if (readTlv(der, t.end, end, t).tag !== 0x30) throw new IcaoError('malformed-data', 'LDSSecurityObject hashAlgorithm');
  const listStart = t.end;
  if (readTlv(der, t.valueOffset, t.end, t).tag !== 0x06) throw new IcaoError('malformed-data', 'hashAlgorithm without OID');
  const oid = decodeOid(der, t.valueOffset, t.length);
  const name = hashNameFromOid(oid);
  const hashLength = HASH_LENGTHS[name];
  if (readTlv(der, listStart, end, t).tag !== 0x30) throw new IcaoError('malformed-data', 'LDSSecurityObject dataGroupHashValues');
  const hashes: { [dataGroup: number]: Uint8Array } = {};
  const listEnd = t.end;
  let pos = t.valueOffset;
  const item = newTlv();
  while (pos < listEnd) {
    if (readTlv(der, pos, listEnd, t).tag !== 0x30) throw new IcaoError('malformed-data', 'DataGroupHash is not a SEQUENCE');
    if (readTlv(der, t.valueOffset, t.end, item).tag !== 0x02) throw new IcaoError('malformed-data', 'DataGroupHash number');
    const dg = decodeSmallInteger(der, item.valueOffset, item.length);
    if (dg < 1 || dg > 16) throw new IcaoError('malformed-data', 'data group number ' + dg);
    if (readTlv(der, item.end, t.end, item).tag !== 0x04 || item.end !== t.end) throw new IcaoError('malformed-data', 'DataGroupHash value');
    if (item.length !== hashLength) throw new IcaoError('malformed-data', 'DG' + dg + ' hash length ' + item.length);
    if (hashes[dg]) throw new IcaoError('malformed-data', 'DG' + dg + ' listed twice');
    hashes[dg] = der.slice(item.valueOffset, item.end);
    pos = t.end;
  }
  return { hashAlgorithm: name, hashOid: oid, hashes };
}
