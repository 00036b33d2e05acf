// SecurityInfos (ICAO 9303 Part 11 §9.2) of EF.CardAccess (a bare SET OF SecurityInfo) and DG14
// (6E { SET OF SecurityInfo }): PACEInfo, ChipAuthenticationInfo and
// ChipAuthenticationPublicKeyInfo; other SecurityInfos are kept by OID only. Hostile input: any
// structure that does not parse throws ReaderError('malformed-data') naming the file.

import * as asn1js from 'asn1js';
import { ReaderError } from '../reader-error.js';
import { fromBerSafe } from '../pa/cms.js';
import { readFileTlv } from './tlv.js';

const BSI = '0.4.0.127.0.7.2.2.';
const ID_PK = BSI + '1.';
const ID_CA = BSI + '3.';
const ID_PACE = BSI + '4.';

export interface PaceInfo { protocol: string; version: number; parameterId: number | null }
export interface ChipAuthInfo { protocol: string; version: number; keyId: number | null }
export interface ChipAuthPublicKey { protocol: string; keyId: number | null; subjectPublicKeyInfo: Uint8Array }

export interface SecurityInfos {
  pace: PaceInfo[];
  chipAuthentication: ChipAuthInfo[];
  chipAuthenticationPublicKeys: ChipAuthPublicKey[];
  /** OIDs of the SecurityInfos not interpreted here (e.g. id-AA, Terminal Authentication). */
  other: string[];
}

function smallInt(v: unknown, what: string, file: string): number {
  if (!(v instanceof asn1js.Integer) || v.valueBlock.valueHexView.length > 4) throw bad(file, what + ' is not a small INTEGER');
  return v.valueBlock.valueDec;
}

function bad(file: string, message: string): ReaderError {
  return new ReaderError('malformed-data', file + ': ' + message);
}

/** Parses the DER of a SET OF SecurityInfo. */
export function parseSecurityInfoSet(der: Uint8Array, file: string): SecurityInfos {
  const asn1 = fromBerSafe(der.slice().buffer as ArrayBuffer);
  if (asn1.offset !== der.length || !(asn1.result instanceof asn1js.Set)) throw bad(file, 'not a SET OF SecurityInfo');
  const out: SecurityInfos = { pace: [], chipAuthentication: [], chipAuthenticationPublicKeys: [], other: [] };
  for (const info of asn1.result.valueBlock.value) {
    if (!(info instanceof asn1js.Sequence)) throw bad(file, 'a SecurityInfo is not a SEQUENCE');
    const [protocol, second, third] = info.valueBlock.value;
    if (!(protocol instanceof asn1js.ObjectIdentifier)) throw bad(file, 'a SecurityInfo has no protocol OID');
    const oid = protocol.valueBlock.toString();
    const optional = (v: unknown, what: string): number | null => (v === undefined ? null : smallInt(v, what, file));
    if (oid.startsWith(ID_PACE)) {
      out.pace.push({ protocol: oid, version: smallInt(second, 'PACEInfo version', file), parameterId: optional(third, 'PACEInfo parameterId') });
    } else if (oid.startsWith(ID_CA)) {
      out.chipAuthentication.push({ protocol: oid, version: smallInt(second, 'ChipAuthenticationInfo version', file), keyId: optional(third, 'ChipAuthenticationInfo keyId') });
    } else if (oid.startsWith(ID_PK)) {
      if (!(second instanceof asn1js.Sequence)) throw bad(file, 'ChipAuthenticationPublicKeyInfo has no SubjectPublicKeyInfo');
      out.chipAuthenticationPublicKeys.push({ protocol: oid, keyId: optional(third, 'ChipAuthenticationPublicKeyInfo keyId'), subjectPublicKeyInfo: new Uint8Array(second.toBER()) });
    } else {
      out.other.push(oid);
    }
  }
  return out;
}

export function parseCardAccess(bytes: Uint8Array): SecurityInfos {
  return parseSecurityInfoSet(bytes, 'EF.CardAccess');
}

export function parseDg14(bytes: Uint8Array): SecurityInfos {
  return parseSecurityInfoSet(readFileTlv(bytes, 0x6e, 'DG14').value, 'DG14');
}
