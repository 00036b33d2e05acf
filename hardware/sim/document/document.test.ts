import { createRequire } from 'node:module';
import { X509Certificate, createPublicKey } from 'node:crypto';
import * as pkijs from 'pkijs';
import jpeg from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCsca, createDocument, createMasterList, tamper } from './index';
import { ldsSecurityObject, sha256, unwrapSod } from './sod';
import { opensslVerifyCms } from './openssl-cms';
import { requireTool } from '../../../test/support/requires-tool';
import { loadOpenJpeg } from './face-image';
import { EF, type Csca, type GeneratedDocument, type Person, type SignatureKind } from './types';

const PERSON: Person = {
  issuingState: 'UTO', surname: 'Testperson', givenNames: 'Anna', documentNumber: 'UT1234567',
  nationality: 'UTO', dateOfBirth: '900101', sex: 'F', dateOfExpiry: '341231',
};

const OPENSSL = requireTool('openssl', 'generated documents and master lists verified by openssl cms -verify');

function dgMap(doc: GeneratedDocument): Map<number, Uint8Array> {
  const m = new Map<number, Uint8Array>();
  for (const k of Object.keys(doc.files).map(Number)) if (k >= 1 && k <= 16) m.set(k, doc.files[k]);
  return m;
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay).indexOf(Buffer.from(needle));
}

/** Value of the first TLV with a given tag byte sequence found at the top of `b` (definite lengths). */
function tlvValue(b: Uint8Array, at: number, tagLength: number): Uint8Array {
  let p = at + tagLength;
  let len = b[p++];
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++];
  }
  return b.subarray(p, p + len);
}

const KINDS: SignatureKind[] = ['rsa', 'rsa-pss', 'ecdsa', 'ecdsa-brainpool'];
const docs = new Map<SignatureKind, GeneratedDocument>();
let csca: Csca;

beforeAll(async () => {
  for (const kind of KINDS) docs.set(kind, await createDocument(PERSON, { signature: kind }));
  csca = await createCsca();
}, 60_000);

