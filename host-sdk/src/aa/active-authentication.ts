// Active Authentication (ICAO 9303-11 §6.1), host side: the relying party draws an 8-byte
// challenge, the chip signs it with the private key behind DG15, and the host checks that
// signature against DG15's public key. RSA: ISO/IEC 9796-2 scheme 1 (iso9796-2.ts). ECDSA: plain
// r||s (BSI TR-03111) with the hash DG14's ActiveAuthenticationInfo names (9303-11 §6.1 and
// §9.2.5: that SecurityInfo is required when the AA key is an EC key).

import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { readFileTlv } from '../lds/tlv.js';
import { fromBerSafe } from '../pa/cms.js';
import { SIGNATURES } from '../pa/oids.js';
import { verifyIso9796Scheme1 } from './iso9796-2.js';

/** The challenge length of INTERNAL AUTHENTICATE. */
export const AA_CHALLENGE_LENGTH = 8;
/** id-AA: the protocol OID of ActiveAuthenticationInfo in DG14. */
export const ID_AA = '2.23.136.1.1.5';

export type ActiveAuthenticationStatus = 'active-authentication' | 'not-supported' | 'failed';
/** How the chip proved it is not a clone: Active Authentication, Chip Authentication (the device
 * ran it and DG14 is hash-verified: aa/chip-authentication.ts), neither, or one of them failed. */
export type ChipAuthenticity = ActiveAuthenticationStatus | 'chip-authentication';

export interface ActiveAuthenticationReport {
  /** active-authentication: the chip signed the challenge with DG15's key; not-supported: no DG15
   * was read (or AA was not asked for); failed: DG15 is there and the signature is not. */
  status: ActiveAuthenticationStatus;
  /** 'ISO/IEC 9796-2 scheme 1 (SHA-256)', 'ECDSA plain (sha256, prime256v1)', ... */
  algorithm: string | null;
  /** The challenge sent, hex (it is the relying party's, not personal data). */
  challenge: string | null;
  /** Why it failed (or why it was not done). */
  problem: string | null;
}

/** The relying party's challenge source: 8 random bytes unless a source is injected. */
export function drawChallenge(random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n))): Uint8Array {
  const c = random(AA_CHALLENGE_LENGTH);
  if (!(c instanceof Uint8Array) || c.length !== AA_CHALLENGE_LENGTH) throw new RangeError('the challenge source must give 8 bytes');
  return c;
}

/** DG15 (tag 6F) → the Active Authentication public key. Throws malformed-data. */
export function activeAuthPublicKey(dg15: Uint8Array): KeyObject {
  const spki = readFileTlv(dg15, 0x6f, 'DG15').value;
  return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}

/** The node:crypto hash named by DG14's ActiveAuthenticationInfo, null when DG14 has none. */
export function activeAuthHashFromDg14(dg14: Uint8Array): string | null {
  const set = readFileTlv(dg14, 0x6e, 'DG14').value;
  const asn1 = fromBerSafe(set.slice().buffer as ArrayBuffer);
  if (asn1.offset === -1 || !(asn1.result instanceof asn1js.Set)) return null;
  for (const info of asn1.result.valueBlock.value) {
    if (!(info instanceof asn1js.Sequence)) continue;
    const [protocol, version, algorithm] = info.valueBlock.value;
    if (!(protocol instanceof asn1js.ObjectIdentifier) || protocol.valueBlock.toString() !== ID_AA) continue;
    if (!(version instanceof asn1js.Integer) || !(algorithm instanceof asn1js.ObjectIdentifier)) return null;
    const known = SIGNATURES[algorithm.valueBlock.toString()];
    return known && known.scheme === 'ecdsa-plain' ? known.digest : null;
  }
  return null;
}

export interface ActiveAuthenticationInput {
  dg15: Uint8Array | undefined;
  dg14?: Uint8Array;
  challenge: Uint8Array | null;
  /** What the chip answered INTERNAL AUTHENTICATE; empty: it refused; undefined: not sent. */
  signature: Uint8Array | undefined;
}

/** Checks the chip's answer. Never throws on bad chip data: a problem makes it 'failed'. */
export function checkActiveAuthentication(input: ActiveAuthenticationInput): ActiveAuthenticationReport {
  const challenge = input.challenge ? Buffer.from(input.challenge).toString('hex') : null;
  const report = (status: ActiveAuthenticationStatus, algorithm: string | null, problem: string | null): ActiveAuthenticationReport => ({ status, algorithm, challenge, problem });
  if (!input.dg15) return report('not-supported', null, 'no DG15: the chip has no Active Authentication key');
  if (!input.challenge) return report('not-supported', null, 'Active Authentication was not asked for');
  let key: KeyObject;
  try {
    key = activeAuthPublicKey(input.dg15);
  } catch (e) {
    return report('failed', null, 'DG15 does not hold a usable public key: ' + (e as Error).message);
  }
  if (input.signature === undefined) return report('failed', null, 'the reader returned no answer to INTERNAL AUTHENTICATE');
  if (input.signature.length === 0) return report('failed', null, 'the chip refused INTERNAL AUTHENTICATE although it has DG15');
  if (key.asymmetricKeyType === 'rsa') {
    const r = verifyIso9796Scheme1(key, input.signature, input.challenge);
    const algorithm = 'ISO/IEC 9796-2 scheme 1' + (r.hash ? ' (' + r.hash + ')' : '');
    return r.valid ? report('active-authentication', algorithm, null) : report('failed', algorithm, 'signature: ' + r.problem);
  }
  if (key.asymmetricKeyType === 'ec') {
    let hash: string | null = null;
    try {
      hash = input.dg14 ? activeAuthHashFromDg14(input.dg14) : null;
    } catch (e) {
      return report('failed', null, 'DG14 does not parse: ' + (e as Error).message);
    }
    if (!hash) return report('failed', null, 'DG14 names no ECDSA hash for Active Authentication (ActiveAuthenticationInfo)');
    const algorithm = 'ECDSA plain (' + hash + ', ' + (key.asymmetricKeyDetails?.namedCurve ?? 'explicit curve') + ')';
    let ok = false;
    try {
      ok = verify(hash, input.challenge, { key, dsaEncoding: 'ieee-p1363' }, input.signature);
    } catch {
      ok = false;
    }
    return ok ? report('active-authentication', algorithm, null) : report('failed', algorithm, 'the ECDSA signature does not verify');
  }
  return report('failed', null, 'DG15 holds a ' + key.asymmetricKeyType + ' key, which Active Authentication does not use');
}
