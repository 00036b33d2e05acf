// One crafted document per verdict reason (documents from hardware/sim/document: real signatures,
// CRLs, link certificates), each showing that exact reason code, and the good cases beside them:
// a chain through a link certificate, a CRL that does not list the signer, a master list's CRLs.

import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createCrl, createCsca, createDocument, createLinkCertificate, createMasterList, serialOf, tamper,
  type Csca, type GeneratedDocument,
} from '@epassport/hardware/sim/document/index';
import { passiveAuthentication, type PassiveAuthenticationInput } from './passive-authentication.js';
import { importIntoTrustDir, loadTrustStore, TrustStore } from './trust-store.js';
import { reason, VERDICT_REASONS, type VerdictReasonCode } from './verdict-reasons.js';
import { documentVerdict, missingGroups } from '../verdict.js';
import type { ActiveAuthenticationReport } from '../aa/active-authentication.js';
import { paInput as input, SAMPLE_PERSON as person, trustStore as store } from '../../test/support/pa-documents';

const DAY = 86_400_000;

function codes(i: PassiveAuthenticationInput): VerdictReasonCode[] {
  return passiveAuthentication(i).reasons.map((r) => r.code);
}

const AA_OK: ActiveAuthenticationReport = { status: 'active-authentication', algorithm: 'x', challenge: '00', problem: null };

let csca: Csca;
let doc: GeneratedDocument;
beforeAll(async () => {
  csca = await createCsca({ signature: 'ecdsa' });
  doc = await createDocument(person, { signature: 'ecdsa', csca });
});

