// Fuzzing the host's EF.SOD, CMS and master-list parsing and passive authentication with real
// signed documents: the four fixtures (RSA, RSA-PSS, ECDSA P-256, ECDSA brainpoolP256r1) and the
// fixture CSCA master list, mutated structurally (bit flips, truncation, length fields in every
// long form, indefinite lengths, tags, splices, deep nesting) and replaced by random bytes.
//
// Properties:
// - parseSod returns or throws ReaderError (malformed-data / unsupported); parseMasterList
//   returns or throws ReaderError('trust-store'); passiveAuthentication never throws.
// - What counts as signed: the eContent octets (the LDSSecurityObject, bound by the
//   message-digest attribute) and the DER of the signed attributes (what the signature covers).
//   A signature reported 'valid' implies both are byte for byte those of the original EF.SOD;
//   a report `verified: true` additionally implies every data group is the original's. Mutations
//   elsewhere (SignedData version, digestAlgorithms set, length encodings, an unsigned
//   attribute, the certificate set) may keep a document verified: they change nothing signed.
// - An accepted master list holds exactly the original certificates.
import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURES, loadFixture, loadMasterList } from '@epassport/hardware/fixtures/index';
import { arbHostile, arbMutations, describeMutations, mutateAll } from '../../../test/fuzz/ber-mutator';
import { largestAllocation, runs, withDeadline } from '../../../test/fuzz/guards';
import { ALL_ERROR_CODES, ReaderError } from '../reader-error';
import { parseMasterList } from './master-list';
import { passiveAuthentication } from './passive-authentication';
import { parseSod, type Sod } from './sod';
import { TrustStore } from './trust-store';

const fixtures = FIXTURES.map((name) => {
  const f = loadFixture(name);
  const trust = new TrustStore();
  trust.add(f.cscaCertificate);
  const sod = parseSod(f.files[0x1d]);
  const dataGroups = new Map<number, Uint8Array>();
  for (const [k, v] of Object.entries(f.files)) if (Number(k) <= 16) dataGroups.set(Number(k), v);
  // inside both certificates' validity
  const now = new Date(Math.max(Date.parse(new X509Certificate(f.documentSignerCertificate).validFrom), Date.parse(new X509Certificate(f.cscaCertificate).validFrom)) + 86_400_000);
  return { name, files: f.files, trust, dataGroups, now, signed: signedParts(sod) };
});

/** The bytes a valid signature vouches for: eContent and the signed attributes' DER. */
function signedParts(sod: Sod): { eContent: Buffer; signedAttrs: Buffer } {
  const si = sod.cms.signedData.signerInfos[0];
  return { eContent: Buffer.from(sod.cms.eContent), signedAttrs: Buffer.from(si.signedAttrs ? new Uint8Array(si.signedAttrs.encodedValue) : []) };
}

function typedParse<T>(fn: () => T, codes: string[]): T | ReaderError {
  try {
    return withDeadline(fn);
  } catch (e) {
    if (!(e instanceof ReaderError)) throw e;
    expect(ALL_ERROR_CODES).toContain(e.code);
    expect(codes).toContain(e.code);
    return e;
  }
}

const arbFixture = fc.integer({ min: 0, max: fixtures.length - 1 });

