// A PACE-GM + Chip Authentication terminal over ec-curves / node:crypto (tests and simulator
// checks, until the firmware does it): drives any Card and returns the AES SM keys, or the status
// word that stopped it. ICAO 9303 Part 11 §4.4 and §6.2.

import { createECDH, randomBytes } from 'node:crypto';
import type { VirtualPassport } from './virtual-passport';

/** The synchronous virtual chip (a Card may answer through a Promise; this terminal does not wait). */
type Card = Pick<VirtualPassport, 'transceive'>;
import { encodeApdu } from './apdu';
import type { SessionKeys } from './bac-crypto';
import { add, bigIntToBytes, bytesToBigInt, BRAINPOOL_P256R1, decodePoint, encodePoint, generator, multiply, privateKeyFrom } from './ec-curves';
import { authenticationToken, kdf, mrzPassword, nonceCipher, passwordKey } from './pace-crypto';
import { CA_ECDH_AES_128, oidContent, PACE_ECDH_GM_AES_128 } from './security-infos';
import { unwrapResponse, wrapCommand } from './secure-messaging';
import { AES_SM } from './sm-cipher';

const SUITE = { cipher: 'aes', keyLength: 16 } as const;
const C = BRAINPOOL_P256R1;

function send(card: Card, apdu: Uint8Array): { data: Uint8Array; sw: number } {
  const r = card.transceive(apdu);
  if (!r) throw new Error('card gone');
  const b = r.response;
  return { data: b.subarray(0, b.length - 2), sw: (b[b.length - 2] << 8) | b[b.length - 1] };
}

function ga(card: Card, chained: boolean, tag: number, value: Uint8Array): { data: Uint8Array; sw: number } {
  const inner = tag ? Uint8Array.of(tag, value.length, ...value) : new Uint8Array(0);
  return send(card, encodeApdu({ cla: chained ? 0x10 : 0x00, ins: 0x86, p1: 0, p2: 0, data: Uint8Array.of(0x7c, inner.length, ...inner), ne: 256 }));
}

function keysOf(secret: Uint8Array): SessionKeys {
  return { ksEnc: kdf(secret, 1, SUITE), ksMac: kdf(secret, 2, SUITE), ssc: new Uint8Array(16), cipher: AES_SM };
}

/** PACE-GM AES-128 on brainpoolP256r1 with the MRZ information; SM keys, or the failing SW. */
export function terminalPace(card: Card, mrzInformation: string): SessionKeys | number {
  const oid = oidContent(PACE_ECDH_GM_AES_128);
  const mse = send(card, encodeApdu({ cla: 0, ins: 0x22, p1: 0xc1, p2: 0xa4, data: Uint8Array.of(0x80, oid.length, ...oid, 0x83, 1, 1) }));
  if (mse.sw !== 0x9000) return mse.sw;
  const r1 = ga(card, true, 0, new Uint8Array(0));
  if (r1.sw !== 0x9000) return r1.sw;
  const s = nonceCipher(passwordKey(mrzPassword(mrzInformation), SUITE), r1.data.subarray(4), true);
  const skMap = privateKeyFrom(C, randomBytes(40));
  const r2 = ga(card, true, 0x81, encodePoint(C, multiply(C, skMap, generator(C))!));
  const pkMapIc = r2.sw === 0x9000 ? decodePoint(C, r2.data.subarray(4)) : null;
  if (!pkMapIc) return r2.sw;
  const mapped = add(C, multiply(C, bytesToBigInt(s), generator(C)), multiply(C, skMap, pkMapIc))!;
  const skDh = privateKeyFrom(C, randomBytes(40));
  const pkDhIfd = encodePoint(C, multiply(C, skDh, mapped)!);
  const r3 = ga(card, true, 0x83, pkDhIfd);
  const pkDhIc = r3.data.subarray(4);
  const theirs = r3.sw === 0x9000 ? decodePoint(C, pkDhIc) : null;
  if (!theirs) return r3.sw;
  const keys = keysOf(bigIntToBytes(multiply(C, skDh, theirs)!.x, 32));
  const r4 = ga(card, false, 0x85, authenticationToken(keys.ksMac, oid, pkDhIc));
  if (r4.sw !== 0x9000) return r4.sw;
  const expected = authenticationToken(keys.ksMac, oid, pkDhIfd);
  if (r4.data.length !== 12 || !expected.every((b, i) => b === r4.data[4 + i])) return -1; // wrong chip token
  return keys;
}

/** Chip Authentication (id-CA-ECDH-AES-CBC-CMAC-128) against the chip's DG14 public point; the
 * new SM keys, or the failing SW. */
export function terminalChipAuth(card: Card, keys: SessionKeys, chipPoint: Uint8Array): SessionKeys | number {
  const protect = (ins: number, p1: number, p2: number, data: Uint8Array, ne: number | null) => {
    const r = card.transceive(wrapCommand(keys, { cla: 0, ins, p1, p2, data, ne, extended: false }));
    if (!r) throw new Error('card gone');
    return unwrapResponse(keys, r.response);
  };
  const oid = oidContent(CA_ECDH_AES_128);
  const m = protect(0x22, 0x41, 0xa4, Uint8Array.of(0x80, oid.length, ...oid), null);
  if (!m.ok || m.sw !== 0x9000) return m.sw;
  const eph = createECDH('brainpoolP256r1');
  eph.generateKeys();
  const pk = eph.getPublicKey();
  const g = protect(0x86, 0, 0, Uint8Array.of(0x7c, pk.length + 2, 0x80, pk.length, ...pk), 256);
  if (!g.ok || g.sw !== 0x9000) return g.sw;
  return keysOf(new Uint8Array(eph.computeSecret(chipPoint)));
}
