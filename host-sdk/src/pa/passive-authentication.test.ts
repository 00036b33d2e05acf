// Passive authentication against documents from the test-document factory (hardware/sim/document):
// real CMS SignedData signed with RSA, RSA-PSS, ECDSA P-256 and brainpoolP256r1 keys.

import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCsca, createDocument, createMasterList, tamper, toPem, type Csca, type GeneratedDocument, type SignatureKind } from '@epassport/hardware/sim/document/index';
import { createHash } from 'node:crypto';
import { checkHashes, passiveAuthentication } from './passive-authentication';
import { importIntoTrustDir, loadTrustStore, TrustStore } from './trust-store';
import { parseMasterList } from './master-list';
import { parseSod, type Sod } from './sod';
import { ReaderError } from '../reader-error';
import { paInput as input, SAMPLE_PERSON as person } from '../../test/support/pa-documents';

const DAY = 86_400_000;


function storeOf(...certs: Uint8Array[]): TrustStore {
  const s = new TrustStore();
  for (const c of certs) s.add(c);
  return s;
}

let rsaCsca: Csca;
let rsaDoc: GeneratedDocument;
beforeAll(async () => {
  rsaCsca = await createCsca({ signature: 'rsa' });
  rsaDoc = await createDocument(person, { signature: 'rsa', csca: rsaCsca });
});