describe('LDS files', () => {
  it('EF.COM lists the data groups present; DG1 holds the TD3 MRZ', () => {
    const doc = docs.get('rsa')!;
    expect(Buffer.from(doc.files[EF.COM]).toString('hex')).toBe('60155f0104303130375f36063034303030305c0361756f');
    expect(doc.mrz[1]).toBe('UT12345675UTO9001011F3412318<<<<<<<<<<<<<<<8');
    const dg1 = doc.files[EF.DG1];
    expect([...dg1.subarray(0, 5)]).toEqual([0x61, 0x5b, 0x5f, 0x1f, 0x58]);
    expect(Buffer.from(dg1.subarray(5)).toString('latin1')).toBe(doc.mrz.join(''));
  });

  it('DG2: a 19794-5 record with a decodable JPEG, about 15 KB', () => {
    const dg2 = docs.get('rsa')!.files[EF.DG2];
    expect(dg2.length).toBeGreaterThan(13_500);
    expect(dg2.length).toBeLessThanOrEqual(15_000);
    expect([...dg2.subarray(0, 1)]).toEqual([0x75]);
    const fac = indexOf(dg2, Uint8Array.of(0x46, 0x41, 0x43, 0x00, 0x30, 0x31, 0x30, 0x00));
    expect(fac).toBeGreaterThan(0);
    const recordLength = Buffer.from(dg2).readUInt32BE(fac + 8);
    expect(fac + recordLength).toBe(dg2.length);
    const imageInfo = fac + 14 + 20;
    expect(dg2[imageInfo + 1]).toBe(0x00); // JPEG
    const image = dg2.subarray(imageInfo + 12);
    const decoded = jpeg.decode(image);
    expect([decoded.width, decoded.height]).toEqual([240, 320]);
    expect(Buffer.from(dg2).readUInt16BE(imageInfo + 2)).toBe(240);
  });

  it('DG2 with JPEG 2000: a JP2 file of about 30 KB whose codestream decodes', async () => {
    const doc = await createDocument(PERSON, { signature: 'ecdsa', face: 'jpeg2000', csca: await createCsca({ signature: 'ecdsa' }) });
    const dg2 = doc.files[EF.DG2];
    expect(dg2.length).toBeGreaterThan(27_000);
    expect(dg2.length).toBeLessThanOrEqual(30_000);
    const jp = indexOf(dg2, Uint8Array.of(0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a));
    expect(jp).toBeGreaterThan(0);
    expect(dg2[jp - 11]).toBe(0x01); // image data type: JPEG 2000
    const cs = indexOf(dg2, Uint8Array.of(0x6a, 0x70, 0x32, 0x63)) + 4; // 'jp2c'
    const require = createRequire(import.meta.url);
    await loadOpenJpeg();
    const decoderFactory = require('@cornerstonejs/codec-openjpeg/decodewasmjs') as (m: object) => Promise<{ J2KDecoder: new () => { getEncodedBuffer(n: number): Uint8Array; decode(): void; getFrameInfo(): { width: number; height: number } } }>;
    const codec = await decoderFactory({ print: () => undefined, printErr: () => undefined });
    const d = new codec.J2KDecoder();
    const codestream = dg2.subarray(cs);
    d.getEncodedBuffer(codestream.length).set(codestream);
    d.decode();
    expect(d.getFrameInfo()).toMatchObject({ width: 240, height: 320 });
  });

  it('DG15 holds the Active Authentication public key', () => {
    const doc = docs.get('rsa')!;
    const spki = tlvValue(doc.files[EF.DG15], 0, 1);
    const pub = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    expect(pub.asymmetricKeyType).toBe('rsa');
    expect(doc.activeAuthPrivateKey?.asymmetricKeyDetails?.modulusLength).toBe(1024);
  });

  it('leaves out DG15 on request', async () => {
    const doc = await createDocument(PERSON, { dataGroups: [1, 2], csca });
    expect(doc.files[EF.DG15]).toBeUndefined();
    expect(doc.activeAuthPrivateKey).toBeUndefined();
    expect(Buffer.from(doc.files[EF.COM]).toString('hex').endsWith('5c026175')).toBe(true);
  });

  it('DG11 and DG12 on request, listed in EF.COM and hashed in the SOD', async () => {
    const doc = await createDocument(PERSON, { dataGroups: [1, 2, 11, 12, 15], csca });
    expect(Buffer.from(doc.files[EF.COM]).toString('hex').endsWith('5c0561756b6c6f')).toBe(true);
    expect(Buffer.from(doc.files[EF.DG11]).toString('latin1')).toContain('Testperson, Anna');
    expect(Buffer.from(doc.files[EF.DG12]).toString('latin1')).toContain('20241231');
    const sod = unwrapSod(doc.files[EF.SOD]);
    for (const id of [1, 2, 11, 12, 15]) expect(indexOf(sod, sha256(doc.files[id]))).toBeGreaterThan(0);
  });

  it('certificates carry the ICAO extensions that matter', () => {
    const doc = docs.get('ecdsa')!;
    const ca = new X509Certificate(doc.cscaCertificate);
    const ds = new X509Certificate(doc.documentSignerCertificate);
    expect(ca.ca).toBe(true);
    expect(ds.ca).toBe(false);
    expect(ds.checkIssued(ca)).toBe(true);
    expect(ds.verify(ca.publicKey)).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    const caExt = extensions(doc.cscaCertificate);
    const dsExt = extensions(doc.documentSignerCertificate);
    // KeyUsage as a BIT STRING: keyCertSign + cRLSign = 06 (1 unused bit), digitalSignature = 80 (7 unused)
    expect(caExt.get('2.5.29.15')).toMatchObject({ critical: true, value: '03020106' });
    expect(dsExt.get('2.5.29.15')).toMatchObject({ critical: true, value: '03020780' });
    expect(caExt.get('2.5.29.19')).toMatchObject({ critical: true, value: '30060101ff020100' });
    // authority key id of the DS = subject key id of the CSCA: 30 16 80 14 <id> vs 04 14 <id>
    expect(dsExt.get('2.5.29.35')!.value.slice(8)).toBe(caExt.get('2.5.29.14')!.value.slice(4));
    const sod = unwrapSod(doc.files[EF.SOD]);
    expect(indexOf(sod, doc.documentSignerCertificate)).toBeGreaterThan(0);
  });
});

function extensions(der: Uint8Array): Map<string, { critical: boolean; value: string }> {
  const cert = pkijs.Certificate.fromBER(der);
  const m = new Map<string, { critical: boolean; value: string }>();
  for (const e of cert.extensions ?? []) m.set(e.extnID, { critical: e.critical, value: Buffer.from(e.extnValue.valueBlock.valueHexView).toString('hex') });
  return m;
}

