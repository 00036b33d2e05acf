// EF.SOD: 77 { ContentInfo SignedData over an LDSSecurityObject } (ICAO Doc 9303 Part 10, 4.6.2).
//   LDSSecurityObject ::= SEQUENCE { version INTEGER (0), hashAlgorithm AlgorithmIdentifier,
//                                    dataGroupHashValues SEQUENCE OF DataGroupHash }
//   DataGroupHash ::= SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING }

import { createHash } from 'node:crypto';
import { CMS_OID, signedData, type CmsSigner } from './cms';
import { integer, octets, seq, tlv } from './der';
import { digestAlgorithm } from './pki';

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** The LDSSecurityObject (version 0, SHA-256) over the given data groups (number -> file). */
export function ldsSecurityObject(dataGroups: Map<number, Uint8Array>): Uint8Array {
  const numbers = [...dataGroups.keys()].sort((a, b) => a - b);
  return seq(integer(0), digestAlgorithm(), seq(...numbers.map((n) => seq(integer(n), octets(sha256(dataGroups.get(n)!))))));
}

export interface SodOptions {
  signer: CmsSigner;
  signingTime: Date;
  forgeSignature?: boolean;
}

export function encodeSod(dataGroups: Map<number, Uint8Array>, o: SodOptions): Uint8Array {
  const cms = signedData({
    eContentType: CMS_OID.ldsSecurityObject,
    eContent: ldsSecurityObject(dataGroups),
    signer: o.signer,
    certificates: [o.signer.certificate],
    signingTime: o.signingTime,
    forgeSignature: o.forgeSignature,
  });
  return tlv(0x77, cms);
}

/** The CMS ContentInfo inside an EF.SOD (strips the 77 wrapper). */
export function unwrapSod(sod: Uint8Array): Uint8Array {
  if (sod[0] !== 0x77) throw new Error('not an EF.SOD');
  let p = 1;
  let len = sod[p++];
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + sod[p++];
  }
  return sod.slice(p, p + len);
}
