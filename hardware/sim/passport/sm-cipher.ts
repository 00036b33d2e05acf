// The cipher of a secure-messaging session: 3DES (BAC, ICAO 9303 Part 11 §9.8.6.1: 8-byte SSC,
// zero IV, retail MAC) or AES (after PACE or Chip Authentication, §9.8.6.2: 16-byte SSC starting
// at 0, IV = E(KSenc, SSC), AES-CMAC truncated to 8 bytes). Both pad with ISO/IEC 9797-1
// method 2 to their block size, before encryption and before the MAC.

import { pad as pad8, retailMac, tdesDecrypt, tdesEncrypt } from './bac-crypto';
import { aesCbc, aesCmac, aesEcb } from './pace-crypto';

export interface SmCipher {
  blockSize: number;
  encrypt(ksEnc: Uint8Array, ssc: Uint8Array, plain: Uint8Array): Uint8Array;
  decrypt(ksEnc: Uint8Array, ssc: Uint8Array, cipher: Uint8Array): Uint8Array;
  /** The 8-byte MAC over data already padded to blockSize. */
  mac(ksMac: Uint8Array, padded: Uint8Array): Uint8Array;
}

export const TDES_SM: SmCipher = {
  blockSize: 8,
  encrypt: (k, _ssc, p) => tdesEncrypt(k, p),
  decrypt: (k, _ssc, c) => tdesDecrypt(k, c),
  mac: (k, p) => retailMac(k, p),
};

const aesIv = (k: Uint8Array, ssc: Uint8Array): Uint8Array => aesEcb(k, ssc);

export const AES_SM: SmCipher = {
  blockSize: 16,
  encrypt: (k, ssc, p) => aesCbc(k, aesIv(k, ssc), p),
  decrypt: (k, ssc, c) => aesCbc(k, aesIv(k, ssc), c, true),
  mac: (k, p) => aesCmac(k, p).subarray(0, 8),
};

/** ISO/IEC 9797-1 padding method 2 to a multiple of the block size. */
export function padTo(data: Uint8Array, blockSize: number): Uint8Array {
  if (blockSize === 8) return pad8(data);
  const out = new Uint8Array((Math.floor(data.length / blockSize) + 1) * blockSize);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}
