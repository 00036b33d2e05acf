// The CSCA certificates passive authentication trusts, and the CRLs it applies: loaded from a
// folder of certificates (DER or PEM: .der .cer .crt .pem), master lists (.ml, with any CRLs
// they carry) and CRLs (.crl), or from one such file. A CRL is accepted only when a certificate
// of the store issued it (its signature verifies).

import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { createHash, type X509Certificate } from 'node:crypto';
import { ReaderError } from '../reader-error.js';
import { certificatesFromFile, loadCertificate, summarize, type CertificateSummary } from './certificates.js';
import { crlIssuedBy, parseCrl, type Crl } from './crl.js';
import { parseMasterList } from './master-list.js';

export const CERTIFICATE_EXTENSIONS = ['.der', '.cer', '.crt', '.pem'];
export const MASTER_LIST_EXTENSION = '.ml';
export const CRL_EXTENSION = '.crl';

export function defaultTrustDir(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'passport-reader', 'trust');
}

export class TrustStore {
  readonly certificates: X509Certificate[] = [];
  /** Where the certificates came from (for reports). */
  readonly sources: string[] = [];
  readonly crls: Crl[] = [];
  private fingerprints = new Set<string>();

  /** Adds a CRL (DER); `checkCrls` says whether every CRL has its issuer in the store. */
  addCrl(der: Uint8Array, what = 'CRL'): void {
    const crl = parseCrl(der, what);
    if (!this.crls.some((c) => Buffer.compare(c.der, der) === 0)) this.crls.push(crl);
  }

  /** Throws 'trust-store' when a CRL was not issued by any certificate of the store. */
  checkCrls(): void {
    for (const crl of this.crls) {
      if (!this.certificates.some((c) => crlIssuedBy(crl, c))) {
        throw new ReaderError('trust-store', 'CRL of ' + crl.issuer + ' rejected: no certificate in the trust store issued it');
      }
    }
  }

  /** Adds one certificate; false when it was already there. */
  add(der: Uint8Array, what = 'certificate'): boolean {
    const cert = loadCertificate(der, what);
    if (this.fingerprints.has(cert.fingerprint256)) return false;
    this.fingerprints.add(cert.fingerprint256);
    this.certificates.push(cert);
    return true;
  }

  get size(): number {
    return this.certificates.length;
  }

  list(): CertificateSummary[] {
    return this.certificates.map(summarize);
  }
}

/** DER of OID 1.2.840.113549.1.7.2 (signedData), as a ContentInfo starts with it. */
const SIGNED_DATA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/** A CMS SignedData ContentInfo (a master list saved as .der or .bin), by its first bytes. */
export function isSignedData(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x30) return false;
  const head = bytes.subarray(0, 16);
  for (let i = 0; i + SIGNED_DATA_OID.length <= head.length; i++) {
    if (SIGNED_DATA_OID.every((b, k) => head[i + k] === b)) return true;
  }
  return false;
}

export interface TrustFile {
  certificates: Uint8Array[];
  crls: Uint8Array[];
}

/** Certificates and CRLs of one file: a master list (.ml, or any CMS SignedData file; verified
 * first), a CRL (.crl), or DER/PEM certificates. */
export async function readTrustFileWithCrls(path: string): Promise<TrustFile> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new ReaderError('trust-store', 'cannot read ' + basename(path) + ': ' + (e as NodeJS.ErrnoException).code, { cause: e });
  }
  if (extname(path).toLowerCase() === CRL_EXTENSION) {
    parseCrl(bytes, basename(path));
    return { certificates: [], crls: [bytes] };
  }
  if (extname(path).toLowerCase() === MASTER_LIST_EXTENSION || isSignedData(bytes)) {
    const ml = parseMasterList(bytes);
    return { certificates: ml.certificates, crls: ml.crls };
  }
  const certs = certificatesFromFile(bytes);
  for (const der of certs) loadCertificate(der, basename(path));
  return { certificates: certs, crls: [] };
}

/** Certificates of one file (see readTrustFileWithCrls). */
export async function readTrustFile(path: string): Promise<Uint8Array[]> {
  return (await readTrustFileWithCrls(path)).certificates;
}

/** Loads a trust store from a folder (every certificate and master list in it) or one file. */
export async function loadTrustStore(path: string): Promise<TrustStore> {
  const store = new TrustStore();
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new ReaderError('trust-store', 'trust store ' + path + ' does not exist', { cause: e });
  }
  const files = info.isDirectory()
    ? (await readdir(path)).filter((f) => [...CERTIFICATE_EXTENSIONS, MASTER_LIST_EXTENSION, CRL_EXTENSION].includes(extname(f).toLowerCase())).sort().map((f) => join(path, f))
    : [path];
  for (const file of files) {
    const content = await readTrustFileWithCrls(file);
    for (const der of content.certificates) store.add(der, basename(file));
    for (const der of content.crls) store.addCrl(der, basename(file));
    store.sources.push(file);
  }
  store.checkCrls();
  return store;
}

export interface ImportResult {
  /** Certificates written (new to the folder). */
  added: CertificateSummary[];
  /** Certificates already present. */
  skipped: number;
  /** CRLs written (new to the folder). */
  crls: number;
  dir: string;
}

/** Imports a master list (verified; with its CRLs), certificate file or CRL into a trust folder:
 * certificates as DER files named by SHA-256 fingerprint, CRLs likewise. A CRL that no
 * certificate of the folder (after the import) issued is rejected before anything is written. */
export async function importIntoTrustDir(file: string, dir: string = defaultTrustDir()): Promise<ImportResult> {
  const content = await readTrustFileWithCrls(file);
  await mkdir(dir, { recursive: true });
  const existing = await loadTrustStore(dir);
  const known = existing.crls.length;
  const newCerts = content.certificates.filter((der) => existing.add(der));
  for (const der of content.crls) existing.addCrl(der, basename(file));
  existing.checkCrls();
  const added: CertificateSummary[] = [];
  for (const der of newCerts) {
    const summary = summarize(loadCertificate(der));
    await writeFile(join(dir, 'csca-' + summary.fingerprint.slice(0, 16) + '.der'), der);
    added.push(summary);
  }
  const newCrls = existing.crls.slice(known);
  for (const crl of newCrls) {
    await writeFile(join(dir, 'crl-' + createHash('sha256').update(crl.der).digest('hex').slice(0, 16) + CRL_EXTENSION), crl.der);
  }
  return { added, skipped: content.certificates.length - newCerts.length, crls: newCrls.length, dir };
}
