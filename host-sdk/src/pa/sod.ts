// EF.SOD (ICAO 9303 Part 10 §4.6.2): tag 77 wrapping a CMS ContentInfo whose SignedData carries
// the LDSSecurityObject (eContentType 2.23.136.1.1.1):
//   LDSSecurityObject ::= SEQUENCE { version INTEGER, hashAlgorithm AlgorithmIdentifier,
//     dataGroupHashValues SEQUENCE OF SEQUENCE { dataGroupNumber INTEGER, hash OCTET STRING },
//     ldsVersionInfo LDSVersionInfo OPTIONAL }

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ReaderError } from '../reader-error.js';
import { readFileTlv } from '../lds/tlv.js';
import { fromBerSafe, parseSignedData, type ParsedSignedData } from './cms.js';
import { DIGESTS, OID, digestLabel } from './oids.js';

export const SOD_TAG = 0x77;

export interface LdsSecurityObject {
  version: number;
  hashAlgorithmOid: string;
  /** node:crypto name, e.g. 'sha256'. */
  hashAlgorithm: string;
  /** Data group number → hash. */
  dataGroupHashes: Map<number, Uint8Array>;
  ldsVersion?: string;
  unicodeVersion?: string;
}

export interface Sod {
  cms: ParsedSignedData;
  lds: LdsSecurityObject;
}

function fail(message: string, cause?: unknown): never {
  throw new ReaderError('malformed-data', 'EF.SOD: ' + message, { fileId: 0x1d, cause });
}

function parseLdsSecurityObject(der: Uint8Array): LdsSecurityObject {
  const asn1 = fromBerSafe(der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer);
  if (asn1.offset === -1 || !(asn1.result instanceof asn1js.Sequence)) fail('LDSSecurityObject is not a SEQUENCE');
  const [version, alg, hashes, versionInfo] = asn1.result.valueBlock.value;
  if (!(version instanceof asn1js.Integer) || !(alg instanceof asn1js.Sequence) || !(hashes instanceof asn1js.Sequence)) {
    fail('LDSSecurityObject fields are not version, hashAlgorithm, dataGroupHashValues');
  }
  let hashAlgorithmOid: string;
  try {
    hashAlgorithmOid = new pkijs.AlgorithmIdentifier({ schema: alg }).algorithmId;
  } catch (e) {
    return fail('hashAlgorithm does not parse', e);
  }
  const hashAlgorithm = DIGESTS[hashAlgorithmOid];
  if (!hashAlgorithm) throw new ReaderError('unsupported', 'EF.SOD: hash algorithm ' + hashAlgorithmOid + ' is not supported', { fileId: 0x1d });
  const dataGroupHashes = new Map<number, Uint8Array>();
  for (const entry of hashes.valueBlock.value) {
    const [n, h] = entry instanceof asn1js.Sequence ? entry.valueBlock.value : [];
    if (!(n instanceof asn1js.Integer) || !(h instanceof asn1js.OctetString)) fail('a DataGroupHash is not { INTEGER, OCTET STRING }');
    const dg = n.valueBlock.valueDec;
    if (dg < 1 || dg > 16) fail('data group number ' + dg + ' is out of range');
    if (dataGroupHashes.has(dg)) fail('DG' + dg + ' is listed twice');
    dataGroupHashes.set(dg, new Uint8Array(h.valueBlock.valueHexView));
  }
  const info: LdsSecurityObject = { version: version.valueBlock.valueDec, hashAlgorithmOid, hashAlgorithm, dataGroupHashes };
  if (versionInfo instanceof asn1js.Sequence) {
    const [lds, uni] = versionInfo.valueBlock.value;
    if (lds instanceof asn1js.PrintableString) info.ldsVersion = lds.valueBlock.value;
    if (uni instanceof asn1js.PrintableString) info.unicodeVersion = uni.valueBlock.value;
  }
  return info;
}

/** Parses EF.SOD bytes (with its 77 wrapper). */
export function parseSod(bytes: Uint8Array): Sod {
  const outer = readFileTlv(bytes, SOD_TAG, 'EF.SOD');
  let cms: ParsedSignedData;
  try {
    cms = parseSignedData(outer.value, 'EF.SOD');
  } catch (e) {
    if (e instanceof ReaderError) throw new ReaderError(e.code, e.message, { fileId: 0x1d, cause: e });
    throw e;
  }
  if (cms.eContentType !== OID.LDS_SECURITY_OBJECT) fail('content type ' + cms.eContentType + ' is not the LDSSecurityObject (2.23.136.1.1.1)');
  return { cms, lds: parseLdsSecurityObject(cms.eContent) };
}

export function hashLabel(sod: Sod): string {
  return digestLabel(sod.lds.hashAlgorithm);
}