describe.skipIf(!OPENSSL)('EF.SOD verified by openssl cms -verify', () => {
  it.each(KINDS)('%s: verifies against its CSCA and signs the hashes of the data groups', (kind) => {
    const doc = docs.get(kind)!;
    const v = opensslVerifyCms(unwrapSod(doc.files[EF.SOD]), [doc.cscaCertificate]);
    expect(v.message).toContain('Verification successful');
    expect(v.ok).toBe(true);
    expect(Buffer.from(v.content).equals(Buffer.from(ldsSecurityObject(dgMap(doc))))).toBe(true);
    for (const [, file] of dgMap(doc)) expect(indexOf(v.content, sha256(file))).toBeGreaterThan(0);
  });

  it('a data group changed after signing no longer matches its hash (signature still valid)', () => {
    const doc = docs.get('rsa')!;
    for (const id of [EF.DG1, EF.DG2]) {
      const bad = tamper(doc, id);
      expect(Buffer.from(bad.files[id]).equals(Buffer.from(doc.files[id]))).toBe(false);
      const v = opensslVerifyCms(unwrapSod(bad.files[EF.SOD]), [bad.cscaCertificate]);
      expect(v.ok).toBe(true);
      expect(indexOf(v.content, sha256(doc.files[id]))).toBeGreaterThan(0);
      expect(indexOf(v.content, sha256(bad.files[id]))).toBe(-1);
    }
  });

  it('a forged signature fails', async () => {
    const doc = await createDocument(PERSON, { csca, forgeSignature: true });
    const v = opensslVerifyCms(unwrapSod(doc.files[EF.SOD]), [doc.cscaCertificate]);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/signature|verify/i);
  });

  it('a wrong CSCA fails, both as an option and with another CSCA', async () => {
    const doc = await createDocument(PERSON, { csca, wrongCsca: true });
    expect(opensslVerifyCms(unwrapSod(doc.files[EF.SOD]), [doc.cscaCertificate]).ok).toBe(false);
    const good = docs.get('rsa')!;
    expect(opensslVerifyCms(unwrapSod(good.files[EF.SOD]), [csca.certificate]).ok).toBe(false);
  });

  it('an expired or not yet valid Document Signer certificate fails', async () => {
    const year = 365 * 86_400_000;
    const expired = await createDocument(PERSON, { csca, dsNotBefore: new Date(Date.now() - 3 * year), dsNotAfter: new Date(Date.now() - year) });
    const v1 = opensslVerifyCms(unwrapSod(expired.files[EF.SOD]), [expired.cscaCertificate]);
    expect([v1.ok, /expired/i.test(v1.message)]).toEqual([false, true]);
    const future = await createDocument(PERSON, { csca, dsNotBefore: new Date(Date.now() + year), dsNotAfter: new Date(Date.now() + 3 * year) });
    const v2 = opensslVerifyCms(unwrapSod(future.files[EF.SOD]), [future.cscaCertificate]);
    expect([v2.ok, /not yet valid/i.test(v2.message)]).toEqual([false, true]);
  });
});

describe.skipIf(!OPENSSL)('CSCA master list', () => {
  it('verifies against the issuing CSCA and lists every CSCA certificate', async () => {
    const other = await createCsca({ signature: 'ecdsa', country: 'UV', commonName: 'Other Test CSCA' });
    const ml = await createMasterList([csca, other]);
    const v = opensslVerifyCms(ml, [csca.certificate]);
    expect(v.ok).toBe(true);
    expect(indexOf(ml, Uint8Array.of(0x06, 0x06, 0x67, 0x81, 0x08, 0x01, 0x01, 0x02))).toBeGreaterThan(0); // 2.23.136.1.1.2
    expect([...v.content.subarray(0, 1)]).toEqual([0x30]);
    expect(indexOf(v.content, csca.certificate)).toBeGreaterThan(0);
    expect(indexOf(v.content, other.certificate)).toBeGreaterThan(0);
    expect(opensslVerifyCms(ml, [other.certificate]).ok).toBe(false);
  });

  it('a bad signature fails', async () => {
    const ml = await createMasterList([csca], { badSignature: true });
    expect(opensslVerifyCms(ml, [csca.certificate]).ok).toBe(false);
  });
});
