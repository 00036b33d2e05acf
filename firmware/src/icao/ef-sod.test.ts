import { createHash as nodeHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { IcaoError } from './errors';
import { SodHashExtractor, parseLdsSecurityObject } from './ef-sod';

const OIDS: { [name: string]: string } = {
  sha1: '1.3.14.3.2.26', sha224: '2.16.840.1.101.3.4.2.4', sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2', sha512: '2.16.840.1.101.3.4.2.3',
};

/** DER TLV with a definite length. */
function tlv(tag: number, ...parts: (Uint8Array | number[])[]): Uint8Array {
  const value = Buffer.concat(parts.map((p) => Buffer.from(p)));
  const n = value.length;
  const len = n < 128 ? [n] : n < 256 ? [0x81, n] : n < 65536 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return new Uint8Array([tag, ...len, ...value]);
}

function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out = [arcs[0] * 40 + arcs[1]];
  for (const a of arcs.slice(2)) {
    const b = [a & 0x7f];
    for (let v = a >>> 7; v; v >>>= 7) b.unshift((v & 0x7f) | 0x80);
    out.push(...b);
  }
  return tlv(0x06, out);
}

function securityObject(hashOid: string, hashes: { [dg: number]: Uint8Array }): Uint8Array {
  const items = Object.keys(hashes).map((k) => tlv(0x30, tlv(0x02, [Number(k)]), tlv(0x04, hashes[Number(k)])));
  return tlv(0x30, tlv(0x02, [0]), tlv(0x30, oid(hashOid), [0x05, 0x00]), tlv(0x30, ...items));
}

function efSod(lso: Uint8Array, opts: { certificateBytes?: number; contentType?: string } = {}): Uint8Array {
  const cert = tlv(0x30, new Uint8Array(randomBytes(opts.certificateBytes ?? 900)));
  const signedData = tlv(0x30,
    tlv(0x02, [3]),
    tlv(0x31, tlv(0x30, oid(OIDS.sha256))),
    tlv(0x30, oid(opts.contentType ?? '2.23.136.1.1.1'), tlv(0xa0, tlv(0x04, lso))),
    tlv(0xa0, cert),
    tlv(0x31, tlv(0x30, new Uint8Array(randomBytes(300)))));
  return tlv(0x77, tlv(0x30, oid('1.2.840.113549.1.7.2'), tlv(0xa0, signedData)));
}

function sampleHashes(name: string, groups: number[]): { [dg: number]: Uint8Array } {
  const h: { [dg: number]: Uint8Array } = {};
  for (const g of groups) h[g] = new Uint8Array(nodeHash(name).update(randomBytes(50)).digest());
  return h;
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IcaoError);
    return (e as IcaoError).code;
  }
  return 'no error';
}

function extract(sod: Uint8Array, chunk = sod.length, max?: number): ReturnType<SodHashExtractor['finish']> {
  const x = new SodHashExtractor(max);
  for (let o = 0; o < sod.length; o += chunk) x.push(sod.subarray(o, o + chunk));
  return x.finish();
}

