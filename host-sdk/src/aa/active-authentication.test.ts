// Active Authentication on the host: ISO/IEC 9796-2 scheme 1 recovery against a published vector
// (ISO/IEC 9796-2 edition 1 example, as Bouncy Castle's ISO9796Test.doTest5 carries it) and
// against signatures made independently with node:crypto's raw RSA on a message formatted by
// hand; ECDSA plain with the hash DG14 names; every failure path.

import { constants, createHash, createPublicKey, generateKeyPairSync, privateEncrypt, randomBytes, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeDg14ActiveAuth, encodeDg15 } from '@epassport/hardware/sim/document/index';
import { activeAuthHashFromDg14, checkActiveAuthentication, drawChallenge } from './active-authentication.js';
import { verifyIso9796Scheme1 } from './iso9796-2.js';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const spki = (k: KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));

// ISO/IEC 9796-2 ed. 1, partial recovery with RIPEMD-160 and the implicit BC trailer, e = 3.
const MOD3 = 'ffffffff78f6c55506c59785e871211ee120b0b5dd644aa796d82413a47b24573f1be5745b5cd9950f6b389b52350d4e01e90009669a8720bf265a2865994190a661dea3c7828e2e7ca1b19651adc2d5';
const MSG5 = 'fedcba9876543210'.repeat(14);
const SIG5 = '5cf9a01854dbacaec83aae8efc563d74538192e95466babacd361d7c86000fe42dcb4581e48e4feb862d04698da9203b1803b262105104d510b365ee9c660857ba1c001aa57abfd1c8de92e47c275cae';

/** F = 6A || M1 || H(M1 || challenge) || trailer, signed with the raw private-key operation. */
function signIso9796(key: KeyObject, challenge: Uint8Array, hash = 'sha1', complement = false): Uint8Array {
  const k = (key.asymmetricKeyDetails!.modulusLength as number) / 8;
  const trailer = hash === 'sha1' ? [0xbc] : [{ sha256: 0x34, sha512: 0x35, sha384: 0x36, sha224: 0x38 }[hash]!, 0xcc];
  const h = createHash(hash);
  const m1 = randomBytes(k - 1 - h.copy().digest().length - trailer.length);
  const f = Buffer.concat([Buffer.of(0x6a), m1, h.update(m1).update(challenge).digest(), Buffer.from(trailer)]);
  const s = privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, f);
  if (!complement) return new Uint8Array(s);
  const n = BigInt('0x' + Buffer.from(createPublicKey(key).export({ format: 'jwk' }).n as string, 'base64url').toString('hex'));
  return hex((n - BigInt('0x' + s.toString('hex'))).toString(16).padStart(k * 2, '0'));
}

const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const challenge = hex('0102030405060708');

describe('ISO/IEC 9796-2 scheme 1', () => {
  it('recovers the published example (RIPEMD-160, BC trailer, e = 3)', () => {
    const key = createPublicKey({ key: { kty: 'RSA', n: Buffer.from(MOD3, 'hex').toString('base64url'), e: 'Aw' }, format: 'jwk' });
    const msg = hex(MSG5);
    const m1Length = 80 - 1 - 20 - 1;
    const r = verifyIso9796Scheme1(key, hex(SIG5), msg.subarray(m1Length), 'ripemd160');
    expect(r).toMatchObject({ valid: true, hash: 'ripemd160', problem: null });
    expect(Buffer.from(r.recovered!).toString('hex')).toBe(MSG5.slice(0, m1Length * 2));
    expect(verifyIso9796Scheme1(key, hex(SIG5), msg.subarray(m1Length + 1), 'ripemd160').valid).toBe(false);
  });

  it.each([['sha1', 1024], ['sha256', 1024], ['sha256', 2048], ['sha384', 2048], ['sha512', 2048], ['sha224', 1024]] as const)('verifies %s signatures of a %i-bit key', (hash, bits) => {
    const { privateKey, publicKey } = bits === 1024 ? rsa1024 : rsa2048;
    for (let i = 0; i < 5; i++) {
      const c = randomBytes(8);
      const r = verifyIso9796Scheme1(publicKey, signIso9796(privateKey, c, hash), c);
      expect(r).toMatchObject({ valid: true, hash });
      expect(r.recovered!.length).toBe(bits / 8 - 2 - createHash(hash).digest().length - (hash === 'sha1' ? 0 : 1));
    }
  });

  it('accepts the signer\'s n - s form', () => {
    expect(verifyIso9796Scheme1(rsa1024.publicKey, signIso9796(rsa1024.privateKey, challenge, 'sha1', true), challenge).valid).toBe(true);
  });

  it('refuses another challenge, a flipped bit, a wrong length, another key, a total-recovery header', () => {
    const s = signIso9796(rsa1024.privateKey, challenge);
    expect(verifyIso9796Scheme1(rsa1024.publicKey, s, hex('0102030405060709')).problem).toMatch(/does not match/);
    const flipped = s.slice();
    flipped[40] ^= 1;
    expect(verifyIso9796Scheme1(rsa1024.publicKey, flipped, challenge).valid).toBe(false);
    expect(verifyIso9796Scheme1(rsa1024.publicKey, s.subarray(1), challenge).problem).toMatch(/bytes for a 128-byte modulus/);
    expect(verifyIso9796Scheme1(rsa2048.publicKey, s, challenge).valid).toBe(false);
    const f = Buffer.alloc(128, 0x11);
    f[0] = 0x4a;
    f[127] = 0xbc;
    const total = new Uint8Array(privateEncrypt({ key: rsa1024.privateKey, padding: constants.RSA_NO_PADDING }, f));
    expect(verifyIso9796Scheme1(rsa1024.publicKey, total, challenge).problem).toMatch(/total recovery/);
    f[0] = 0x6a;
    f[127] = 0x2c;
    const noTrailer = new Uint8Array(privateEncrypt({ key: rsa1024.privateKey, padding: constants.RSA_NO_PADDING }, f));
    expect(verifyIso9796Scheme1(rsa1024.publicKey, noTrailer, challenge).valid).toBe(false);
  });
});