describe('verdict reasons, one crafted document each', () => {
  it('the good document has no reason', () => {
    expect(codes(input(doc, store([csca.certificate])))).toEqual([]);
  });

  it('no-security-object: EF.SOD not read, or empty', () => {
    expect(codes({ ...input(doc, store([csca.certificate])), sod: undefined })).toEqual(['no-security-object']);
    expect(codes({ ...input(doc, store([csca.certificate])), sod: new Uint8Array(0) })).toEqual(['no-security-object']);
  });

  it('security-object-malformed', () => {
    expect(codes({ ...input(doc, store([csca.certificate])), sod: Uint8Array.of(0x77, 0x03, 0x30, 0x01, 0x00) })).toEqual(['security-object-malformed']);
  });

  it('signature-invalid', async () => {
    const forged = await createDocument(person, { signature: 'ecdsa', csca, forgeSignature: true });
    expect(codes(input(forged, store([csca.certificate])))).toEqual(['signature-invalid']);
  });

  it('no-trust-store', () => {
    expect(codes(input(doc, null))).toEqual(['no-trust-store']);
  });

  it('chain-untrusted: issued by another CSCA of the same name', async () => {
    const wrong = await createDocument(person, { signature: 'ecdsa', csca, wrongCsca: true });
    expect(codes(input(wrong, store([csca.certificate])))).toEqual(['chain-untrusted']);
  });

  it('certificate-expired: the Document Signer at signing time; the CSCA now', async () => {
    const now = new Date();
    const expired = await createDocument(person, { signature: 'ecdsa', csca, dsNotBefore: new Date(now.getTime() - 400 * DAY), dsNotAfter: new Date(now.getTime() - DAY) });
    expect(codes(input(expired, store([csca.certificate]), { now }))).toEqual(['certificate-expired']);
    const later = new Date(Date.now() + 20 * 365 * DAY);
    const r = passiveAuthentication(input(doc, store([csca.certificate]), { now: later }));
    expect(r.reasons).toEqual([{ code: 'certificate-expired', message: 'the CSCA certificate is expired' }]);
  });

  it('certificate-not-yet-valid', async () => {
    const now = new Date();
    const future = await createDocument(person, { signature: 'ecdsa', csca, dsNotBefore: new Date(now.getTime() + 10 * DAY), dsNotAfter: new Date(now.getTime() + 400 * DAY) });
    expect(codes(input(future, store([csca.certificate]), { now }))).toEqual(['certificate-not-yet-valid']);
  });

  it('certificate-revoked: a CRL of the CSCA lists the Document Signer; a CRL without it changes nothing', () => {
    const revoking = createCrl(csca, [serialOf(doc.documentSignerCertificate)]);
    const r = passiveAuthentication(input(doc, store([csca.certificate], [revoking])));
    expect(r.reasons.map((x) => x.code)).toEqual(['certificate-revoked']);
    expect(r.chain.revoked).toHaveLength(1);
    expect(r.chain.status).toBe('untrusted');
    expect(codes(input(doc, store([csca.certificate], [createCrl(csca, [Uint8Array.of(0x01, 0x02)])])))).toEqual([]);
  });

  it('a CRL the CSCA did not sign is refused, and never revokes', async () => {
    const other = await createCsca({ signature: 'ecdsa', commonName: 'Utopia Test CSCA' });
    expect(() => store([csca.certificate], [createCrl(other, [serialOf(doc.documentSignerCertificate)])])).toThrow(/CRL of .* rejected/);
    const forged = createCrl(csca, [serialOf(doc.documentSignerCertificate)], { forgeSignature: true });
    const s = new TrustStore();
    s.add(csca.certificate);
    s.addCrl(forged);
    expect(() => s.checkCrls()).toThrow(/rejected/);
    expect(codes(input(doc, s))).toEqual([]);
  });

  it('dg1-missing', () => {
    const i = input(doc, store([csca.certificate]));
    (i.dataGroups as Map<number, Uint8Array>).delete(1);
    expect(codes(i)).toEqual(['dg1-missing']);
    // Only DG15, or nothing at all, is never verified.
    expect(codes({ ...i, dataGroups: new Map() })).toEqual(['dg1-missing']);
  });

  it('hash-mismatch', () => {
    const r = passiveAuthentication(input(tamper(doc, 2), store([csca.certificate])));
    expect(r.reasons).toEqual([{ code: 'hash-mismatch', message: 'hash mismatch in DG2', dataGroups: [2] }]);
  });

  it('hash-not-in-sod', () => {
    const i = input(doc, store([csca.certificate]));
    (i.dataGroups as Map<number, Uint8Array>).set(11, Uint8Array.of(0x6b, 0));
    expect(passiveAuthentication(i).reasons).toEqual([{ code: 'hash-not-in-sod', message: 'not covered by EF.SOD: DG11', dataGroups: [11] }]);
  });

  it('group-missing: asked for, not read, and why', () => {
    const pa = passiveAuthentication(input(doc, store([csca.certificate])));
    const missing = missingGroups([1, 2, 3, 11, 15], [], [1, 2, 15], [1, 2, 3, 15]);
    expect(missing).toEqual([
      { dataGroup: 3, why: 'it needs Extended Access Control, which this reader does not do' },
      { dataGroup: 11, why: 'the chip does not list it in EF.COM' },
    ]);
    const v = documentVerdict(pa, missing, AA_OK);
    expect(v).toMatchObject({ verified: false, reasons: [{ code: 'group-missing', dataGroups: [3, 11] }] });
    // The defaults count only where EF.COM lists them.
    expect(missingGroups(null, [1, 2, 5, 15], [1, 2, 15], [1, 2, 15])).toEqual([]);
    expect(missingGroups(null, [1, 2, 5, 15], [1, 2], [1, 2, 15])).toEqual([{ dataGroup: 15, why: 'EF.COM lists it but the reader did not get it' }]);
    expect(missingGroups(null, [1, 2], [1], null)).toEqual([{ dataGroup: 2, why: 'EF.COM did not parse, so the reader did not know it was there' }]);
  });

  it('chip-not-authentic; not-supported changes nothing', () => {
    const pa = passiveAuthentication(input(doc, store([csca.certificate])));
    expect(documentVerdict(pa, [], AA_OK)).toEqual({ verified: true, reasons: [] });
    expect(documentVerdict(pa, [], { ...AA_OK, status: 'not-supported', problem: 'no DG15' })).toEqual({ verified: true, reasons: [] });
    const failed = documentVerdict(pa, [], { ...AA_OK, status: 'failed', problem: 'the ECDSA signature does not verify' });
    expect(failed.reasons).toEqual([{ code: 'chip-not-authentic', message: 'Active Authentication failed: the ECDSA signature does not verify', dataGroups: [15] }]);
  });

  it('every code has a test above and a line in the table', () => {
    expect(Object.keys(VERDICT_REASONS).sort()).toEqual([
      'certificate-expired', 'certificate-not-yet-valid', 'certificate-revoked', 'chain-untrusted', 'chip-authentication-failed', 'chip-not-authentic', 'dg1-missing',
      'group-missing', 'hash-mismatch', 'hash-not-in-sod', 'no-security-object', 'no-trust-store', 'security-object-malformed', 'signature-invalid',
    ]);
  });
});