describe('SodHashExtractor', () => {
  it.each(Object.keys(OIDS))('%s: algorithm and every data-group hash', (name) => {
    const hashes = sampleHashes(name, [1, 2, 3, 11, 12, 14, 15]);
    const r = extract(efSod(securityObject(OIDS[name], hashes)));
    expect(r.hashAlgorithm).toBe(name);
    expect(r.hashOid).toBe(OIDS[name]);
    expect(Object.keys(r.hashes).map(Number)).toEqual([1, 2, 3, 11, 12, 14, 15]);
    for (const k of Object.keys(hashes)) expect(Buffer.from(r.hashes[Number(k)]).equals(Buffer.from(hashes[Number(k)]))).toBe(true);
  });

  it('gives the same answer for any chunking of the stream', () => {
    const sod = efSod(securityObject(OIDS.sha256, sampleHashes('sha256', [1, 2])));
    const whole = extract(sod);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 200 }), (cuts) => {
      const x = new SodHashExtractor();
      let o = 0;
      for (let i = 0; o < sod.length; i = (i + 1) % cuts.length) {
        x.push(sod.subarray(o, o + cuts[i]));
        o += cuts[i];
      }
      expect(x.finish()).toEqual(whole);
    }));
  });

  it('never holds the certificates: a 100 KB certificate passes under the 2 KB bound', () => {
    const sod = efSod(securityObject(OIDS.sha256, sampleHashes('sha256', [1, 2])), { certificateBytes: 100_000 });
    const x = new SodHashExtractor(2048);
    // complete as soon as the security object has gone by, long before the certificate ends
    x.push(sod.subarray(0, 300));
    expect(x.isComplete()).toBe(true);
    for (let o = 300; o < sod.length; o += 231) x.push(sod.subarray(o, o + 231));
    expect(Object.keys(x.finish().hashes)).toEqual(['1', '2']);
  });

  it('reads an EF.SOD built by pkijs, with a real certificate and a BER-constructed eContent', async () => {
    pkijs.setEngine('node', new pkijs.CryptoEngine({ crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] }));
    const hashes = sampleHashes('sha256', [1, 2, 14]);
    const lso = securityObject(OIDS.sha256, hashes);
    const alg = { name: 'ECDSA', namedCurve: 'P-256' };
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
    const cert = new pkijs.Certificate();
    cert.version = 2;
    cert.serialNumber = new asn1js.Integer({ value: 1 });
    cert.issuer.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: 'Test DS' }) }));
    cert.subject.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: 'Test DS' }) }));
    cert.notBefore.value = new Date('2020-01-01');
    cert.notAfter.value = new Date('2030-01-01');
    await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
    await cert.sign(keys.privateKey, 'SHA-256');
    const sd = new pkijs.SignedData({
      version: 3,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({
        eContentType: '2.23.136.1.1.1',
        eContent: new asn1js.OctetString({ valueHex: lso.slice().buffer }),
      }),
      certificates: [cert],
      signerInfos: [],
    });
    const ci = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) });
    const sod = tlv(0x77, new Uint8Array(ci.toSchema().toBER(false)));
    // the eContent really is BER-constructed here: A0 L 24 L 04 L ...
    const at = Buffer.from(sod).indexOf(Buffer.from('0606678108010101', 'hex')) + 8;
    expect(sod[at]).toBe(0xa0);
    expect(sod[at + (sod[at + 1] & 0x80 ? 2 + (sod[at + 1] & 0x7f) : 2)]).toBe(0x24);
    const r = extract(sod, 17);
    expect(r.hashAlgorithm).toBe('sha256');
    expect(Object.keys(r.hashes)).toEqual(['1', '2', '14']);
    expect(Buffer.from(r.hashes[14]).equals(Buffer.from(hashes[14]))).toBe(true);
  });

  it('unknown hash OID -> unsupported', () => {
    const lso = securityObject('1.2.840.113549.2.5', { 1: new Uint8Array(16) }); // MD5
    expect(codeOf(() => extract(efSod(lso)))).toBe('unsupported');
  });

  it('a security object over the bound -> too-large (also when segmented)', () => {
    const sod = efSod(securityObject(OIDS.sha512, sampleHashes('sha512', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])));
    expect(codeOf(() => extract(sod, 50, 512))).toBe('too-large');
    expect(() => extract(sod, 50, 2048)).not.toThrow();
  });

  it('hostile and malformed structures -> malformed-data', () => {
    const lso = securityObject(OIDS.sha256, sampleHashes('sha256', [1]));
    const good = efSod(lso);
    // not EF.SOD, wrong content types
    expect(codeOf(() => extract(new Uint8Array([0x60, ...good.subarray(1)])))).toBe('malformed-data');
    expect(codeOf(() => extract(efSod(lso, { contentType: '1.2.840.113549.1.7.1' })))).toBe('malformed-data');
    // truncated before the security object
    expect(codeOf(() => extract(good.subarray(0, 40)))).toBe('malformed-data');
    // a length of 4 GB, a length of length 5, indefinite length
    expect(codeOf(() => extract(new Uint8Array([0x77, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x84, 0xff, 0xff, 0xff, 0xff])))).toBe('malformed-data');
    expect(codeOf(() => extract(new Uint8Array([0x77, 0x85, 1, 0, 0, 0, 0])))).toBe('malformed-data');
    expect(codeOf(() => extract(new Uint8Array([0x77, 0x80, 0x30, 0x80])))).toBe('malformed-data');
    // a child longer than its parent
    const bad = good.slice();
    bad[bad.indexOf(0x30, 2) + 1] = 0x7f;
    expect(codeOf(() => extract(bad))).toBe('malformed-data');
  });

  it('security objects with wrong contents -> malformed-data', () => {
    const h32 = new Uint8Array(32);
    expect(codeOf(() => parseLdsSecurityObject(securityObject(OIDS.sha256, { 1: new Uint8Array(20) })))).toBe('malformed-data');
    expect(codeOf(() => parseLdsSecurityObject(securityObject(OIDS.sha256, { 17: h32 })))).toBe('malformed-data');
    expect(codeOf(() => parseLdsSecurityObject(securityObject(OIDS.sha256, { 0: h32 })))).toBe('malformed-data');
    const dup = tlv(0x30, tlv(0x02, [0]), tlv(0x30, oid(OIDS.sha256)), tlv(0x30,
      tlv(0x30, tlv(0x02, [1]), tlv(0x04, h32)), tlv(0x30, tlv(0x02, [1]), tlv(0x04, h32))));
    expect(codeOf(() => parseLdsSecurityObject(dup))).toBe('malformed-data');
    expect(codeOf(() => parseLdsSecurityObject(new Uint8Array([0x30, 0x03, 0x02, 0x01])))).toBe('malformed-data');
    expect(codeOf(() => parseLdsSecurityObject(new Uint8Array([0x04, 0x00])))).toBe('malformed-data');
    const v2 = tlv(0x30, tlv(0x02, [5]), tlv(0x30, oid(OIDS.sha256)), tlv(0x30));
    expect(codeOf(() => parseLdsSecurityObject(v2))).toBe('unsupported');
  });
});
