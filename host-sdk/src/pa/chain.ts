// Document Signer → CSCA chain (ICAO 9303-11 §5.1, 9303-12): a path of any length through the
// trust store's certificates (link certificates are CSCA certificates issued by an earlier CSCA
// key) to a self-signed CSCA; the Document Signer valid at the signing time, every CA
// certificate of the path valid now, none listed in a CRL of its issuer (9303-12 §7.1.4).
// Signatures are checked with node:crypto, which knows the brainpool curves webcrypto lacks.

import type { X509Certificate } from 'node:crypto';
import { issuedBy, loadCertificate, summarize, validityAt, type CertificateSummary, type Validity } from './certificates.js';
import { crlIssuedBy, revocationOf, revocationStatus, type RevocationStatus } from './crl.js';
import type { TrustStore } from './trust-store.js';
import { reason, type VerdictReason } from './verdict-reasons.js';

/** Longest path tried (DS, link certificates, CSCA). */
const MAX_PATH = 8;

export type DocumentSignerValidity = Validity | 'valid-at-signing';

export interface ChainReport {
  status: 'trusted' | 'untrusted' | 'no-trust-store';
  /** Why the chain is not trusted, in words. */
  reason: string | null;
  documentSigner: (CertificateSummary & { validity: DocumentSignerValidity }) | null;
  /** The self-signed CSCA the path ends at. */
  csca: (CertificateSummary & { validity: Validity }) | null;
  /** Certificates between the Document Signer and the CSCA (link certificates), DS side first. */
  links: (CertificateSummary & { validity: Validity })[];
  /** Certificates of the path found in a CRL of their issuer. */
  revoked: { subject: string; serialNumber: string; revokedAt: string }[];
  /** Per certificate of the path below the CSCA (Document Signer first): whether the trust store
   * has a current CRL of its issuer (crl.ts, RevocationStatus). Reported, not a verdict reason:
   * whether a missing or stale CRL should fail a read is the integrator's policy. */
  revocation: { subject: string; status: RevocationStatus; crlNextUpdate: string | null }[];
}

function selfSigned(c: X509Certificate): boolean {
  return issuedBy(c, c);
}

/** Every path from `cert` to a self-signed certificate of `pool`, shortest first. */
function paths(cert: X509Certificate, pool: X509Certificate[]): X509Certificate[][] {
  const found: X509Certificate[][] = [];
  let frontier: X509Certificate[][] = [[cert]];
  while (frontier.length && found.length === 0) {
    const next: X509Certificate[][] = [];
    for (const path of frontier) {
      const last = path[path.length - 1];
      for (const issuer of pool) {
        if (path.some((c) => c.fingerprint256 === issuer.fingerprint256) || !issuedBy(last, issuer)) continue;
        const longer = [...path, issuer];
        if (selfSigned(issuer)) found.push(longer);
        else if (longer.length < MAX_PATH) next.push(longer);
      }
    }
    frontier = next;
  }
  return found;
}

export interface ChainResult {
  report: ChainReport;
  reasons: VerdictReason[];
}

export function checkChain(signerCertificate: Uint8Array | null, signingTime: Date | null, store: TrustStore | null | undefined, now: Date): ChainResult {
  const report: ChainReport = { status: 'untrusted', reason: null, documentSigner: null, csca: null, links: [], revoked: [], revocation: [] };
  const fail = (r: VerdictReason): ChainResult => {
    report.reason = r.message;
    return { report, reasons: [r] };
  };
  if (!signerCertificate) {
    if (!store) report.status = 'no-trust-store';
    return fail(reason('chain-untrusted', 'EF.SOD holds no Document Signer certificate'));
  }
  let ds: X509Certificate;
  try {
    ds = loadCertificate(signerCertificate, 'Document Signer certificate');
  } catch (e) {
    return fail(reason('chain-untrusted', (e as Error).message));
  }
  const atSigning = validityAt(ds, signingTime ?? now);
  const nowValidity = validityAt(ds, now);
  const dsValidity: DocumentSignerValidity = atSigning === 'valid' && nowValidity === 'expired' ? 'valid-at-signing' : atSigning;
  report.documentSigner = { ...summarize(ds), validity: dsValidity };
  if (!store) {
    report.status = 'no-trust-store';
    return fail(reason('no-trust-store', 'no trust store was given: the Document Signer certificate cannot be checked'));
  }
  const found = paths(ds, store.certificates);
  if (!found.length) return fail(reason('chain-untrusted', 'no CSCA in the trust store issued the Document Signer certificate'));
  // Prefer a path whose CA certificates are all valid now.
  const path = found.find((p) => p.slice(1).every((c) => validityAt(c, now) === 'valid')) ?? found[0];
  const cas = path.slice(1).map((c) => ({ ...summarize(c), validity: validityAt(c, now) }));
  report.csca = cas[cas.length - 1];
  report.links = cas.slice(0, -1);

  const reasons: VerdictReason[] = [];
  if (atSigning !== 'valid') {
    const when = signingTime ? 'at the signing time' : 'now (EF.SOD has no signing time)';
    reasons.push(reason(atSigning === 'expired' ? 'certificate-expired' : 'certificate-not-yet-valid', 'the Document Signer certificate is ' + atSigning + ' ' + when));
  }
  cas.forEach((ca, i) => {
    const what = i === cas.length - 1 ? 'the CSCA certificate' : 'the link certificate ' + ca.subject;
    if (ca.validity !== 'valid') reasons.push(reason(ca.validity === 'expired' ? 'certificate-expired' : 'certificate-not-yet-valid', what + ' is ' + ca.validity));
  });
  for (let i = 0; i + 1 < path.length; i++) {
    const s = summarize(path[i]);
    const issuerCrls = store.crls.filter((crl) => crlIssuedBy(crl, path[i + 1]));
    const { status, nextUpdate } = revocationStatus(issuerCrls, now);
    report.revocation.push({ subject: s.subject, status, crlNextUpdate: nextUpdate });
    for (const crl of issuerCrls) {
      const at = revocationOf(crl, path[i]);
      if (!at) continue;
      report.revoked.push({ subject: s.subject, serialNumber: s.serialNumber, revokedAt: at.toISOString() });
      reasons.push(reason('certificate-revoked', (i === 0 ? 'the Document Signer certificate' : 'the link certificate ' + s.subject) + ' was revoked on ' + at.toISOString().slice(0, 10)));
    }
  }
  if (reasons.length) {
    report.reason = reasons.map((r) => r.message).join('; ');
    return { report, reasons };
  }
  report.status = 'trusted';
  return { report, reasons };
}