describe('chains of any length, CRLs from files and master lists', () => {
  let next: Csca;
  let link: Uint8Array;
  let nextDoc: GeneratedDocument;
  beforeAll(async () => {
    next = await createCsca({ signature: 'ecdsa', commonName: 'Utopia Test CSCA 2' });
    link = createLinkCertificate(csca, next);
    nextDoc = await createDocument(person, { signature: 'ecdsa', csca: next });
  });

  it('trusts a Document Signer of the new CSCA key through the link certificate', () => {
    expect(codes(input(nextDoc, store([csca.certificate])))).toEqual(['chain-untrusted']);
    const r = passiveAuthentication(input(nextDoc, store([csca.certificate, link])));
    expect(r.reasons).toEqual([]);
    expect(r.chain.links.map((c) => c.subject)).toEqual([expect.stringMatching(/CN=Utopia Test CSCA 2/)]);
    expect(r.chain.csca?.subject).toMatch(/CN=Utopia Test CSCA(,|$)/);
  });

  it('three links deep', async () => {
    const third = await createCsca({ signature: 'rsa', commonName: 'Utopia Test CSCA 3' });
    const thirdDoc = await createDocument(person, { signature: 'rsa', csca: third });
    const r = passiveAuthentication(input(thirdDoc, store([csca.certificate, link, createLinkCertificate(next, third)])));
    expect(r.reasons).toEqual([]);
    expect(r.chain.links).toHaveLength(2);
  });

  it('an expired link certificate, and one the old CSCA revoked', () => {
    const old = createLinkCertificate(csca, next, { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
    expect(codes(input(nextDoc, store([csca.certificate, old])))).toEqual(['certificate-expired']);
    const crl = createCrl(csca, [serialOf(link)]);
    expect(codes(input(nextDoc, store([csca.certificate, link], [crl])))).toEqual(['certificate-revoked']);
  });

  it('loads CRLs from .crl files and from a master list, and imports both', async () => {
    const revoking = createCrl(csca, [serialOf(doc.documentSignerCertificate)]);
    const dir = await mkdtemp(join(tmpdir(), 'trust-crl-'));
    await writeFile(join(dir, 'csca.der'), csca.certificate);
    await writeFile(join(dir, 'csca.crl'), revoking);
    expect(codes(input(doc, await loadTrustStore(dir)))).toEqual(['certificate-revoked']);

    const ml = await createMasterList([csca, next], { linkCertificates: [link], crls: [revoking] });
    const mlDir = await mkdtemp(join(tmpdir(), 'trust-ml-crl-'));
    await writeFile(join(mlDir, 'list.ml'), ml);
    const fromList = await loadTrustStore(mlDir);
    expect(fromList.crls).toHaveLength(1);
    expect(codes(input(doc, fromList))).toEqual(['certificate-revoked']);
    expect(codes(input(nextDoc, fromList))).toEqual([]);

    const target = await mkdtemp(join(tmpdir(), 'trust-import-crl-'));
    const result = await importIntoTrustDir(join(mlDir, 'list.ml'), target);
    expect(result).toMatchObject({ crls: 1, skipped: 0 });
    expect((await readdir(target)).filter((f) => f.endsWith('.crl'))).toHaveLength(1);
    expect(codes(input(doc, await loadTrustStore(target)))).toEqual(['certificate-revoked']);
    // A CRL whose issuer is not in the folder is refused before anything is written.
    const stranger = await createCsca({ signature: 'ecdsa', commonName: 'Stranger CSCA' });
    await writeFile(join(dir, 'stranger.crl'), createCrl(stranger, []));
    const empty = await mkdtemp(join(tmpdir(), 'trust-import-bad-'));
    await expect(importIntoTrustDir(join(dir, 'stranger.crl'), empty)).rejects.toMatchObject({ code: 'trust-store' });
    expect(await readdir(empty)).toEqual([]);
  });
});

describe('reason()', () => {
  it('names data groups only when there are some (no empty or undefined dataGroups key)', () => {
    expect(reason('hash-mismatch', 'm', [2])).toEqual({ code: 'hash-mismatch', message: 'm', dataGroups: [2] });
    expect(Object.keys(reason('dg1-missing', 'm', []))).toEqual(['code', 'message']);
    expect(Object.keys(reason('no-trust-store', 'm'))).toEqual(['code', 'message']);
  });
});
