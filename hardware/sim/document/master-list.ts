// CSCA master list (ICAO Doc 9303 Part 12, 9): CMS SignedData with eContentType
// id-icao-cscaMasterList over CscaMasterList ::= SEQUENCE { version INTEGER (0),
// certList SET OF Certificate }, signed by a master-list signer issued by one of the CSCAs.

import { CMS_OID, signedData } from './cms';
import { integer, seq, setOf } from './der';
import { issueSigner } from './document-factory';
import { OID } from './pki';
import type { Csca } from './types';

const DAY = 86_400_000;

export interface MasterListOptions {
  /** Flip a byte of the signature. */
  badSignature?: boolean;
  /** The CSCA that issues the master-list signer; default the first. */
  signerCsca?: Csca;
  now?: Date;
  /** Link certificates to list beside the CSCAs. */
  linkCertificates?: Uint8Array[];
  /** CRLs for the SignedData's crls field. */
  crls?: Uint8Array[];
}

export function encodeCscaMasterList(certificates: Uint8Array[]): Uint8Array {
  return seq(integer(0), setOf(...certificates));
}

/** The master list as a DER ContentInfo (what `openssl cms -verify -inform DER` reads). */
export async function createMasterList(cscas: Csca[], options: MasterListOptions = {}): Promise<Uint8Array> {
  if (!cscas.length) throw new Error('a master list needs at least one CSCA');
  const issuer = options.signerCsca ?? cscas[0];
  const now = options.now ?? new Date();
  const signer = issueSigner(issuer, issuer.signature, 'Utopia Test Master List Signer', {
    notBefore: new Date(now.getTime() - 30 * DAY),
    notAfter: new Date(now.getTime() + 5 * 365 * DAY),
  }, [OID.masterListSigning]);
  return signedData({
    eContentType: CMS_OID.cscaMasterList,
    eContent: encodeCscaMasterList([...cscas.map((c) => c.certificate), ...(options.linkCertificates ?? [])]),
    signer: { certificate: signer.certificate, issuer: issuer.subject, serial: signer.serial, privateKey: signer.privateKey, kind: signer.kind },
    certificates: [signer.certificate, issuer.certificate],
    signingTime: now,
    forgeSignature: options.badSignature,
    crls: options.crls,
  });
}
