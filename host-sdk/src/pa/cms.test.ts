// Signature verification by algorithm identifier, cross-checked against node:crypto signing.

import { generateKeyPairSync, sign, constants } from 'node:crypto';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { verifyWithKey } from './cms';
import { parseMasterList } from './master-list';
import { passiveAuthentication } from './passive-authentication';
import { parseSod } from './sod';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const data = new TextEncoder().encode('signed attributes stand-in');
const alg = (oid: string, params?: asn1js.AsnType) => new pkijs.AlgorithmIdentifier({ algorithmId: oid, algorithmParams: params });

describe('verifyWithKey', () => {
  it('verifies ECDSA in DER (ecdsa-with-SHA256) and plain r||s (BSI ecdsa-plain-SHA256) on brainpool', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'brainpoolP384r1' });
    const der = sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
    const plain = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    expect(verifyWithKey(publicKey, alg('1.2.840.10045.4.3.2'), SHA256, data, der)).toEqual({ valid: true, algorithm: 'ecdsa-with-SHA256 (brainpoolP384r1)' });
    expect(verifyWithKey(publicKey, alg('0.4.0.127.0.7.1.1.4.1.3'), SHA256, data, plain).valid).toBe(true);
    // The encodings are not interchangeable, and a changed message fails.
    expect(verifyWithKey(publicKey, alg('1.2.840.10045.4.3.2'), SHA256, data, plain).valid).toBe(false);
    expect(verifyWithKey(publicKey, alg('1.2.840.10045.4.3.2'), SHA256, data.slice(1), der).valid).toBe(false);
    // ecPublicKey as the signature algorithm: the digest comes from digestAlgorithm.
    expect(verifyWithKey(publicKey, alg('1.2.840.10045.2.1'), SHA256, data, der)).toEqual({ valid: true, algorithm: 'ECDSA/SHA-256 (brainpoolP384r1)' });
  });

  it('verifies RSA PKCS#1 v1.5 and RSA-PSS with its parameters', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = sign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PADDING });
    expect(verifyWithKey(publicKey, alg('1.2.840.113549.1.1.1'), SHA256, data, pkcs1).valid).toBe(true);
    expect(verifyWithKey(publicKey, alg('1.2.840.113549.1.1.11'), SHA256, data, pkcs1).valid).toBe(true);
    const pss = sign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    const params = new pkijs.RSASSAPSSParams({
      hashAlgorithm: alg(SHA256),
      maskGenAlgorithm: alg('1.2.840.113549.1.1.8', alg(SHA256).toSchema()),
      saltLength: 32,
    }).toSchema();
    expect(verifyWithKey(publicKey, alg('1.2.840.113549.1.1.10', params), SHA256, data, pss)).toEqual({ valid: true, algorithm: 'RSASSA-PSS/SHA-256 salt 32' });
    expect(verifyWithKey(publicKey, alg('1.2.840.113549.1.1.11'), SHA256, data, pss).valid).toBe(false);
  });

  it('refuses a key of the wrong type and unknown algorithms', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const sig = sign('sha256', data, ec.privateKey);
    expect(verifyWithKey(ec.publicKey, alg('1.2.840.113549.1.1.11'), SHA256, data, sig).valid).toBe(false);
    expect(() => verifyWithKey(ec.publicKey, alg('1.2.3.4'), SHA256, data, sig)).toThrow(/signature algorithm 1.2.3.4 is not supported/);
    expect(() => verifyWithKey(ec.publicKey, alg('1.2.840.10045.2.1'), '1.2.3', data, sig)).toThrow(/digest algorithm 1.2.3 is not supported/);
  });
});

describe('malformed time values (found by fuzzing)', () => {
  // asn1js throws a plain Error for a GeneralizedTime that is not a time ("abc").
  const badTime = [0x30, 0x05, 0x18, 0x03, 0x61, 0x62, 0x63];

  it('EF.SOD: ReaderError malformed-data, and passive authentication reports instead of throwing', () => {
    const sod = new Uint8Array([0x77, badTime.length, ...badTime]);
    expect(() => parseSod(sod)).toThrow(expect.objectContaining({ name: 'ReaderError', code: 'malformed-data' }));
    const report = passiveAuthentication({ sod, dataGroups: {} });
    expect(report.verified).toBe(false);
    expect(report.signature.problems.join()).toMatch(/not ASN.1/);
  });

  it('master list: ReaderError trust-store', () => {
    expect(() => parseMasterList(new Uint8Array(badTime))).toThrow(expect.objectContaining({ name: 'ReaderError', code: 'trust-store' }));
  });
});

describe('hostile RSA-PSS parameters (found by fuzzing)', () => {
  const PSS = '1.2.840.113549.1.1.10';

  it('parameters that are not RSASSA-PSS-params: ReaderError malformed-data, not a pkijs Error', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => verifyWithKey(publicKey, alg(PSS, new asn1js.Integer({ value: 1 })), SHA256, data, new Uint8Array(128)))
      .toThrow(expect.objectContaining({ name: 'ReaderError', code: 'malformed-data' }));
  });

});

describe('a signed attribute with no values (found by fuzzing)', () => {
  it('is a problem in the report, not a TypeError out of passiveAuthentication', () => {
    // 77 { ContentInfo { SignedData { ..., LDSSecurityObject v0 SHA-256 with no hashes,
    //   SignerInfo { signedAttrs [0] { Attribute { contentType, SET {} } } } } } }
    const sod = new Uint8Array(Buffer.from(
      '7782007f307d06092a864886f70d010702a070306e020103310030220606678108010101a018241604143012020100300b06096086480165030402013000' +
      '31433041020101300730023100020101300b0609608648016503040201a00f300d06092a864886f70d0109033100300b06092a864886f70d01010b04080000000000000000', 'hex'));
    const report = passiveAuthentication({ sod, dataGroups: {} });
    expect(report.verified).toBe(false);
    expect(report.signature.contentType).toBe(false);
    expect(report.signature.problems.join()).toMatch(/content-type attribute/);
  });
});
