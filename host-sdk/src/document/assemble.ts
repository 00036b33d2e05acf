// The document of a read, assembled from its files: parses EF.COM and the additional data
// groups (DG7, DG11, DG12), runs passive and Active Authentication and the verdict. A live read
// (session/read-operation.ts) and `verify` on saved files (cli/verify-command.ts) both call it,
// so the same files give the same verdict and reasons.

import { FILE } from '@epassport/protocol';
import { checkActiveAuthentication, type ActiveAuthenticationReport, type ChipAuthenticity } from '../aa/active-authentication.js';
import { checkChipAuthentication, chipAuthOutcome, type ChipAuthenticationReport } from '../aa/chip-authentication.js';
import { parseDg7 } from '../lds/dg7.js';
import { parseDg11 } from '../lds/dg11.js';
import { parseDg12 } from '../lds/dg12.js';
import { parseEfCom } from '../lds/ef-com.js';
import { passiveAuthentication } from '../pa/passive-authentication.js';
import type { TrustStore } from '../pa/trust-store.js';
import type { Face, FileRecord, PassportDocument, ReadStats } from '../passport-document.js';
import { documentVerdict, missingGroups } from '../verdict.js';

export interface AssembleInput {
  files: Map<number, FileRecord>;
  /** Parsed while streaming (a live read) or before (verify). */
  dg1: PassportDocument['dg1'];
  faces: Face[];
  /** Parse errors so far; the ones found here are added. */
  parseErrors: { fileId: number; message: string }[];
  /** The caller's own list of groups, or null: `defaultGroups` that EF.COM lists. */
  requestedGroups: number[] | null;
  defaultGroups: number[];
  /** The Active Authentication challenge sent, or null (with `noActiveAuthWhy`). */
  challenge: Uint8Array | null;
  noActiveAuthWhy?: string;
  /** The chip's answer to INTERNAL AUTHENTICATE; empty: refused; undefined: none came. */
  aaResponse: Uint8Array | undefined;
  /** The device's Chip Authentication outcome (result message `chipAuth`); undefined: none
   * (no CA, or files loaded from disk, where CA cannot be judged again). */
  chipAuth?: string;
  trustStore: TrustStore | null;
  now?: Date;
  stats: ReadStats;
}

function tryParse<T>(input: AssembleInput, fileId: number, parse: (b: Uint8Array) => T): T | undefined {
  const f = input.files.get(fileId);
  if (!f) return undefined;
  try {
    return parse(f.bytes);
  } catch (e) {
    input.parseErrors.push({ fileId, message: (e as Error).message });
    return undefined;
  }
}

/** Failed beats everything; a verified CA beats AA (it also protects the session keys). */
function chipAuthenticity(aa: ActiveAuthenticationReport, ca: ChipAuthenticationReport): ChipAuthenticity {
  if (aa.status === 'failed' || ca.status === 'failed') return 'failed';
  return ca.status === 'verified' ? 'chip-authentication' : aa.status;
}

export function assembleDocument(input: AssembleInput): PassportDocument {
  const dataGroups = new Map<number, Uint8Array>();
  const deviceVerdicts = new Map<number, string>();
  for (const [id, f] of input.files) {
    if (id >= 1 && id <= 16) {
      dataGroups.set(id, f.bytes);
      if (f.deviceVerdict !== 'none') deviceVerdicts.set(id, f.deviceVerdict);
    }
  }
  const com = tryParse(input, FILE.COM, parseEfCom);
  const dg7 = tryParse(input, 7, parseDg7);
  const dg11 = tryParse(input, 11, parseDg11);
  const dg12 = tryParse(input, 12, parseDg12);
  const report = passiveAuthentication({ sod: input.files.get(FILE.SOD)?.bytes, dataGroups, deviceVerdicts, trustStore: input.trustStore, now: input.now });
  const read = [...dataGroups.keys()].sort((a, b) => a - b);
  const aa = checkActiveAuthentication({ dg15: dataGroups.get(15), dg14: dataGroups.get(14), challenge: input.challenge, signature: input.aaResponse });
  if (aa.status === 'not-supported' && dataGroups.has(15) && input.noActiveAuthWhy) aa.problem = input.noActiveAuthWhy;
  const missing = missingGroups(input.requestedGroups, input.defaultGroups, read, com ? com.dataGroups : null);
  const ca = checkChipAuthentication(chipAuthOutcome(input.chipAuth), report);
  const verdict = documentVerdict(report, missing, aa, ca);
  return {
    files: input.files,
    com,
    dg1: input.dg1,
    faces: input.faces,
    dg7,
    dg11,
    dg12,
    dataGroups: read,
    passiveAuthentication: report,
    activeAuthentication: aa,
    chipAuthentication: ca,
    chipAuthenticity: chipAuthenticity(aa, ca),
    activeAuthenticationExchange: input.challenge ? { challenge: input.challenge, response: input.aaResponse } : undefined,
    requestedGroups: input.requestedGroups,
    missingGroups: missing,
    verdict,
    verified: verdict.verified,
    stats: input.stats,
    parseErrors: input.parseErrors,
  };
}
