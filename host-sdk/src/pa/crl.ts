// Certificate revocation lists (RFC 5280 §5) as a CSCA publishes them: parsed with pkijs, their
// signature checked with node:crypto against the CSCA that issued them (brainpool included), and
// asked whether they list a certificate.

import type { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { ReaderError } from '../reader-error.js';
import { verifyWithKey } from './cms.js';

export interface Crl {
  /** Exact DER. */
  der: Uint8Array;
  crl: pkijs.CertificateRevocationList;
  /** The issuer name, for reports. */
  issuer: string;
}

function rdnText(names: pkijs.RelativeDistinguishedNames): string {
  const short: Record<string, string> = { '2.5.4.6': 'C', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.3': 'CN', '2.5.4.5': 'serialNumber' };
  return names.typesAndValues.map((tv) => (short[tv.type] ?? tv.type) + '=' + tv.value.valueBlock.value).join(', ');
}

export function parseCrl(der: Uint8Array, what = 'CRL'): Crl {
  try {
    const crl = pkijs.CertificateRevocationList.fromBER(der.slice().buffer as ArrayBuffer);
    return { der, crl, issuer: rdnText(crl.issuer) };
  } catch (e) {
    throw new ReaderError('trust-store', what + ' does not parse as a CRL: ' + (e as Error).message, { cause: e });
  }
}

function pkijsOf(cert: X509Certificate): pkijs.Certificate {
  return pkijs.Certificate.fromBER(new Uint8Array(cert.raw).buffer as ArrayBuffer);
}

/** The CRL was issued by `issuer`: its issuer name is the certificate's subject and its
 * signature verifies with the certificate's key. */
export function crlIssuedBy(c: Crl, issuer: X509Certificate): boolean {
  try {
    if (!pkijsOf(issuer).subject.isEqual(c.crl.issuer)) return false;
    const signature = new Uint8Array(c.crl.signatureValue.valueBlock.valueHexView);
    return verifyWithKey(issuer.publicKey, c.crl.signatureAlgorithm, '', c.crl.tbsView, signature).valid;
  } catch {
    return false;
  }
}

/** The revocation date when the CRL lists `cert` (by serial number; the caller has checked that
 * the CRL comes from the certificate's issuer), else null. */
export function revocationOf(c: Crl, cert: X509Certificate): Date | null {
  const serial = pkijsOf(cert).serialNumber;
  const entry = c.crl.revokedCertificates?.find((r) => r.userCertificate.isEqual(serial));
  return entry ? entry.revocationDate.value : null;
}

/** Whether a certificate's revocation was checked against a CRL that is still current:
 * `no-crl` (the trust store has no CRL of its issuer), `stale` (the newest one's nextUpdate has
 * passed: a newer CRL is due and may list it; 9303-12 §7.1.4 has CSCAs issue one at least every 90
 * days), `current`. */
export type RevocationStatus = 'current' | 'stale' | 'no-crl';

/** The status from the CRLs of the certificate's issuer, judged by the newest (latest thisUpdate),
 * and that CRL's nextUpdate (ISO) when it has one. */
export function revocationStatus(issuerCrls: Crl[], now: Date): { status: RevocationStatus; nextUpdate: string | null } {
  if (!issuerCrls.length) return { status: 'no-crl', nextUpdate: null };
  const newest = issuerCrls.reduce((a, b) => (b.crl.thisUpdate.value > a.crl.thisUpdate.value ? b : a));
  const next = newest.crl.nextUpdate?.value ?? null;
  return { status: next && next < now ? 'stale' : 'current', nextUpdate: next ? next.toISOString() : null };
}
