// Passive authentication (ICAO 9303 Part 11 §5.1): the data groups hash to the values in EF.SOD,
// EF.SOD's signature verifies with its Document Signer certificate, and that certificate chains
// to a trusted CSCA. Never throws on bad documents: every failure is a field of the report.

import { createHash } from 'node:crypto';
import { ReaderError } from '../reader-error';
import { checkSigner, type SignerCheck } from './cms';
import { issuedBy, loadCertificate, summarize, validityAt, type CertificateSummary, type Validity } from './certificates';
import { digestLabel } from './oids';
import { parseSod, type Sod } from './sod';
import type { TrustStore } from './trust-store';

export type HashVerdict = 'match' | 'mismatch' | 'not-in-sod';

export interface DataGroupHashCheck {
  dataGroup: number;
  /** The host's own verdict (authoritative). */
  verdict: HashVerdict;
  /** What the device reported in file-end, when known. */
  device?: string;
}

export interface HashReport {
  /** ok: every data group read matches EF.SOD; mismatch: at least one differs; missing: a data
   * group read is not listed in EF.SOD; not-checked: no usable EF.SOD. */
  status: 'ok' | 'mismatch' | 'missing' | 'not-checked';
  algorithm: string | null;
  groups: DataGroupHashCheck[];
  mismatched: number[];
  notInSod: number[];
  /** Groups where the device's verdict differs from the host's. */
  deviceDisagrees: number[];
}

export interface SignatureReport {
  status: 'valid' | 'invalid';
  algorithm: string | null;
  messageDigest: boolean;
  contentType: boolean;
  /** The signing-time signed attribute, ISO 8601, when present. */
  signingTime: string | null;
  problems: string[];
}

export type DocumentSignerValidity = Validity | 'valid-at-signing';

export interface ChainReport {
  status: 'trusted' | 'untrusted' | 'no-trust-store';
  /** Why the chain is not trusted, in words. */
  reason: string | null;
  documentSigner: (CertificateSummary & { validity: DocumentSignerValidity }) | null;
  csca: (CertificateSummary & { validity: Validity }) | null;
}

export interface PassiveAuthenticationReport {
  /** hashes ok AND signature valid AND chain trusted. */
  verified: boolean;
  hashes: HashReport;
  signature: SignatureReport;
  chain: ChainReport;
  /** The data groups EF.SOD covers. */
  sodDataGroups: number[];
  /** Everything that went wrong, one sentence each. */
  problems: string[];
}

export interface PassiveAuthenticationInput {
  /** EF.SOD bytes (77 ...). */
  sod: Uint8Array | undefined;
  /** Data group bytes by number (1..16). */
  dataGroups: Map<number, Uint8Array> | Record<number, Uint8Array>;
  /** Device verdicts from file-end, by data group. */
  deviceVerdicts?: Map<number, string>;
  trustStore?: TrustStore | null;
  /** The time to check validity at (default: now). */
  now?: Date;
}

