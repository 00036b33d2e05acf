// `passport-reader trust list`: what the trust folder holds (CSCA certificates and CRLs).

import { loadTrustStore } from '../pa/trust-store.js';

export interface TrustListing {
  dir: string;
  certificates: { subject: string; notAfter: string; sha256: string }[];
  crls: number;
}

export async function listTrust(dir: string): Promise<TrustListing> {
  const store = await loadTrustStore(dir);
  const certificates = store.certificates.map((c) => ({ subject: c.subject.replace(/\n/g, ', '), notAfter: new Date(c.validTo).toISOString(), sha256: c.fingerprint256.replace(/:/g, '').toLowerCase() }));
  return { dir, certificates, crls: store.crls.length };
}

export function formatTrustListing(l: TrustListing): string {
  const lines = [l.dir + ': ' + l.certificates.length + ' certificate(s), ' + l.crls + ' CRL(s)'];
  for (const c of l.certificates) lines.push('  ' + c.subject + '  until ' + c.notAfter.slice(0, 10) + '  sha256 ' + c.sha256.slice(0, 16));
  return lines.join('\n') + '\n';
}
