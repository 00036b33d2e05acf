// The CSCA certificates passive authentication trusts: loaded from a folder of certificates
// (DER or PEM: .der .cer .crt .pem) and master lists (.ml), or from one such file.

import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { X509Certificate } from 'node:crypto';
import { ReaderError } from '../reader-error';
import { certificatesFromFile, loadCertificate, summarize, type CertificateSummary } from './certificates';
import { parseMasterList } from './master-list';

export const CERTIFICATE_EXTENSIONS = ['.der', '.cer', '.crt', '.pem'];
export const MASTER_LIST_EXTENSION = '.ml';

export function defaultTrustDir(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'passport-reader', 'trust');
}

export class TrustStore {
  readonly certificates: X509Certificate[] = [];
  /** Where the certificates came from (for reports). */
  readonly sources: string[] = [];
  private fingerprints = new Set<string>();

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

/** Certificates of one file: a master list (.ml, or any CMS SignedData file; verified first),
 * or DER/PEM certificates. */
export async function readTrustFile(path: string): Promise<Uint8Array[]> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new ReaderError('trust-store', 'cannot read ' + basename(path) + ': ' + (e as NodeJS.ErrnoException).code, { cause: e });
  }
  if (extname(path).toLowerCase() === MASTER_LIST_EXTENSION || isSignedData(bytes)) return parseMasterList(bytes).certificates;
  const certs = certificatesFromFile(bytes);
  for (const der of certs) loadCertificate(der, basename(path));
  return certs;
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
    ? (await readdir(path)).filter((f) => [...CERTIFICATE_EXTENSIONS, MASTER_LIST_EXTENSION].includes(extname(f).toLowerCase())).sort().map((f) => join(path, f))
    : [path];
  for (const file of files) {
    for (const der of await readTrustFile(file)) store.add(der, basename(file));
    store.sources.push(file);
  }
  return store;
}

export interface ImportResult {
  /** Certificates written (new to the folder). */
  added: CertificateSummary[];
  /** Certificates already present. */
  skipped: number;
  dir: string;
}

/** Imports a master list (verified) or certificate file into a trust folder as DER files named
 * by SHA-256 fingerprint. */
export async function importIntoTrustDir(file: string, dir: string = defaultTrustDir()): Promise<ImportResult> {
  const certs = await readTrustFile(file);
  await mkdir(dir, { recursive: true });
  const existing = await loadTrustStore(dir);
  const added: CertificateSummary[] = [];
  let skipped = 0;
  for (const der of certs) {
    if (!existing.add(der)) {
      skipped++;
      continue;
    }
    const summary = summarize(loadCertificate(der));
    await writeFile(join(dir, 'csca-' + summary.fingerprint.slice(0, 16) + '.der'), der);
    added.push(summary);
  }
  return { added, skipped, dir };
}
