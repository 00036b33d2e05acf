// Certificate facts for reports and chain building, over node:crypto's X509Certificate.

import { X509Certificate } from 'node:crypto';
import { ReaderError } from '../reader-error.js';

export type Validity = 'valid' | 'expired' | 'not-yet-valid';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 fingerprint, hex. */
  fingerprint: string;
}

export function loadCertificate(der: Uint8Array | string, what = 'certificate'): X509Certificate {
  try {
    return new X509Certificate(typeof der === 'string' ? der : Buffer.from(der));
  } catch (e) {
    throw new ReaderError('malformed-data', what + ' does not parse: ' + (e as Error).message, { cause: e });
  }
}

/** ISO 8601 of an X509Certificate date, or the text as it is when it is not a date (OpenSSL
 * loads certificates whose validity does not parse as a date). */
function isoDate(text: string): string {
  const t = Date.parse(text);
  return Number.isNaN(t) ? text : new Date(t).toISOString();
}

export function summarize(cert: X509Certificate): CertificateSummary {
  return {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    serialNumber: cert.serialNumber,
    notBefore: isoDate(cert.validFrom),
    notAfter: isoDate(cert.validTo),
    fingerprint: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

export function validityAt(cert: X509Certificate, at: Date): Validity {
  // Negated so that a validity date that does not parse (NaN) is never 'valid'.
  if (!(at.getTime() >= new Date(cert.validFrom).getTime())) return 'not-yet-valid';
  if (!(at.getTime() <= new Date(cert.validTo).getTime())) return 'expired';
  return 'valid';
}

/** `issuer` issued `cert`: names chain and the signature verifies with the issuer's key. */
export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** PEM blocks or one DER certificate from a file's bytes. */
export function certificatesFromFile(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    return blocks.map((b) => new Uint8Array(Buffer.from(b.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64')));
  }
  return [bytes];
}
