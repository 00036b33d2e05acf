// `passport-reader trust remove <subject|fingerprint>`: takes one CSCA out of the trust folder.
// The argument is a SHA-256 fingerprint (or its first 8+ hex digits, colons allowed, as `trust
// list` prints it) or text found in the subject. More than one certificate matching is refused
// (a wrong removal would make good passports fail); so is a certificate that sits in a master
// list with others (the file cannot be cut). CRLs that only the removed certificate issued go
// with it: the trust store refuses a CRL whose issuer it does not hold.

import { readdir, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ReaderError } from '../reader-error.js';
import { loadCertificate } from '../pa/certificates.js';
import { crlIssuedBy, parseCrl } from '../pa/crl.js';
import { CERTIFICATE_EXTENSIONS, CRL_EXTENSION, MASTER_LIST_EXTENSION, readTrustFileWithCrls } from '../pa/trust-store.js';

export interface TrustRemoval {
  dir: string;
  subject: string;
  sha256: string;
  /** Files deleted: the certificate's, and CRLs it alone issued. */
  removed: string[];
}

interface Entry {
  file: string;
  certs: { subject: string; sha256: string; der: Uint8Array }[];
  crls: Uint8Array[];
}

const fingerprintOf = (text: string) => text.replace(/:/g, '').toLowerCase();

async function entries(dir: string): Promise<Entry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ReaderError('trust-store', 'trust folder ' + dir + (code === 'ENOENT' ? ' does not exist' : ' cannot be read (' + code + ')') + ': give the folder with --trust DIR, or import a CSCA first with "trust import FILE"', { cause: e });
  }
  const out: Entry[] = [];
  for (const name of names.sort()) {
    if (![...CERTIFICATE_EXTENSIONS, MASTER_LIST_EXTENSION, CRL_EXTENSION].includes(extname(name).toLowerCase())) continue;
    const content = await readTrustFileWithCrls(join(dir, name));
    const certs = content.certificates.map((der) => {
      const c = loadCertificate(der, name);
      return { subject: c.subject.replace(/\n/g, ', '), sha256: fingerprintOf(c.fingerprint256), der };
    });
    out.push({ file: name, certs, crls: content.crls });
  }
  return out;
}

export async function removeFromTrustDir(what: string, dir: string): Promise<TrustRemoval> {
  const all = await entries(dir);
  const hex = fingerprintOf(what);
  const byFingerprint = /^[0-9a-f]{8,64}$/.test(hex);
  const matches = new Map<string, { subject: string; sha256: string; der: Uint8Array }>();
  for (const e of all) {
    for (const c of e.certs) {
      const hit = byFingerprint ? c.sha256.startsWith(hex) : c.subject.toLowerCase().includes(what.toLowerCase());
      if (hit) matches.set(c.sha256, c);
    }
  }
  if (matches.size === 0) {
    throw new ReaderError('invalid-argument', 'no certificate in ' + dir + ' has ' + (byFingerprint ? 'a SHA-256 fingerprint starting ' + hex : 'a subject containing "' + what + '"') + '; "passport-reader trust list" shows each subject and fingerprint');
  }
  if (matches.size > 1) {
    const list = [...matches.values()].map((c) => c.subject + ' (sha256 ' + c.sha256.slice(0, 16) + ')').join('; ');
    throw new ReaderError('invalid-argument', matches.size + ' certificates match "' + what + '": ' + list + '; nothing removed: give the SHA-256 fingerprint of the one to remove');
  }
  const target = [...matches.values()][0];
  const holders = all.filter((e) => e.certs.some((c) => c.sha256 === target.sha256));
  const shared = holders.find((e) => e.certs.some((c) => c.sha256 !== target.sha256));
  if (shared) {
    throw new ReaderError('invalid-argument', target.subject + ' is in ' + shared.file + ' together with ' + (shared.certs.length - 1) + ' other certificate(s); nothing removed: delete that file and import the certificates you keep one by one');
  }
  // CRLs that no remaining certificate issued would make the whole folder refused.
  const remaining = all.filter((e) => !holders.includes(e)).flatMap((e) => e.certs.map((c) => loadCertificate(c.der)));
  const orphanCrls = all.filter((e) => e.certs.length === 0 && e.crls.length > 0 && e.crls.every((der) => {
    const crl = parseCrl(der, e.file);
    return !remaining.some((c) => crlIssuedBy(crl, c));
  }));
  const removed = [...holders, ...orphanCrls].map((e) => e.file);
  for (const file of removed) await unlink(join(dir, file));
  return { dir, subject: target.subject, sha256: target.sha256, removed };
}
