// Passive authentication (ICAO 9303 Part 11 §5.1): the data groups hash to the values in EF.SOD,
// EF.SOD's signature verifies with its Document Signer certificate, and that certificate chains
// to a trusted CSCA (chain.ts). Strict: DG1 must be among the groups, and every failure is a
// reason with a stable code (verdict-reasons.ts). Never throws on bad documents.

import { createHash } from 'node:crypto';
import { ReaderError } from '../reader-error.js';
import { checkChain, type ChainReport } from './chain.js';
import { checkSigner, type SignerCheck } from './cms.js';
import { digestLabel } from './oids.js';
import { parseSod, type Sod } from './sod.js';
import type { TrustStore } from './trust-store.js';
import { reason, type VerdictReason } from './verdict-reasons.js';

export type { ChainReport, DocumentSignerValidity } from './chain.js';

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

export interface PassiveAuthenticationReport {
  /** No reason: EF.SOD signature valid, chain trusted, DG1 read, every group read matches. */
  verified: boolean;
  /** Why not verified, each with a stable code (verdict-reasons.ts). */
  reasons: VerdictReason[];
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

export function passiveAuthentication(input: PassiveAuthenticationInput): PassiveAuthenticationReport {
  const now = input.now ?? new Date();
  const problems: string[] = [];
  const reasons: VerdictReason[] = [];
  let sod: Sod | null = null;
  let signer: SignerCheck | null = null;
  const signature: SignatureReport = { status: 'invalid', algorithm: null, messageDigest: false, contentType: false, signingTime: null, problems: [] };
  if (!input.sod || input.sod.length === 0) {
    signature.problems.push('EF.SOD was not read');
    reasons.push(reason('no-security-object', input.sod ? 'the chip gave EF.SOD empty' : 'EF.SOD was not read'));
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
      else reasons.push(reason('signature-invalid', 'EF.SOD: ' + (signer.problems.join('; ') || 'the signature does not verify')));
    } catch (e) {
      if (!(e instanceof ReaderError)) throw e;
      signature.problems.push(e.message);
      reasons.push(reason('security-object-malformed', e.message));
    }
  }
  const hashes = checkHashes(sod, input);
  const chain = checkChain(signer?.signerCertificate ?? null, signer?.signingTime ?? null, input.trustStore, now);
  if (signer) reasons.push(...chain.reasons);

  const dg1 = entries(input.dataGroups).some(([g]) => g === 1);
  if (!dg1) reasons.push(reason('dg1-missing', 'DG1 was not read: the document is not identified', [1]));
  if (hashes.mismatched.length) reasons.push(reason('hash-mismatch', 'hash mismatch in ' + groupList(hashes.mismatched), hashes.mismatched));
  if (hashes.notInSod.length && sod) reasons.push(reason('hash-not-in-sod', 'not covered by EF.SOD: ' + groupList(hashes.notInSod), hashes.notInSod));

  if (hashes.mismatched.length) problems.push('hash mismatch in ' + groupList(hashes.mismatched));
  if (hashes.notInSod.length) problems.push('not covered by EF.SOD: ' + groupList(hashes.notInSod));
  if (hashes.deviceDisagrees.length) problems.push('the device\'s hash verdict differs from the host\'s for ' + groupList(hashes.deviceDisagrees));
  for (const p of signature.problems) problems.push('signature: ' + p);
  if (chain.report.reason) problems.push('chain: ' + chain.report.reason);
  if (!dg1) problems.push('DG1 was not read');
  return {
    verified: reasons.length === 0,
    reasons,
    hashes,
    signature,
    chain: chain.report,
    sodDataGroups: sod ? [...sod.lds.dataGroupHashes.keys()].sort((a, b) => a - b) : [],
    problems,
  };
}

function groupList(groups: number[]): string {
  return groups.map((g) => 'DG' + g).join(', ');
}