describe('passive authentication', () => {
  it.each<[SignatureKind, RegExp]>([
    ['rsa', /^sha256WithRSAEncryption$/],
    ['rsa-pss', /^RSASSA-PSS\/SHA-256 salt \d+$/],
    ['ecdsa', /^ecdsa-with-SHA256 \(prime256v1\)$/],
    ['ecdsa-brainpool', /^ecdsa-with-SHA256 \(brainpoolP256r1\)$/],
  ])('verifies a %s document through its CSCA', async (signature, algorithm) => {
    const doc = signature === 'rsa' ? rsaDoc : await createDocument(person, { signature });
    const report = passiveAuthentication(input(doc, storeOf(doc.cscaCertificate)));
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.hashes).toMatchObject({ status: 'ok', algorithm: 'SHA-256', mismatched: [], notInSod: [] });
    expect(report.hashes.groups.map((g) => [g.dataGroup, g.verdict])).toEqual([[1, 'match'], [2, 'match'], [15, 'match']]);
    expect(report.signature).toMatchObject({ status: 'valid', messageDigest: true, contentType: true });
    expect(report.signature.algorithm).toMatch(algorithm);
    expect(report.signature.signingTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(report.chain.status).toBe('trusted');
    expect(report.chain.documentSigner?.validity).toBe('valid');
    expect(report.chain.csca?.subject).toMatch(/CN=Utopia Test CSCA/);
    expect(report.sodDataGroups).toEqual([1, 2, 15]);
  });

  it('names the tampered data group; the signature still holds', () => {
    const report = passiveAuthentication(input(tamper(rsaDoc, 2), storeOf(rsaCsca.certificate)));
    expect(report.verified).toBe(false);
    expect(report.hashes.status).toBe('mismatch');
    expect(report.hashes.mismatched).toEqual([2]);
    expect(report.signature.status).toBe('valid');
    expect(report.chain.status).toBe('trusted');
    expect(report.problems).toContain('hash mismatch in DG2');
  });

  it('flags the device when its verdict differs from the host\'s', () => {
    const report = passiveAuthentication(input(tamper(rsaDoc, 1), storeOf(rsaCsca.certificate), { deviceVerdicts: new Map([[1, 'match'], [2, 'match']]) }));
    expect(report.hashes.deviceDisagrees).toEqual([1]);
    expect(report.hashes.groups[0]).toEqual({ dataGroup: 1, verdict: 'mismatch', device: 'match' });
  });

  it('reports a data group that EF.SOD does not cover', () => {
    const i = input(rsaDoc, storeOf(rsaCsca.certificate));
    (i.dataGroups as Map<number, Uint8Array>).set(11, new Uint8Array([0x6b, 0]));
    const report = passiveAuthentication(i);
    expect(report.hashes).toMatchObject({ status: 'missing', notInSod: [11] });
    expect(report.verified).toBe(false);
  });

  it('rejects a forged signature', async () => {
    const doc = await createDocument(person, { signature: 'ecdsa', forgeSignature: true });
    const report = passiveAuthentication(input(doc, storeOf(doc.cscaCertificate)));
    expect(report.verified).toBe(false);
    expect(report.hashes.status).toBe('ok');
    expect(report.signature.status).toBe('invalid');
    expect(report.signature.messageDigest).toBe(true);
    expect(report.problems).toContain('signature: the signature does not verify with the signer certificate');
  });

  it('does not trust a Document Signer issued by another CSCA of the same name', async () => {
    const doc = await createDocument(person, { signature: 'ecdsa', wrongCsca: true });
    const report = passiveAuthentication(input(doc, storeOf(doc.cscaCertificate)));
    expect(report.signature.status).toBe('valid');
    expect(report.chain.status).toBe('untrusted');
    expect(report.chain.reason).toBe('no CSCA in the trust store issued the Document Signer certificate');
    expect(report.verified).toBe(false);
  });

  it('says when no trust store was given', () => {
    const report = passiveAuthentication(input(rsaDoc, null));
    expect(report.chain.status).toBe('no-trust-store');
    expect(report.chain.documentSigner?.subject).toMatch(/Document Signer/);
    expect(report.verified).toBe(false);
  });

  it('rejects an expired Document Signer certificate, accepts one that was valid at signing', async () => {
    const csca = await createCsca({ signature: 'ecdsa' });
    const now = new Date();
    // Signed today, but the certificate ended yesterday: expired, and not valid at signing time.
    const expired = await createDocument(person, { signature: 'ecdsa', csca, dsNotBefore: new Date(now.getTime() - 400 * DAY), dsNotAfter: new Date(now.getTime() - DAY) });
    const r1 = passiveAuthentication(input(expired, storeOf(csca.certificate), { now }));
    expect(r1.chain.status).toBe('untrusted');
    expect(r1.chain.documentSigner?.validity).toBe('expired');
    expect(r1.chain.reason).toBe('the Document Signer certificate is expired at the signing time');
    expect(r1.reasons.map((r) => r.code)).toEqual(['certificate-expired']);
    expect(r1.signature.status).toBe('valid');
    // Signed 200 days ago within the certificate's validity, checked today after it ended.
    const old = await createDocument(person, { signature: 'ecdsa', csca, now: new Date(now.getTime() - 200 * DAY), dsNotBefore: new Date(now.getTime() - 300 * DAY), dsNotAfter: new Date(now.getTime() - 100 * DAY) });
    const r2 = passiveAuthentication(input(old, storeOf(csca.certificate), { now }));
    expect(r2.chain.documentSigner?.validity).toBe('valid-at-signing');
    expect(r2.chain.status).toBe('trusted');
    expect(r2.verified).toBe(true);
    // Not yet valid.
    const future = await createDocument(person, { signature: 'ecdsa', csca, dsNotBefore: new Date(now.getTime() + 10 * DAY), dsNotAfter: new Date(now.getTime() + 400 * DAY) });
    const r3 = passiveAuthentication(input(future, storeOf(csca.certificate), { now }));
    expect(r3.chain.documentSigner?.validity).toBe('not-yet-valid');
    expect(r3.chain.status).toBe('untrusted');
  });

  it('does not trust a chain whose CSCA is expired', () => {
    const later = new Date(Date.now() + 20 * 365 * DAY);
    const report = passiveAuthentication(input(rsaDoc, storeOf(rsaCsca.certificate), { now: later }));
    expect(report.chain.csca?.validity).toBe('expired');
    expect(report.chain.reason).toBe('the CSCA certificate is expired');
    expect(report.verified).toBe(false);
  });

  it('reports a missing or malformed EF.SOD without throwing', () => {
    const missing = passiveAuthentication({ ...input(rsaDoc, null), sod: undefined });
    expect(missing.hashes.status).toBe('not-checked');
    expect(missing.signature.problems).toEqual(['EF.SOD was not read']);
    const garbage = passiveAuthentication({ ...input(rsaDoc, null), sod: new Uint8Array([0x77, 0x03, 0x30, 0x01, 0x00]) });
    expect(garbage.signature.status).toBe('invalid');
    expect(garbage.problems[0]).toMatch(/^signature: EF.SOD: /);
    expect(() => parseSod(new Uint8Array([0x30, 0x00]))).toThrow(/EF.SOD: outer tag is 30, expected 77/);
  });

  it('parses the LDSSecurityObject', () => {
    const sod = parseSod(rsaDoc.files[0x1d]);
    expect(sod.lds.hashAlgorithm).toBe('sha256');
    expect([...sod.lds.dataGroupHashes.keys()]).toEqual([1, 2, 15]);
    expect(sod.cms.certificates.length).toBeGreaterThan(0);
  });
});

