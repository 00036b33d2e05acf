// ICAO CSCA master list (9303 Part 12 §9): CMS SignedData, eContentType 2.23.136.1.1.2, over
//   CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }
// Accepted only when its own signature verifies with the embedded master-list signer
// certificate and that signer chains to one of the CSCAs in the list (self-consistency).

import * as asn1js from 'asn1js';
import type { X509Certificate } from 'node:crypto';
import { ReaderError } from '../reader-error.js';
import { checkSigner, fromBerSafe, parseSignedData } from './cms.js';
import { issuedBy, loadCertificate, summarize, type CertificateSummary } from './certificates.js';
import { OID } from './oids.js';

export interface MasterList {
  version: number;
  /** The CSCA (and link) certificates, exact DER. */
  certificates: Uint8Array[];
  /** CRLs the list's SignedData carries, exact DER (checked against their issuer when used). */
  crls: Uint8Array[];
  signer: CertificateSummary;
  /** The CSCA in the list that issued the signer certificate. */
  signerIssuer: CertificateSummary;
}

function reject(message: string, cause?: unknown): never {
  throw new ReaderError('trust-store', 'master list rejected: ' + message, { cause });
}

export function parseMasterList(bytes: Uint8Array): MasterList {
  let cms;
  try {
    cms = parseSignedData(bytes, 'master list');
  } catch (e) {
    return reject((e as Error).message, e);
  }
  if (cms.eContentType !== OID.CSCA_MASTER_LIST) reject('content type ' + cms.eContentType + ' is not a CSCA master list (2.23.136.1.1.2)');
  const asn1 = fromBerSafe(cms.eContent.slice().buffer as ArrayBuffer);
  if (asn1.offset === -1 || !(asn1.result instanceof asn1js.Sequence)) reject('CscaMasterList is not a SEQUENCE');
  const [version, certList] = asn1.result.valueBlock.value;
  if (!(version instanceof asn1js.Integer) || !(certList instanceof asn1js.Set)) reject('CscaMasterList is not { version, certList }');
  const certificates = certList.valueBlock.value.map((c) => new Uint8Array(c.valueBeforeDecodeView));
  if (certificates.length === 0) reject('the list holds no certificate');
  const cscas: X509Certificate[] = certificates.map((der, i) => {
    try {
      return loadCertificate(der, 'certificate ' + (i + 1));
    } catch (e) {
      return reject((e as Error).message, e);
    }
  });

  let check;
  try {
    check = checkSigner(cms, 'master list');
  } catch (e) {
    return reject((e as Error).message, e);
  }
  if (!check.signerCertificate) reject('no signer certificate is embedded');
  if (!check.messageDigestValid || !check.contentTypeValid || !check.signatureValid) reject(check.problems.join('; '));
  let signer: X509Certificate;
  try {
    signer = loadCertificate(check.signerCertificate, 'master list signer certificate');
  } catch (e) {
    return reject((e as Error).message, e);
  }
  const issuer = cscas.find((c) => issuedBy(signer, c));
  if (!issuer) reject('its signer certificate was not issued by any CSCA in the list');
  return { version: version.valueBlock.valueDec, certificates, crls: cms.crls, signer: summarize(signer), signerIssuer: summarize(issuer) };
}
