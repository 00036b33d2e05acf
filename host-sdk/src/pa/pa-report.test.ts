// What passiveAuthentication reports, exactly: each reason's code, message and groups, the
// problems list the CLI prints, and the signature fields, on the committed sample passport
// (hardware/fixtures/utopia-anna: real RSA signature, no key generation) changed one thing at a
// time. Written against the mutants Stryker left in passive-authentication.ts (test/README.md).
import { createHash } from 'node:crypto';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { describe, expect, it } from 'vitest';
import { passiveAuthentication, type PassiveAuthenticationInput } from './passive-authentication.js';
import { TrustStore } from './trust-store.js';

const f = loadFixture('utopia-anna');
const SOD = f.files[0x1d];
/** Inside every certificate's validity (the sample is signed 2026-11-25, its DS ends 2036). */
const NOW = new Date('2027-06-01T00:00:00Z');

function trust(): TrustStore {
  const s = new TrustStore();
  s.add(f.cscaCertificate);
  return s;
}

function groups(change: Record<number, Uint8Array | null> = {}): Map<number, Uint8Array> {
  const m = new Map<number, Uint8Array>([[1, f.files[1]], [2, f.files[2]], [15, f.files[15]]]);
  for (const [g, v] of Object.entries(change)) {
    if (v) m.set(Number(g), v);
    else m.delete(Number(g));
  }
  return m;
}

function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  out[at] ^= 0x01;
  return out;
}

function pa(extra: Partial<PassiveAuthenticationInput> = {}) {
  return passiveAuthentication({ sod: SOD, dataGroups: groups(), trustStore: trust(), now: NOW, ...extra });
}

/** Where `needle` starts in `hay` (the test fails if it is not there). */
function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  const at = Buffer.from(hay).indexOf(Buffer.from(needle));
  expect(at).toBeGreaterThan(0);
  return at;
}

describe('passive authentication report, one change at a time', () => {
  it('the sample as read: verified, nothing reported, the signature described', () => {
    const r = pa();
    expect(r.verified).toBe(true);
    expect(r.reasons).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.sodDataGroups).toEqual([1, 2, 15]);
    expect(r.signature).toEqual({
      status: 'valid', algorithm: 'sha256WithRSAEncryption', messageDigest: true, contentType: true,
      signingTime: expect.stringMatching(/^2026-11-25T\d\d:\d\d:\d\d\.\d{3}Z$/), problems: [],
    });
  });

  it('hash mismatches and groups EF.SOD does not cover: one reason each, every group named', () => {
    const r = pa({ dataGroups: groups({ 2: flipped(f.files[2], 100), 15: flipped(f.files[15], 0), 11: Uint8Array.of(0x6b, 0), 12: Uint8Array.of(0x6c, 0) }) });
    expect(r.verified).toBe(false);
    expect(r.reasons).toEqual([
      { code: 'hash-mismatch', message: 'hash mismatch in DG2, DG15', dataGroups: [2, 15] },
      { code: 'hash-not-in-sod', message: 'not covered by EF.SOD: DG11, DG12', dataGroups: [11, 12] },
    ]);
    expect(r.problems).toEqual(['hash mismatch in DG2, DG15', 'not covered by EF.SOD: DG11, DG12']);
  });

  it('the device disagreeing with the host is a problem, not a reason', () => {
    const r = pa({ deviceVerdicts: new Map([[1, 'mismatch'], [2, 'match'], [15, 'not-checked']]) });
    expect(r.verified).toBe(true);
    expect(r.reasons).toEqual([]);
    expect(r.problems).toEqual(['the device\'s hash verdict differs from the host\'s for DG1, DG15']);
  });

  it('dg1-missing when DG1 was not read, whatever else is right', () => {
    const r = pa({ dataGroups: groups({ 1: null }) });
    expect(r.reasons).toEqual([{ code: 'dg1-missing', message: 'DG1 was not read: the document is not identified', dataGroups: [1] }]);
    expect(r.problems).toEqual(['DG1 was not read']);
    expect(r.verified).toBe(false);
  });

  it('no trust store: the chain\'s reason, and its sentence among the problems', () => {
    const r = pa({ trustStore: null });
    expect(r.reasons.map((x) => x.code)).toEqual(['no-trust-store']);
    expect(r.problems).toEqual(['chain: no trust store was given: the Document Signer certificate cannot be checked']);
  });

  it('EF.SOD not read, or empty: one reason (no chain or hash reason on top), groups not judged', () => {
    const missing = pa({ sod: undefined });
    expect(missing.reasons).toEqual([{ code: 'no-security-object', message: 'EF.SOD was not read' }]);
    expect(missing.hashes.status).toBe('not-checked');
    expect(missing.sodDataGroups).toEqual([]);
    expect(missing.signature).toMatchObject({ status: 'invalid', algorithm: null, problems: ['EF.SOD was not read'] });
    expect(missing.problems).toEqual(['signature: EF.SOD was not read', 'chain: EF.SOD holds no Document Signer certificate']);
    const empty = pa({ sod: new Uint8Array(0) });
    expect(empty.reasons).toEqual([{ code: 'no-security-object', message: 'the chip gave EF.SOD empty' }]);
    expect(empty.verified).toBe(false);
  });

  it('a malformed EF.SOD: its parse error is the reason, and the missing signer adds no chain reason', () => {
    const r = pa({ sod: Uint8Array.of(0x77, 0x03, 0x30, 0x01, 0x00), trustStore: null });
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0].code).toBe('security-object-malformed');
    expect(r.reasons[0].message).toMatch(/^EF\.SOD: /);
    expect(r.signature.problems).toEqual([r.reasons[0].message]);
    expect(r.problems[0]).toBe('signature: ' + r.reasons[0].message);
  });

  it('a changed signature value: signature-invalid with the signer\'s problem, hashes still ok', () => {
    const r = pa({ sod: flipped(SOD, SOD.length - 1) });
    expect(r.reasons).toEqual([{ code: 'signature-invalid', message: 'EF.SOD: the signature does not verify with the signer certificate' }]);
    expect(r.signature).toMatchObject({ status: 'invalid', messageDigest: true, contentType: true });
    expect(r.hashes.status).toBe('ok');
    expect(r.problems).toEqual(['signature: the signature does not verify with the signer certificate']);
  });

  it('a changed hash list inside EF.SOD: the message-digest attribute fails alone, which is enough', () => {
    // The DG15 hash in the signed content: the signature over the signed attributes still verifies.
    const at = indexOf(SOD, new Uint8Array(createHash('sha256').update(f.files[15]).digest()));
    const r = pa({ sod: flipped(SOD, at) });
    expect(r.signature).toMatchObject({ status: 'invalid', messageDigest: false, contentType: true });
    expect(r.signature.problems).toEqual(['the message-digest attribute does not match the signed content']);
    expect(r.reasons.map((x) => x.code)).toEqual(['signature-invalid', 'hash-mismatch']);
    expect(r.reasons[0].message).toBe('EF.SOD: the message-digest attribute does not match the signed content');
  });
});
