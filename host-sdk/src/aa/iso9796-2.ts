// ISO/IEC 9796-2 digital signature scheme 1 (message recovery), the RSA signature of Active
// Authentication (ICAO 9303-11 §6.1.2). The RSA primitive is node:crypto's raw public operation;
// the message recovery and checks below are ours.
//
//   J = s^e mod n (k bytes); when J does not end in nibble C, the signer sent n - s and J is n - J
//   F = header || M1 || H(M1 || M2) || trailer
//   header 6A: partial recovery (M2, the challenge, is not in F; 4A would be total recovery)
//   trailer BC: SHA-1 implied; hh CC: hash named by its ISO/IEC 10118-3 identifier hh

import { constants, createHash, publicEncrypt, timingSafeEqual, type KeyObject } from 'node:crypto';

/** ISO/IEC 10118-3 hash-function identifiers of the two-byte trailer (hh CC). */
export const TRAILER_HASHES: Record<number, string> = {
  0x31: 'ripemd160',
  0x33: 'sha1',
  0x34: 'sha256',
  0x35: 'sha512',
  0x36: 'sha384',
  0x38: 'sha224',
};

export interface Iso9796Result {
  valid: boolean;
  /** Hash named by the trailer (node:crypto name), when the trailer was understood. */
  hash: string | null;
  /** The recovered part M1 of the message. */
  recovered: Uint8Array | null;
  /** Why it is not valid. */
  problem: string | null;
}

function bigFrom(bytes: Uint8Array): bigint {
  return bytes.length ? BigInt('0x' + Buffer.from(bytes).toString('hex')) : 0n;
}

function bytesOf(value: bigint, length: number): Uint8Array {
  return new Uint8Array(Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex'));
}

function fail(problem: string, hash: string | null = null): Iso9796Result {
  return { valid: false, hash, recovered: null, problem };
}

/** Verifies `signature` over the non-recoverable message part `m2` (the AA challenge). The BC
 * trailer leaves the hash to context: SHA-1 for Active Authentication. */
export function verifyIso9796Scheme1(publicKey: KeyObject, signature: Uint8Array, m2: Uint8Array, implicitHash = 'sha1'): Iso9796Result {
  if (publicKey.asymmetricKeyType !== 'rsa') return fail('the key is not an RSA key');
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 512 || bits % 8 !== 0) return fail('modulus of ' + bits + ' bits is not supported');
  const k = bits / 8;
  if (signature.length !== k) return fail('signature of ' + signature.length + ' bytes for a ' + k + '-byte modulus');
  const n = bigFrom(new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).n as string, 'base64url')));
  if (bigFrom(signature) >= n) return fail('signature is not below the modulus');
  let f: Uint8Array = new Uint8Array(publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature));
  if ((f[k - 1] & 0x0f) !== 0x0c) f = bytesOf(n - bigFrom(f), k);
  if ((f[k - 1] & 0x0f) !== 0x0c) return fail('no ISO/IEC 9796-2 trailer');
  let hash: string | undefined = implicitHash;
  let trailer = 1;
  if (f[k - 1] !== 0xbc) {
    if (f[k - 1] !== 0xcc) return fail('unknown trailer ' + f[k - 1].toString(16));
    hash = TRAILER_HASHES[f[k - 2]];
    trailer = 2;
    if (!hash) return fail('unknown hash identifier ' + f[k - 2].toString(16) + ' in the trailer');
  }
  if (f[0] !== 0x6a) return fail(f[0] === 0x4a ? 'total recovery: the challenge is not signed' : 'header is not 6A', hash);
  const hashLength = createHash(hash).digest().length;
  const m1End = k - trailer - hashLength;
  if (m1End < 1) return fail('modulus too short for the hash', hash);
  const m1 = f.subarray(1, m1End);
  const expected = createHash(hash).update(m1).update(m2).digest();
  const ok = timingSafeEqual(expected, f.subarray(m1End, k - trailer));
  return { valid: ok, hash, recovered: ok ? m1.slice() : null, problem: ok ? null : 'the hash of M1 and the challenge does not match' };
}
