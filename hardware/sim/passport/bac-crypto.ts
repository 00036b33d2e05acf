// BAC and 3DES secure-messaging primitives for the simulators, on node:crypto (des-ede-cbc,
// des-ede, sha1). Deliberately independent from the firmware's own DES/SHA-1 so that each
// implementation cross-checks the other (ICAO Doc 9303 Part 11, sections 9.7 and 9.8).

import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import type { SmCipher } from './sm-cipher';

export const KEY_ENC = 1;
export const KEY_MAC = 2;

/** Sets the low bit of each byte so that every byte has odd parity (DES key parity). */
export function adjustParity(key: Uint8Array): Uint8Array {
  const out = Uint8Array.from(key);
  for (let i = 0; i < out.length; i++) {
    let b = out[i] & 0xfe;
    let ones = 0;
    for (let v = b; v; v >>= 1) ones += v & 1;
    if (ones % 2 === 0) b |= 1;
    out[i] = b;
  }
  return out;
}

export function sha1(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(data).digest());
}

/** Kenc / Kmac from a 16-byte key seed (counter 1 or 2). */
export function deriveKey(seed: Uint8Array, counter: number): Uint8Array {
  const d = new Uint8Array(seed.length + 4);
  d.set(seed);
  d[d.length - 1] = counter;
  return adjustParity(sha1(d).subarray(0, 16));
}

/** The MRZ information used for BAC: document number, birth and expiry dates, each with its check digit. */
export function mrzInformation(documentNumber: string, dateOfBirth: string, dateOfExpiry: string): string {
  let docNo = documentNumber;
  while (docNo.length < 9) docNo += '<';
  return docNo + checkDigit(docNo) + dateOfBirth + checkDigit(dateOfBirth) + dateOfExpiry + checkDigit(dateOfExpiry);
}

const CHECK_WEIGHTS = [7, 3, 1];

/** ICAO 9303 Part 3 check digit: weights 7 3 1, '<' = 0, A = 10 .. Z = 35. */
export function checkDigit(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let v = 0;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    sum += v * CHECK_WEIGHTS[i % 3];
  }
  return String(sum % 10);
}

export function bacKeySeed(mrzInfo: string): Uint8Array {
  return sha1(new TextEncoder().encode(mrzInfo)).subarray(0, 16);
}

/** ISO/IEC 9797-1 padding method 2: 80 then zeros to a multiple of 8. */
export function pad(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / 8) + 1) * 8);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** Removes ISO/IEC 9797-1 method 2 padding (to blockSize: 8, or 16 for AES); null when malformed. */
export function unpad(data: Uint8Array, blockSize = 8): Uint8Array | null {
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0) i--;
  if (i < 0 || data[i] !== 0x80 || data.length - i > blockSize) return null;
  return data.subarray(0, i);
}

const ZERO_IV = new Uint8Array(8);

/** Two-key 3DES in CBC mode, zero IV, no padding (input a multiple of 8 bytes). */
export function tdesEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV): Uint8Array {
  const c = createCipheriv('des-ede-cbc', key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

export function tdesDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV): Uint8Array {
  const c = createDecipheriv('des-ede-cbc', key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 (retail MAC) with DES, over already padded data.
 * Single DES CBC with K1 is 3DES with K1||K1; the final E(K1) D(K2) E(K1) step is 2-key 3DES.
 */
export function retailMac(key: Uint8Array, padded: Uint8Array): Uint8Array {
  const k1 = key.subarray(0, 8);
  const k1k1 = new Uint8Array(16);
  k1k1.set(k1);
  k1k1.set(k1, 8);
  let iv: Uint8Array = ZERO_IV;
  const head = padded.length - 8;
  if (head > 0) {
    const chain = tdesEncrypt(k1k1, padded.subarray(0, head));
    iv = chain.subarray(chain.length - 8);
  }
  return tdesEncrypt(key.subarray(0, 16), padded.subarray(head), iv);
}

/** Session keys and send sequence counter after MUTUAL AUTHENTICATE. */
export interface SessionKeys {
  ksEnc: Uint8Array;
  ksMac: Uint8Array;
  ssc: Uint8Array;
  /** The session's cipher: 3DES when absent (BAC), AES_SM after PACE or Chip Authentication. */
  cipher?: SmCipher;
}

export function sessionKeys(kIFD: Uint8Array, kIC: Uint8Array, rndIC: Uint8Array, rndIFD: Uint8Array): SessionKeys {
  const seed = new Uint8Array(16);
  for (let i = 0; i < 16; i++) seed[i] = kIFD[i] ^ kIC[i];
  const ssc = new Uint8Array(8);
  ssc.set(rndIC.subarray(4, 8));
  ssc.set(rndIFD.subarray(4, 8), 4);
  return { ksEnc: deriveKey(seed, KEY_ENC), ksMac: deriveKey(seed, KEY_MAC), ssc };
}

/** Increments an 8-byte big-endian counter in place. */
export function incrementSsc(ssc: Uint8Array): void {
  for (let i = ssc.length - 1; i >= 0; i--) {
    ssc[i] = (ssc[i] + 1) & 0xff;
    if (ssc[i] !== 0) return;
  }
}


export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

export function fromHex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}
