// The reasons a read is NOT VERIFIED, each with a stable code (match on the code, never on the
// message). The table is the one host-sdk/README.md shows; every reason makes the CLI exit 5.

export const VERDICT_REASONS = {
  'no-security-object': 'EF.SOD was not read, or the chip gave it empty',
  'security-object-malformed': 'EF.SOD does not parse, or uses an algorithm the reader does not know',
  'signature-invalid': 'the EF.SOD signature (or its signed attributes) does not verify',
  'no-trust-store': 'no CSCA trust store was given: the Document Signer cannot be checked',
  'chain-untrusted': 'the Document Signer does not chain to a CSCA in the trust store',
  'certificate-expired': 'a certificate of the chain is expired (the Document Signer at signing time, CSCA and link certificates now)',
  'certificate-not-yet-valid': 'a certificate of the chain is not yet valid',
  'certificate-revoked': 'a certificate of the chain is listed in a CRL of its issuer',
  'dg1-missing': 'DG1 (the MRZ) was not read',
  'hash-mismatch': 'a data group read does not match its hash in EF.SOD',
  'hash-not-in-sod': 'a data group read is not covered by EF.SOD',
  'group-missing': 'a data group asked for was not read (the reason says which and why)',
  'chip-not-authentic': 'Active Authentication failed: the chip did not prove it holds the DG15 key',
  'chip-authentication-failed': 'Chip Authentication failed, or succeeded against a DG14 that passive authentication did not verify',
} as const;

export type VerdictReasonCode = keyof typeof VERDICT_REASONS;

export interface VerdictReason {
  code: VerdictReasonCode;
  /** One sentence, no personal data. */
  message: string;
  /** The data groups concerned, when there are any. */
  dataGroups?: number[];
}

export function reason(code: VerdictReasonCode, message: string, dataGroups?: number[]): VerdictReason {
  return dataGroups && dataGroups.length ? { code, message, dataGroups } : { code, message };
}