describe('passive authentication fuzzing', () => {
  it('the unmutated fixtures verify (the oracle\'s baseline)', () => {
    for (const f of fixtures) {
      const r = passiveAuthentication({ sod: f.files[0x1d], dataGroups: f.dataGroups, trustStore: f.trust, now: f.now });
      expect(r.problems).toEqual([]);
      expect(r.verified).toBe(true);
    }
  });

  it('mutated EF.SODs: typed errors only, and never valid or verified when a signed byte changed', () => {
    const seen = { verified: 0, refused: 0, unparsed: 0 };
    fc.assert(fc.property(arbFixture, arbMutations, (i, ms) => {
      const f = fixtures[i];
      const sod = mutateAll(f.files[0x1d], ms);
      const parsed = typedParse(() => parseSod(sod), ['malformed-data', 'unsupported']);
      const report = withDeadline(() => passiveAuthentication({ sod, dataGroups: f.dataGroups, trustStore: f.trust, now: f.now }));
      if (parsed instanceof ReaderError) {
        expect(report.verified).toBe(false);
        expect(report.signature.status).toBe('invalid');
        seen.unparsed++;
        return;
      }
      if (report.signature.status === 'valid' || report.verified) {
        const got = signedParts(parsed);
        const what = f.name + ' ' + describeMutations(ms);
        expect(got.eContent.equals(f.signed.eContent), what).toBe(true);
        expect(got.signedAttrs.equals(f.signed.signedAttrs), what).toBe(true);
      }
      if (report.verified) seen.verified++;
      else seen.refused++;
    }), { numRuns: runs(400) });
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.unparsed).toBeGreaterThan(0);
  });

  it('a changed byte in any data group is never verified', () => {
    fc.assert(fc.property(arbFixture, fc.nat(), arbMutations, (i, pick, ms) => {
      const f = fixtures[i];
      const groups = [...f.dataGroups.keys()];
      const g = groups[pick % groups.length];
      const changed = mutateAll(f.dataGroups.get(g)!, ms);
      if (Buffer.from(changed).equals(Buffer.from(f.dataGroups.get(g)!))) return;
      const dataGroups = new Map(f.dataGroups).set(g, changed);
      const report = withDeadline(() => passiveAuthentication({ sod: f.files[0x1d], dataGroups, trustStore: f.trust, now: f.now }));
      expect(report.verified).toBe(false);
      expect(report.hashes.mismatched).toEqual([g]);
    }), { numRuns: runs(150) });
  });

  it('a flipped bit inside the signed content or the signed attributes is never valid', () => {
    fc.assert(fc.property(arbFixture, fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 7 }), (i, inAttrs, at, bit) => {
      const f = fixtures[i];
      const part = inAttrs ? f.signed.signedAttrs : f.signed.eContent;
      // the signed attributes are stored as [0] IMPLICIT; locate them by their content after the tag
      const sodBytes = Buffer.from(f.files[0x1d]);
      const start = sodBytes.indexOf(inAttrs ? part.subarray(1) : part);
      expect(start).toBeGreaterThan(0);
      const sod = new Uint8Array(sodBytes);
      const offset = start + ((at % (part.length - (inAttrs ? 1 : 0))));
      sod[offset] ^= 1 << bit;
      const report = withDeadline(() => passiveAuthentication({ sod, dataGroups: f.dataGroups, trustStore: f.trust, now: f.now }));
      expect(report.signature.status).toBe('invalid');
      expect(report.verified).toBe(false);
    }), { numRuns: runs(200) });
  });

  it('hostile bytes as EF.SOD (random, nested thousands deep): a report, never a throw, no allocation by declared length', () => {
    const arbSod = arbHostile(fc.constantFrom(...fixtures.map((f) => f.files[0x1d])));
    fc.assert(fc.property(arbSod, (sod) => {
      // asn1js / pkijs copy what they parse, but never allocate by a declared length
      const p = largestAllocation(() => typedParse(() => parseSod(sod), ['malformed-data', 'unsupported']));
      if (p.error) throw p.error;
      expect(p.largest).toBeLessThanOrEqual(2 * sod.length + 4096);
      const report = withDeadline(() => passiveAuthentication({ sod, dataGroups: fixtures[0].dataGroups, trustStore: fixtures[0].trust, now: fixtures[0].now }));
      if (report.verified) expect(Buffer.from(sod).equals(Buffer.from(fixtures[0].files[0x1d])) || report.signature.status === 'valid').toBe(true);
    }), { numRuns: runs(300) });
  });

  it('mutated master lists: rejected as trust-store, or accepted with exactly the original certificates', () => {
    const original = loadMasterList();
    const certs = parseMasterList(original).certificates.map((c) => Buffer.from(c).toString('hex'));
    let accepted = 0;
    fc.assert(fc.property(arbHostile(fc.constant(original)), (ml) => {
      const r = typedParse(() => parseMasterList(ml), ['trust-store']);
      if (r instanceof ReaderError) return;
      accepted++;
      expect(r.certificates.map((c) => Buffer.from(c).toString('hex'))).toEqual(certs);
    }), { numRuns: runs(300) });
    expect(accepted).toBeGreaterThan(0); // the unmutated list is among the inputs
  });
});
