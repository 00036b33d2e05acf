// CMS SignedData (RFC 5652) with one signer, signed attributes content-type, message-digest and
// signing-time, as ICAO uses it for EF.SOD and CSCA master lists (Doc 9303 Part 10 and 12).

import { createHash, type KeyObject } from 'node:crypto';
import { encodeName, digestAlgorithm, signatureAlgorithm, signData, type DistinguishedName } from './pki';
import { explicit, implicit, integer, octets, oid, seq, setOf, time, tlv } from './der';
import type { SignatureKind } from './types';

export const CMS_OID = {
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  /** id-icao-mrtd-security-ldsSecurityObject */
  ldsSecurityObject: '2.23.136.1.1.1',
  /** id-icao-cscaMasterList */
  cscaMasterList: '2.23.136.1.1.2',
} as const;

export interface CmsSigner {
  certificate: Uint8Array;
  issuer: DistinguishedName;
  serial: Uint8Array;
  privateKey: KeyObject;
  kind: SignatureKind;
}

export interface SignedDataOptions {
  eContentType: string;
  eContent: Uint8Array;
  signer: CmsSigner;
  /** Certificates to embed (the signer's first). */
  certificates: Uint8Array[];
  signingTime: Date;
  /** Flip a byte of the signature value. */
  forgeSignature?: boolean;
  /** CRLs to embed ([1] IMPLICIT; a master list may carry its CSCAs' CRLs). */
  crls?: Uint8Array[];
}

/** ContentInfo { id-signedData, [0] SignedData } in DER. */
export function signedData(o: SignedDataOptions): Uint8Array {
  const digest = new Uint8Array(createHash('sha256').update(o.eContent).digest());
  const attributes = [
    seq(oid(CMS_OID.contentType), setOf(oid(o.eContentType))),
    seq(oid(CMS_OID.messageDigest), setOf(octets(digest))),
    seq(oid(CMS_OID.signingTime), setOf(time(o.signingTime))),
  ];
  const signedAttrs = setOf(...attributes); // the signature covers the SET OF encoding (tag 31)
  const signature = signData(o.signer.kind, o.signer.privateKey, signedAttrs);
  if (o.forgeSignature) signature[signature.length >> 1] ^= 0x01;
  const signerInfo = seq(
    integer(1),
    seq(encodeName(o.signer.issuer), integer(o.signer.serial)),
    digestAlgorithm(),
    implicit(0, signedAttrs), // [0] IMPLICIT SET OF Attribute
    signatureAlgorithm(o.signer.kind),
    octets(signature),
  );
  const sd = seq(
    integer(3),
    setOf(digestAlgorithm()),
    seq(oid(o.eContentType), explicit(0, octets(o.eContent))),
    tlv(0xa0, ...o.certificates),
    ...(o.crls && o.crls.length ? [tlv(0xa1, ...o.crls)] : []),
    setOf(signerInfo),
  );
  return seq(oid(CMS_OID.signedData), explicit(0, sd));
}