function entries(groups: PassiveAuthenticationInput['dataGroups']): [number, Uint8Array][] {
  const list = groups instanceof Map ? [...groups.entries()] : Object.entries(groups).map(([k, v]) => [Number(k), v] as [number, Uint8Array]);
  return list.filter(([g]) => g >= 1 && g <= 16).sort((a, b) => a[0] - b[0]);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function checkHashes(sod: Sod | null, input: PassiveAuthenticationInput): HashReport {
  const groups: DataGroupHashCheck[] = [];
  const report: HashReport = { status: 'not-checked', algorithm: null, groups, mismatched: [], notInSod: [], deviceDisagrees: [] };
  if (!sod) return report;
  report.algorithm = digestLabel(sod.lds.hashAlgorithm);
  for (const [dg, bytes] of entries(input.dataGroups)) {
    const expected = sod.lds.dataGroupHashes.get(dg);
    let verdict: HashVerdict = 'not-in-sod';
    if (expected) verdict = sameBytes(createHash(sod.lds.hashAlgorithm).update(bytes).digest(), expected) ? 'match' : 'mismatch';
    const device = input.deviceVerdicts?.get(dg);
    groups.push(device === undefined ? { dataGroup: dg, verdict } : { dataGroup: dg, verdict, device });
    if (verdict === 'mismatch') report.mismatched.push(dg);
    if (verdict === 'not-in-sod') report.notInSod.push(dg);
    if (device !== undefined && device !== verdict) report.deviceDisagrees.push(dg);
  }
  report.status = report.mismatched.length > 0 ? 'mismatch' : report.notInSod.length > 0 ? 'missing' : 'ok';
  return report;
}

function checkChain(signer: SignerCheck | null, input: PassiveAuthenticationInput, now: Date): ChainReport {
  const chain: ChainReport = { status: 'untrusted', reason: null, documentSigner: null, csca: null };
  if (!signer?.signerCertificate) {
    chain.reason = 'EF.SOD holds no Document Signer certificate';
    if (!input.trustStore) chain.status = 'no-trust-store';
    return chain;
  }
  let ds;
  try {
    ds = loadCertificate(signer.signerCertificate, 'Document Signer certificate');
  } catch (e) {
    chain.reason = (e as Error).message;
    return chain;
  }
  let dsValidity: DocumentSignerValidity = validityAt(ds, now);
  if (dsValidity === 'expired' && signer.signingTime && validityAt(ds, signer.signingTime) === 'valid') dsValidity = 'valid-at-signing';
  chain.documentSigner = { ...summarize(ds), validity: dsValidity };
  if (!input.trustStore) {
    chain.status = 'no-trust-store';
    chain.reason = 'no trust store was given: the Document Signer certificate cannot be checked';
    return chain;
  }
  const csca = input.trustStore.certificates.find((c) => issuedBy(ds, c));
  if (!csca) {
    chain.reason = 'no CSCA in the trust store issued the Document Signer certificate';
    return chain;
  }
  const cscaValidity = validityAt(csca, now);
  chain.csca = { ...summarize(csca), validity: cscaValidity };
  if (cscaValidity !== 'valid') chain.reason = 'the CSCA certificate is ' + cscaValidity;
  else if (dsValidity === 'expired') chain.reason = 'the Document Signer certificate is expired' + (signer.signingTime ? ' and was not valid at signing time' : ' and EF.SOD has no signing time');
  else if (dsValidity === 'not-yet-valid') chain.reason = 'the Document Signer certificate is not yet valid';
  else chain.status = 'trusted';
  return chain;
}

export function passiveAuthentication(input: PassiveAuthenticationInput): PassiveAuthenticationReport {
  const now = input.now ?? new Date();
  const problems: string[] = [];
  let sod: Sod | null = null;
  let signer: SignerCheck | null = null;
  const signature: SignatureReport = { status: 'invalid', algorithm: null, messageDigest: false, contentType: false, signingTime: null, problems: [] };
  if (!input.sod) {
    signature.problems.push('EF.SOD was not read');
  } else {
    try {
      sod = parseSod(input.sod);
      signer = checkSigner(sod.cms, 'EF.SOD');
      signature.algorithm = signer.algorithm;
      signature.messageDigest = signer.messageDigestValid;
      signature.contentType = signer.contentTypeValid;
      signature.signingTime = signer.signingTime ? signer.signingTime.toISOString() : null;
      signature.problems.push(...signer.problems);
      if (signer.signatureValid && signer.messageDigestValid && signer.contentTypeValid) signature.status = 'valid';
    } catch (e) {
      if (!(e instanceof ReaderError)) throw e;
      signature.problems.push(e.message);
    }
  }
  const hashes = checkHashes(sod, input);
  const chain = checkChain(signer, input, now);

  if (hashes.mismatched.length) problems.push('hash mismatch in ' + hashes.mismatched.map((g) => 'DG' + g).join(', '));
  if (hashes.notInSod.length) problems.push('not covered by EF.SOD: ' + hashes.notInSod.map((g) => 'DG' + g).join(', '));
  if (hashes.deviceDisagrees.length) problems.push('the device\'s hash verdict differs from the host\'s for ' + hashes.deviceDisagrees.map((g) => 'DG' + g).join(', '));
  for (const p of signature.problems) problems.push('signature: ' + p);
  if (chain.reason) problems.push('chain: ' + chain.reason);
  return {
    verified: hashes.status === 'ok' && signature.status === 'valid' && chain.status === 'trusted',
    hashes,
    signature,
    chain,
    sodDataGroups: sod ? [...sod.lds.dataGroupHashes.keys()].sort((a, b) => a - b) : [],
    problems,
  };
}