describe('trust store and master lists', () => {
  it('imports a master list after checking its signature and self-consistency', async () => {
    const other = await createCsca({ signature: 'ecdsa', country: 'XA', commonName: 'Other CSCA' });
    const ml = await createMasterList([rsaCsca, other]);
    const parsed = parseMasterList(ml);
    expect(parsed.certificates.length).toBe(2);
    expect(parsed.signerIssuer.subject).toMatch(/Utopia Test CSCA/);

    const dir = await mkdtemp(join(tmpdir(), 'trust-'));
    await writeFile(join(dir, 'list.ml'), ml);
    const store = await loadTrustStore(dir);
    expect(store.size).toBe(2);
    expect(passiveAuthentication(input(rsaDoc, store)).verified).toBe(true);

    // A master list saved under another extension is recognised by its content.
    const derDir = await mkdtemp(join(tmpdir(), 'trust-der-'));
    await writeFile(join(derDir, 'master-list.der'), ml);
    expect((await loadTrustStore(derDir)).size).toBe(2);

    const target = await mkdtemp(join(tmpdir(), 'trust-import-'));
    const result = await importIntoTrustDir(join(dir, 'list.ml'), target);
    expect(result.added.length).toBe(2);
    expect((await readdir(target)).filter((f) => f.endsWith('.der')).length).toBe(2);
    expect((await importIntoTrustDir(join(dir, 'list.ml'), target)).skipped).toBe(2);
    expect(passiveAuthentication(input(rsaDoc, await loadTrustStore(target))).verified).toBe(true);
  });

  it('rejects a master list whose own signature is bad', async () => {
    const ml = await createMasterList([rsaCsca], { badSignature: true });
    expect(() => parseMasterList(ml)).toThrow(ReaderError);
    expect(() => parseMasterList(ml)).toThrow(/master list rejected: the signature does not verify/);
    const dir = await mkdtemp(join(tmpdir(), 'trust-bad-'));
    await writeFile(join(dir, 'bad.ml'), ml);
    await expect(loadTrustStore(dir)).rejects.toMatchObject({ code: 'trust-store' });
  });

  it('rejects a master list whose signer does not chain to a CSCA in it', async () => {
    const outsider = await createCsca({ signature: 'ecdsa', commonName: 'Outsider CSCA' });
    const ml = await createMasterList([rsaCsca], { signerCsca: outsider });
    expect(() => parseMasterList(ml)).toThrow(/not issued by any CSCA in the list/);
  });

  it('rejects what is not a master list', () => {
    expect(() => parseMasterList(rsaDoc.files[0x1d].subarray(4))).toThrow(/not a CSCA master list|master list rejected/);
    expect(() => parseMasterList(new Uint8Array([1, 2, 3]))).toThrow(/master list rejected/);
  });

  it('loads PEM and DER certificates from a folder and skips duplicates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trust-pem-'));
    await writeFile(join(dir, 'a.pem'), toPem(rsaCsca.certificate, 'CERTIFICATE'));
    await writeFile(join(dir, 'b.der'), rsaCsca.certificate);
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    const store = await loadTrustStore(dir);
    expect(store.size).toBe(1);
    expect(store.sources.length).toBe(2);
    await writeFile(join(dir, 'c.cer'), new Uint8Array([0x30, 0x03, 1, 2, 3]));
    await expect(loadTrustStore(dir)).rejects.toMatchObject({ code: 'malformed-data' });
    await expect(loadTrustStore(join(dir, 'nope'))).rejects.toMatchObject({ code: 'trust-store' });
  });
});

describe('a Document Signer certificate whose validity is not a date (found by fuzzing)', () => {
  it('is reported, never valid, and does not throw a RangeError', async () => {
    const { loadFixture } = await import('@epassport/hardware/fixtures/index');
    const f = loadFixture('icao-specimen');
    const sod = f.files[0x1d].slice();
    // offset 336 is a digit of the DS certificate's UTCTime; bit 3 turns it into something OpenSSL
    // still loads but that is not a date
    expect(Buffer.from(sod.subarray(330, 342)).toString('latin1')).toMatch(/^\d+/);
    sod[336] ^= 1 << 3;
    const report = passiveAuthentication({ sod, dataGroups: { 1: f.files[1] }, trustStore: storeOf(f.cscaCertificate) });
    expect(report.verified).toBe(false);
    expect(report.chain.status).toBe('untrusted');
    expect(report.chain.documentSigner?.validity).not.toBe('valid');
  });
});

describe('a master list whose signer certificate OpenSSL cannot load (found by fuzzing)', () => {
  it('is rejected as trust-store, like every other bad master list', async () => {
    const { loadMasterList } = await import('@epassport/hardware/fixtures/index');
    const ml = loadMasterList();
    // 19 bytes spliced into the signer certificate's extensions: pkijs still parses it, OpenSSL does not
    const splice = Buffer.from('1d0f0101ff04040302078030110603551d2504', 'hex');
    const bad = new Uint8Array([...ml.subarray(0, 1826), ...splice, ...ml.subarray(1826)]);
    expect(() => parseMasterList(bad)).toThrow(expect.objectContaining({ name: 'ReaderError', code: 'trust-store' }));
  });
});

describe('checkHashes compares whole hashes', () => {
  it('an EF.SOD hash longer than the digest is a mismatch, even when the digest is its prefix', () => {
    const dg1 = Uint8Array.of(1, 2, 3);
    const digest = new Uint8Array(createHash('sha256').update(dg1).digest());
    const sod = { lds: { hashAlgorithm: 'sha256', dataGroupHashes: new Map([[1, new Uint8Array([...digest, 0])]]) } } as unknown as Sod;
    const report = checkHashes(sod, { sod: undefined, dataGroups: new Map([[1, dg1]]) });
    expect(report.mismatched).toEqual([1]);
    expect(report.status).toBe('mismatch');
  });
});
