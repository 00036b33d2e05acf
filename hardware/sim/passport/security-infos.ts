// SecurityInfos the virtual chip publishes (ICAO 9303 Part 11 §9.2): EF.CardAccess with PACEInfo
// (§9.2.1, file 011C in the MF) and DG14's ChipAuthenticationInfo + ChipAuthenticationPublicKeyInfo
// (§9.2.5, §9.2.6), and the protocol OIDs the chip understands (BSI TR-03110-3 A.1.1).

import { createPublicKey, type KeyObject } from 'node:crypto';
import { integer, oid, seq, setOf, tlv } from '../document/der';
import type { SymmetricSuite } from './pace-crypto';

const BSI = '0.4.0.127.0.7.2.2';
export const ID_PK_ECDH = BSI + '.1.2';
export const ID_CA_ECDH = BSI + '.3.2';
export const ID_PACE_ECDH_GM = BSI + '.4.2';

/** Suffix of a PACE / CA OID after id-PACE-ECDH-GM or id-CA-ECDH (TR-03110-3 A.1.1). */
const SUITES: { [last: number]: SymmetricSuite } = {
  1: { cipher: '3des', keyLength: 16 },
  2: { cipher: 'aes', keyLength: 16 },
  3: { cipher: 'aes', keyLength: 24 },
  4: { cipher: 'aes', keyLength: 32 },
};

export const PACE_ECDH_GM_AES_128 = ID_PACE_ECDH_GM + '.2';
export const PACE_ECDH_GM_AES_256 = ID_PACE_ECDH_GM + '.4';
export const CA_ECDH_AES_128 = ID_CA_ECDH + '.2';

/** The OID's content bytes (without tag and length), as MSE:Set AT carries it in DO'80. */
export function oidContent(dotted: string): Uint8Array {
  return oid(dotted).subarray(2);
}

/** The cipher suite of an id-PACE-ECDH-GM-* or id-CA-ECDH-* OID given as content bytes; null otherwise. */
export function suiteOf(content: Uint8Array, family: string): SymmetricSuite | null {
  const base = oidContent(family);
  if (content.length !== base.length + 1) return null;
  for (let i = 0; i < base.length; i++) if (content[i] !== base[i]) return null;
  return SUITES[content[base.length]] ?? null;
}

/** PACEInfo ::= SEQUENCE { protocol, version INTEGER (2), parameterId INTEGER OPTIONAL }. */
export function paceInfo(protocol: string, parameterId: number): Uint8Array {
  return seq(oid(protocol), integer(2), integer(parameterId));
}

/** EF.CardAccess: SecurityInfos ::= SET OF SecurityInfo (no application tag, §9.2.11). */
export function encodeCardAccess(infos: Uint8Array[]): Uint8Array {
  return setOf(...infos);
}

/** DG14 with Chip Authentication (ECDH, version 1, one key: no keyId) and, optionally, the
 * ActiveAuthenticationInfo-style extra infos given as DER. The public key is the SubjectPublicKeyInfo
 * node:crypto exports (namedCurve parameters). */
export function encodeDg14ChipAuth(caPublicKey: KeyObject, protocol = CA_ECDH_AES_128, extra: Uint8Array[] = []): Uint8Array {
  const pub = caPublicKey.type === 'public' ? caPublicKey : createPublicKey(caPublicKey);
  const spki = new Uint8Array(pub.export({ type: 'spki', format: 'der' }));
  const caInfo = seq(oid(protocol), integer(1));
  const pkInfo = seq(oid(ID_PK_ECDH), spki);
  return tlv(0x6e, setOf(caInfo, pkInfo, ...extra));
}
