// Chip authenticity from Chip Authentication: only a CA outcome the device reports as succeeded
// AND a DG14 hash-verified under a valid EF.SOD signature count; each other case names why.
import { describe, expect, it } from 'vitest';
import type { PassiveAuthenticationReport } from '../pa/passive-authentication.js';
import { documentVerdict } from '../verdict.js';
import { checkChipAuthentication } from './chip-authentication.js';

function pa(dg14: 'match' | 'mismatch' | null, signature: 'valid' | 'invalid' = 'valid'): PassiveAuthenticationReport {
  return {
    verified: true, reasons: [], problems: [], sodDataGroups: [1, 14],
    hashes: { status: 'ok', algorithm: 'sha256', groups: dg14 ? [{ dataGroup: 14, verdict: dg14 }] : [], mismatched: [], notInSod: [], deviceDisagrees: [] },
    signature: { status: signature, algorithm: null, messageDigest: true, contentType: true, signingTime: null, problems: [] },
  } as unknown as PassiveAuthenticationReport;
}

const AA_NONE = { status: 'not-supported', problem: 'no DG15' } as never;

describe('checkChipAuthentication', () => {
  it('is verified only with CA succeeded and DG14 hash-verified', () => {
    expect(checkChipAuthentication('succeeded', pa('match'))).toEqual({ status: 'verified', problem: null });
    expect(checkChipAuthentication(undefined, pa('match')).status).toBe('not-performed');
  });

  it.each([
    ['failed', pa('match'), /device reports/],
    ['succeeded', pa(null), /not hash-checked/],
    ['succeeded', pa('mismatch'), /does not match/],
    ['succeeded', pa('match', 'invalid'), /no valid signature/],
  ] as const)('%s with an unverified DG14 or a failure is chip-authentication-failed', (outcome, report, why) => {
    const ca = checkChipAuthentication(outcome, report);
    expect(ca.status).toBe('failed');
    expect(ca.problem).toMatch(why);
    const v = documentVerdict(report, [], AA_NONE, ca);
    expect(v.verified).toBe(false);
    expect(v.reasons.map((r) => r.code)).toEqual(['chip-authentication-failed']);
  });
});
