// Symmetric crypto of PACE, Chip Authentication and AES secure messaging for the virtual chip and
// its test terminal, on node:crypto: AES-ECB/CBC, AES-CMAC (NIST SP 800-38B, written here over
// AES-ECB because node:crypto has no CMAC), the key derivation function of ICAO 9303 Part 11
// §9.7.1, the PACE password key Kπ (§9.7.3) and the authentication tokens (§4.4.3.4, §9.4.2/§9.7.5).

import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { concatBytes } from '../bytes';
import { encodeDo } from './apdu';

export const KDF_ENC = 1;
export const KDF_MAC = 2;
export const KDF_PI = 3;

/** The symmetric cipher a PACE or CA protocol OID names (9303-11 §9.2.3 / §9.2.5). */
export interface SymmetricSuite {
  cipher: 'aes' | '3des';
  /** Key length in bytes: 16 (3DES, AES-128), 24 (AES-192), 32 (AES-256). */
  keyLength: number;
}

function aesName(key: Uint8Array, mode: 'ecb' | 'cbc'): string {
  return `aes-${key.length * 8}-${mode}`;
}

/** AES in ECB mode, no padding (input a multiple of 16 bytes). */
export function aesEcb(key: Uint8Array, data: Uint8Array, decrypt = false): Uint8Array {
  const c = decrypt ? createDecipheriv(aesName(key, 'ecb'), key, null) : createCipheriv(aesName(key, 'ecb'), key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** AES in CBC mode with the given IV, no padding. */
export function aesCbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array, decrypt = false): Uint8Array {
  const c = decrypt ? createDecipheriv(aesName(key, 'cbc'), key, iv) : createCipheriv(aesName(key, 'cbc'), key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** Doubling in GF(2^128) as SP 800-38B §6.1 (shift left, XOR Rb = 0x87 on carry). */
function double128(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = ((b[i] << 1) | (i < 15 ? b[i + 1] >> 7 : 0)) & 0xff;
  if (b[0] & 0x80) out[15] ^= 0x87;
  return out;
}

/** AES-CMAC (NIST SP 800-38B), full 16-byte tag. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k1 = double128(aesEcb(key, new Uint8Array(16)));
  const k2 = double128(k1);
  const blocks = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const last = new Uint8Array(16);
  const tail = message.subarray((blocks - 1) * 16);
  last.set(tail);
  if (!complete) last[tail.length] = 0x80;
  const subkey = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) last[i] ^= subkey[i];
  let x: Uint8Array = new Uint8Array(16);
  for (let b = 0; b < blocks - 1; b++) {
    const y = new Uint8Array(16);
    for (let i = 0; i < 16; i++) y[i] = x[i] ^ message[b * 16 + i];
    x = aesEcb(key, y);
  }
  for (let i = 0; i < 16; i++) last[i] ^= x[i];
  return aesEcb(key, last);
}

/** KDF(K, c) of 9303-11 §9.7.1: SHA-1 (3DES, AES-128) or SHA-256 (AES-192/256) of K || c (32 bits). */
export function kdf(secret: Uint8Array, counter: number, suite: SymmetricSuite): Uint8Array {
  const hash = suite.cipher === '3des' || suite.keyLength === 16 ? 'sha1' : 'sha256';
  const d = createHash(hash).update(secret).update(Uint8Array.of(0, 0, 0, counter)).digest();
  return new Uint8Array(d.subarray(0, suite.keyLength));
}

/** The PACE password for the MRZ (§9.7.3): K = SHA-1(MRZ information). */
export function mrzPassword(mrzInformation: string): Uint8Array {
  return new Uint8Array(createHash('sha1').update(mrzInformation, 'latin1').digest());
}

/** Kπ = KDF(password, 3). */
export function passwordKey(password: Uint8Array, suite: SymmetricSuite): Uint8Array {
  return kdf(password, KDF_PI, suite);
}

/** The nonce cipher E(Kπ, s) / D(Kπ, z) of §4.4.3.1 with AES (CBC, IV 0; s is one or two blocks). */
export function nonceCipher(kPi: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  return aesCbc(kPi, new Uint8Array(16), data, decrypt);
}

/** The public key data object of an ECDH key (9303-11 §9.4.2 / TR-03110-3 D.3.3):
 * 7F49 { 06 protocol OID, 86 uncompressed point }. */
export function ecPublicKeyDataObject(protocolOid: Uint8Array, point: Uint8Array): Uint8Array {
  const inner = concatBytes(encodeDo(0x06, protocolOid), encodeDo(0x86, point));
  const len = encodeDo(0x00, inner).subarray(1); // the DER length of `inner` followed by it
  return concatBytes(Uint8Array.of(0x7f, 0x49), len);
}

/** Authentication token (§4.4.3.4 with AES): CMAC(KSmac, public key data object), 8 bytes. */
export function authenticationToken(ksMac: Uint8Array, protocolOid: Uint8Array, otherPartyPoint: Uint8Array): Uint8Array {
  return aesCmac(ksMac, ecPublicKeyDataObject(protocolOid, otherPartyPoint)).subarray(0, 8);
}
