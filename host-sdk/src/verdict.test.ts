// The document verdict on its own (verdict-reasons.test.ts builds real documents for each reason):
// passive authentication's reasons are kept, DG1 is left to passive authentication, the
// group-missing sentence the CLI prints, and a failed Chip Authentication. Written against the
// mutants Stryker found surviving in verdict.ts (test/README.md, mutation testing).
import { describe, expect, it } from 'vitest';
import type { ActiveAuthenticationReport } from './aa/active-authentication.js';
import type { ChipAuthenticationReport } from './aa/chip-authentication.js';
import type { PassiveAuthenticationReport } from './pa/passive-authentication.js';
import { reason, type VerdictReason } from './pa/verdict-reasons.js';
import { documentVerdict, missingGroups } from './verdict.js';

const AA_OK: ActiveAuthenticationReport = { status: 'active-authentication', algorithm: 'x', challenge: '00', problem: null };

/** Only `reasons` is read by documentVerdict; the rest is filler of the right shape. */
function pa(reasons: VerdictReason[]): PassiveAuthenticationReport {
  return {
    verified: reasons.length === 0, reasons, problems: [], sodDataGroups: [1, 2],
    hashes: { status: 'ok', algorithm: 'sha256', groups: [], mismatched: [], notInSod: [], deviceDisagrees: [] },
    signature: { status: 'valid', algorithm: null, messageDigest: true, contentType: true, signingTime: null, problems: [] },
  } as unknown as PassiveAuthenticationReport;
}

describe('missingGroups', () => {
  it('never lists DG1, even when asked for and not read (passive authentication reports dg1-missing)', () => {
    expect(missingGroups([1, 2], [], [2], [1, 2])).toEqual([]);
    expect(missingGroups(null, [1, 2], [], [1, 2])).toEqual([{ dataGroup: 2, why: 'EF.COM lists it but the reader did not get it' }]);
  });
});

describe('documentVerdict', () => {
  it('keeps every passive-authentication reason, in order, before its own', () => {
    const paReasons = [reason('no-trust-store', 'no CSCA'), reason('hash-mismatch', 'hash mismatch in DG2', [2])];
    const missing = [{ dataGroup: 11, why: 'the chip does not list it in EF.COM' }];
    const v = documentVerdict(pa(paReasons), missing, AA_OK);
    expect(v.verified).toBe(false);
    expect(v.reasons.map((r) => r.code)).toEqual(['no-trust-store', 'hash-mismatch', 'group-missing']);
    expect(v.reasons.slice(0, 2)).toEqual(paReasons);
    // Passive authentication alone is enough to say NOT VERIFIED.
    expect(documentVerdict(pa(paReasons), [], AA_OK)).toEqual({ verified: false, reasons: paReasons });
  });

  it('group-missing names each group and why, in one sentence (what the CLI prints)', () => {
    const missing = [
      { dataGroup: 3, why: 'it needs Extended Access Control, which this reader does not do' },
      { dataGroup: 11, why: 'the chip does not list it in EF.COM' },
    ];
    expect(documentVerdict(pa([]), missing, AA_OK).reasons).toEqual([{
      code: 'group-missing',
      message: 'not read: DG3 (it needs Extended Access Control, which this reader does not do), DG11 (the chip does not list it in EF.COM)',
      dataGroups: [3, 11],
    }]);
  });

  it('a failed Chip Authentication is chip-authentication-failed on DG14; verified or not performed changes nothing', () => {
    const failed: ChipAuthenticationReport = { status: 'failed', problem: 'DG14 does not match its hash in EF.SOD' };
    expect(documentVerdict(pa([]), [], AA_OK, failed)).toEqual({
      verified: false,
      reasons: [{ code: 'chip-authentication-failed', message: 'Chip Authentication: DG14 does not match its hash in EF.SOD', dataGroups: [14] }],
    });
    expect(documentVerdict(pa([]), [], AA_OK, { status: 'verified', problem: null })).toEqual({ verified: true, reasons: [] });
    expect(documentVerdict(pa([]), [], AA_OK, { status: 'not-performed', problem: null })).toEqual({ verified: true, reasons: [] });
    expect(documentVerdict(pa([]), [], AA_OK)).toEqual({ verified: true, reasons: [] });
  });

  it('Active Authentication and Chip Authentication failing together give both reasons', () => {
    const v = documentVerdict(pa([]), [], { ...AA_OK, status: 'failed', problem: 'bad signature' }, { status: 'failed', problem: 'the device reports that Chip Authentication failed' });
    expect(v.reasons.map((r) => [r.code, r.dataGroups])).toEqual([['chip-not-authentic', [15]], ['chip-authentication-failed', [14]]]);
  });
});
