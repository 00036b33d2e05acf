// LDS1 elementary files that encode (JMRTD style): EF.COM, DG1, DG11, DG12, DG14, DG15. DG2 has its
// own file (dg2.ts), EF.SOD too (sod.ts). ICAO Doc 9303 Part 10.

import { ascii, integer, oid, seq, setOf, tlv } from './der';

/** Data group number -> LDS tag (EF.COM tag list, first tag of each DG). */
export const DG_TAGS: { [dg: number]: number } = {
  1: 0x61, 2: 0x75, 3: 0x63, 4: 0x76, 5: 0x65, 6: 0x66, 7: 0x67, 8: 0x68,
  9: 0x69, 10: 0x6a, 11: 0x6b, 12: 0x6c, 13: 0x6d, 14: 0x6e, 15: 0x6f, 16: 0x70,
};

/** EF.COM: 60 { 5F01 LDS version, 5F36 Unicode version, 5C tag list }. */
export function encodeEfCom(dataGroups: number[], ldsVersion = '0107', unicodeVersion = '040000'): Uint8Array {
  const tags = Uint8Array.from(dataGroups.map((dg) => DG_TAGS[dg]));
  return tlv(0x60, tlv(0x5f01, ascii(ldsVersion)), tlv(0x5f36, ascii(unicodeVersion)), tlv(0x5c, tags));
}

/** DG1: 61 { 5F1F MRZ characters without line breaks }. */
export function encodeDg1(mrzLines: string[]): Uint8Array {
  return tlv(0x61, tlv(0x5f1f, ascii(mrzLines.join(''))));
}

/** DG15: 6F { SubjectPublicKeyInfo of the Active Authentication key }. */
export function encodeDg15(subjectPublicKeyInfo: Uint8Array): Uint8Array {
  return tlv(0x6f, subjectPublicKeyInfo);
}

/** id-AA (9303-11 §9.2.5) and the BSI TR-03111 ecdsa-plain signature OIDs by hash. */
export const ID_AA = '2.23.136.1.1.5';
export const ECDSA_PLAIN_OIDS = {
  sha1: '0.4.0.127.0.7.1.1.4.1.1',
  sha224: '0.4.0.127.0.7.1.1.4.1.2',
  sha256: '0.4.0.127.0.7.1.1.4.1.3',
  sha384: '0.4.0.127.0.7.1.1.4.1.4',
  sha512: '0.4.0.127.0.7.1.1.4.1.5',
} as const;

/** DG14: 6E { SET OF SecurityInfo } holding one ActiveAuthenticationInfo
 * { id-AA, version 1, signatureAlgorithm }, which names the ECDSA hash of Active Authentication. */
export function encodeDg14ActiveAuth(hash: keyof typeof ECDSA_PLAIN_OIDS): Uint8Array {
  return tlv(0x6e, setOf(seq(oid(ID_AA), integer(1), oid(ECDSA_PLAIN_OIDS[hash]))));
}

const utf8 = new TextEncoder();

/** DG11 (additional personal details): 6B { 5C tag list, 5F0E full name, 5F11 place of birth }. */
export function encodeDg11(fullName: string, placeOfBirth: string): Uint8Array {
  return tlv(0x6b, tlv(0x5c, Uint8Array.of(0x5f, 0x0e, 0x5f, 0x11)), tlv(0x5f0e, utf8.encode(fullName)), tlv(0x5f11, utf8.encode(placeOfBirth)));
}

/** DG12 (additional document details): 6C { 5C tag list, 5F19 issuing authority, 5F26 date of issue YYYYMMDD }. */
export function encodeDg12(issuingAuthority: string, dateOfIssue: string): Uint8Array {
  return tlv(0x6c, tlv(0x5c, Uint8Array.of(0x5f, 0x19, 0x5f, 0x26)), tlv(0x5f19, utf8.encode(issuingAuthority)), tlv(0x5f26, ascii(dateOfIssue)));
}
