// The verdict of a read: VERIFIED only when passive authentication has no reason against it,
// every data group asked for was read, and the chip did not fail Active Authentication.
// Otherwise NOT VERIFIED with every reason, each with a stable code (pa/verdict-reasons.ts).

import type { ActiveAuthenticationReport } from './aa/active-authentication.js';
import type { ChipAuthenticationReport } from './aa/chip-authentication.js';
import type { PassiveAuthenticationReport } from './pa/passive-authentication.js';
import { reason, type VerdictReason } from './pa/verdict-reasons.js';

/** Groups a BAC reader is refused (fingerprints, iris: Extended Access Control). */
const EAC_GROUPS = [3, 4];

export interface MissingGroup {
  dataGroup: number;
  why: string;
}

export interface Verdict {
  verified: boolean;
  reasons: VerdictReason[];
}

/**
 * The groups asked for that were not read, and why. `explicit`: the caller's own list (every
 * group in it counts); otherwise `defaults` counts only where EF.COM lists the group. DG1 is
 * left to passive authentication ('dg1-missing').
 */
export function missingGroups(explicit: number[] | null, defaults: number[], read: number[], comGroups: number[] | null): MissingGroup[] {
  const asked = explicit ?? defaults.filter((g) => comGroups === null || comGroups.includes(g));
  const missing: MissingGroup[] = [];
  for (const g of asked) {
    if (g === 1 || read.includes(g)) continue;
    let why: string;
    if (comGroups === null) why = 'EF.COM did not parse, so the reader did not know it was there';
    else if (!comGroups.includes(g)) why = 'the chip does not list it in EF.COM';
    else if (EAC_GROUPS.includes(g)) why = 'it needs Extended Access Control, which this reader does not do';
    else why = 'EF.COM lists it but the reader did not get it';
    missing.push({ dataGroup: g, why });
  }
  return missing;
}

export function documentVerdict(pa: PassiveAuthenticationReport, missing: MissingGroup[], aa: ActiveAuthenticationReport, ca?: ChipAuthenticationReport): Verdict {
  const reasons = [...pa.reasons];
  if (missing.length) {
    const text = missing.map((m) => 'DG' + m.dataGroup + ' (' + m.why + ')').join(', ');
    reasons.push(reason('group-missing', 'not read: ' + text, missing.map((m) => m.dataGroup)));
  }
  if (aa.status === 'failed') reasons.push(reason('chip-not-authentic', 'Active Authentication failed: ' + aa.problem, [15]));
  if (ca && ca.status === 'failed') reasons.push(reason('chip-authentication-failed', 'Chip Authentication: ' + ca.problem, [14]));
  return { verified: reasons.length === 0, reasons };
}
