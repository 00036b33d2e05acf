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
  private _maxObject: number;
  /** Absolute position in the file of the next byte pushed. */
  private _pos: number;
  private _step: number;
  /** Header bytes of the TLV being read (tag + up to 4 length bytes). */
  private _header: Uint8Array;
  private _headerLen: number;
  /** Bytes still to skip or capture in the current element; -1 while reading a header. */
  private _remaining: number;
  private _target!: Uint8Array | null;
  private _targetPos: number;
  /** End positions of the constructed elements entered so far. */
  private _ends: number[];
  private _object!: Uint8Array | null;
  /** End of a constructed (BER) OCTET STRING whose segments are being captured, or -1. */
  private _segmentsEnd: number;

  constructor(maxObjectLength?: number) {
    // Fields only tested for truth stay unset until used (flash, issue #14).
    this._maxObject = maxObjectLength || DEFAULT_MAX_SECURITY_OBJECT;
    this._pos = 0;
    this._step = 0;
    this._header = new Uint8Array(6);
    this._headerLen = 0;
    this._remaining = -1;
    this._targetPos = 0;
    this._ends = [];
    this._segmentsEnd = -1;
  }

  /** True once the LDSSecurityObject has been captured (later chunks are ignored). */
  isComplete(): boolean {
    return !!this._object;
  }

  /** Feeds the next bytes of EF.SOD, in file order. Throws 'malformed-data' / 'too-large'. */
  push(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n && !this._object) {
      if (this._remaining < 0) {
        this._header[this._headerLen++] = chunk[i++];
        this._pos++;
        this._headerByte();
        continue;
      }
      let take = n - i;
      if (take > this._remaining) take = this._remaining;
      if (this._target) {
        this._target.set(chunk.subarray(i, i + take), this._targetPos);
        this._targetPos += take;
      }
      i += take;
      this._pos += take;
      this._remaining -= take;
      if (this._remaining === 0) this._elementDone();
    }
  }

  /** Called after each header byte: when the header is complete, acts on it. */
  private _headerByte(): void {
    const h = this._header;
    const got = this._headerLen;
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
    this._headerLen = 0;
    const end = this._pos + len;
    if (this._segmentsEnd >= 0) {
      // One primitive segment of a constructed OCTET STRING (BER, as pkijs writes eContent).
      if (tag !== 0x04) throw new IcaoError('malformed-data', 'EF.SOD: nested segment in eContent');
      if (end > this._segmentsEnd) throw new IcaoError('malformed-data', 'EF.SOD: segment runs past its container');
      if (this._targetPos + len > this._maxObject) throw new IcaoError('too-large', 'EF.SOD: security object too large');
      this._remaining = len;
      if (len === 0) this._elementDone();
      return;
    }
    const expect = PATH[this._step];
    const action = expect[1];
    const segmented = action === CAPTURE && tag === 0x24;
    if (tag !== expect[0] && !segmented) throw new IcaoError('malformed-data', 'EF.SOD: unexpected tag ' + tag.toString(16));
    const parentEnd = this._ends.length ? this._ends[this._ends.length - 1] : -1;
    if (parentEnd >= 0 && end > parentEnd) throw new IcaoError('malformed-data', 'EF.SOD: element runs past its container');
    if (action === ENTER) {
      this._ends.push(end);
      this._step++;
      return;
    }
    if (segmented) {
      // Segment headers take a few bytes each; the content itself is bounded as it arrives.
      if (len > this._maxObject + 256) throw new IcaoError('too-large', 'EF.SOD: security object of ' + len + ' bytes');
      this._target = new Uint8Array(len < this._maxObject ? len : this._maxObject);
      this._targetPos = 0;
      this._segmentsEnd = end;
      if (len === 0) this._elementDone();
      return;
    }
    if (action === OID) {
      if (len > MAX_OID) throw new IcaoError('malformed-data', 'EF.SOD: OID too long');
      this._target = new Uint8Array(len);
    } else if (action === CAPTURE) {
      if (len > this._maxObject) throw new IcaoError('too-large', 'EF.SOD: security object of ' + len + ' bytes');
      this._target = new Uint8Array(len);
    } else {
      this._target = null;
    }
    this._targetPos = 0;
    this._remaining = len;
    if (len === 0) this._elementDone();
  }

  private _elementDone(): void {
    this._remaining = -1;
    if (this._segmentsEnd >= 0) {
      if (this._pos < this._segmentsEnd) return; // next segment header
      this._object = new Uint8Array(this._target!.subarray(0, this._targetPos));
      this._target = null;
      return;
    }
    const expect = PATH[this._step];
    const action = expect[1];
    const value = this._target;
    this._target = null;
    if (action === OID) {
      const oid = decodeOid(value!, 0, value!.length);
      if (oid !== expect[2]) throw new IcaoError('malformed-data', 'EF.SOD: unexpected content type ' + oid);
    } else if (action === CAPTURE) {
      this._object = value;
      return;
    }
    this._step++;
  }

  /** Parses the captured LDSSecurityObject. 'malformed-data' if EF.SOD ended before it, or it
   * does not parse; 'unsupported' for a hash algorithm we do not have. */
  finish(): SodHashes {
    if (!this._object) throw new IcaoError('malformed-data', 'EF.SOD ended before its security object');
    return parseLdsSecurityObject(this._object);
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
    hashes[dg] = new Uint8Array(der.subarray(item.valueOffset, item.end));
    pos = t.end;
  }
  return { hashAlgorithm: name, hashOid: oid, hashes };
}
