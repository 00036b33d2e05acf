// Chip Authentication (ICAO 9303-11 §6.2) as the host judges it: the device runs CA and reports
// its outcome; the host trusts it only when DG14, which holds the chip's CA public key, was
// hash-verified by passive authentication (its hash matches an EF.SOD whose signature verifies).
// A CA that "succeeded" against an unverified DG14 proves nothing: a clone can bring its own key.

import type { PassiveAuthenticationReport } from '../pa/passive-authentication.js';

/** What the device reports about Chip Authentication. */
export type ChipAuthenticationOutcome = 'succeeded' | 'failed' | 'not-performed';

/** The device's `chipAuth` on the result message (protocol CHIP_AUTH: 'none', 'ok', 'failed';
 * absent: 'none') as an outcome. Anything else is not a success. */
export function chipAuthOutcome(chipAuth: string | undefined): ChipAuthenticationOutcome {
  if (chipAuth === 'ok') return 'succeeded';
  if (chipAuth === 'failed') return 'failed';
  return 'not-performed';
}

export interface ChipAuthenticationReport {
  /** verified: CA succeeded and DG14 was hash-verified; failed: the device reported a failure,
   * or CA succeeded against a DG14 passive authentication did not verify; not-performed: no CA. */
  status: 'verified' | 'failed' | 'not-performed';
  problem: string | null;
}

export function checkChipAuthentication(outcome: ChipAuthenticationOutcome | undefined, pa: PassiveAuthenticationReport): ChipAuthenticationReport {
  if (!outcome || outcome === 'not-performed') return { status: 'not-performed', problem: null };
  if (outcome === 'failed') return { status: 'failed', problem: 'the device reports that Chip Authentication failed' };
  const dg14 = pa.hashes.groups.find((g) => g.dataGroup === 14);
  if (!dg14) return { status: 'failed', problem: 'DG14 (the Chip Authentication key) was not hash-checked' };
  if (dg14.verdict !== 'match') return { status: 'failed', problem: 'DG14 does not match its hash in EF.SOD' };
  if (pa.signature.status !== 'valid') return { status: 'failed', problem: 'EF.SOD, which vouches for DG14, has no valid signature' };
  return { status: 'verified', problem: null };
}