describe('Active Authentication', () => {
  const dg15Rsa = encodeDg15(spki(rsa1024.publicKey));
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const dg15Ec = encodeDg15(spki(ec.publicKey));

  it('passes an RSA chip', () => {
    const r = checkActiveAuthentication({ dg15: dg15Rsa, challenge, signature: signIso9796(rsa1024.privateKey, challenge) });
    expect(r).toEqual({ status: 'active-authentication', algorithm: 'ISO/IEC 9796-2 scheme 1 (sha1)', challenge: '0102030405060708', problem: null });
  });

  it.each(['sha1', 'sha256', 'sha384'] as const)('passes an EC chip with %s named in DG14', (hash) => {
    const signature = new Uint8Array(sign(hash, challenge, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }));
    const dg14 = encodeDg14ActiveAuth(hash);
    expect(activeAuthHashFromDg14(dg14)).toBe(hash);
    const r = checkActiveAuthentication({ dg15: dg15Ec, dg14, challenge, signature });
    expect(r.status).toBe('active-authentication');
    expect(r.algorithm).toBe('ECDSA plain (' + hash + ', prime256v1)');
  });

  it('fails an EC signature under another hash, a DER signature, or no DG14', () => {
    const sha1Sig = new Uint8Array(sign('sha1', challenge, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }));
    expect(checkActiveAuthentication({ dg15: dg15Ec, dg14: encodeDg14ActiveAuth('sha256'), challenge, signature: sha1Sig }).status).toBe('failed');
    const der = new Uint8Array(sign('sha256', challenge, ec.privateKey));
    expect(checkActiveAuthentication({ dg15: dg15Ec, dg14: encodeDg14ActiveAuth('sha256'), challenge, signature: der }).status).toBe('failed');
    expect(checkActiveAuthentication({ dg15: dg15Ec, challenge, signature: sha1Sig }).problem).toMatch(/DG14 names no ECDSA hash/);
  });

  it('fails a chip that signs with another key, refuses, or is not asked', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(checkActiveAuthentication({ dg15: dg15Rsa, challenge, signature: signIso9796(other.privateKey, challenge) }).status).toBe('failed');
    expect(checkActiveAuthentication({ dg15: dg15Rsa, challenge, signature: new Uint8Array(0) })).toMatchObject({ status: 'failed', problem: expect.stringMatching(/refused/) });
    expect(checkActiveAuthentication({ dg15: dg15Rsa, challenge, signature: undefined }).status).toBe('failed');
    expect(checkActiveAuthentication({ dg15: hex('6f03020100'), challenge, signature: new Uint8Array(128) }).problem).toMatch(/DG15 does not hold/);
  });

  it('is not-supported without DG15 or without a challenge', () => {
    expect(checkActiveAuthentication({ dg15: undefined, challenge, signature: undefined }).status).toBe('not-supported');
    expect(checkActiveAuthentication({ dg15: dg15Rsa, challenge: null, signature: undefined }).status).toBe('not-supported');
  });

  it('draws the challenge from the injected source, 8 bytes only', () => {
    expect(drawChallenge(() => challenge)).toBe(challenge);
    expect(drawChallenge().length).toBe(8);
    expect(() => drawChallenge(() => new Uint8Array(7))).toThrow(RangeError);
  });
});
