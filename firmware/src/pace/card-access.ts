// EF.CardAccess (9303-11 §9.2): SecurityInfos ::= SET OF SecurityInfo. Only PACEInfo is used:
//   PACEInfo ::= SEQUENCE { protocol OBJECT IDENTIFIER, version INTEGER (2),
//                           parameterId INTEGER OPTIONAL }
// We pick the strongest ECDH Generic Mapping with AES on a curve the crypto provider supports
// (id-PACE-ECDH-GM-AES-CBC-CMAC-128/192/256 = 0.4.0.127.0.7.2.2.4.2.{2,3,4}, §9.2.1). Anything
// else (DH, Integrated Mapping, 3DES, proprietary domain parameters) is skipped: BAC then.

import { newTlv, readTlv } from '../icao/tlv';

/** EF.CardAccess: file 011C, short EF identifier 1C, in the master file. */
export const SFI_CARD_ACCESS = 0x1c;
/** Largest EF.CardAccess we read (real ones are 20-300 bytes). */
export const MAX_CARD_ACCESS = 1024;

/** 0.4.0.127.0.7.2.2.4.2 (id-PACE-ECDH-GM), DER value bytes; the cipher arc follows. */
const ECDH_GM = [0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02];

export interface PaceChoice {
  /** The protocol OID value bytes (for MSE:Set AT DO'80' and the token's DO'06'). */
  oid: Uint8Array;
  /** AES key bytes: 16, 24 or 32. */
  keyLength: number;
  /** Standardized domain parameter id (12 P-256, 13 brainpoolP256r1, ...). */
  parameterId: number;
  /** More than one PACEInfo names this OID: MSE:Set AT must carry DO'84' (§4.4.4.1). */
  sendParameterId: boolean;
}

function smallInt(buf: Uint8Array, at: number, len: number): number {
  if (len < 1 || len > 2) return -1;
  return len === 1 ? buf[at] : (buf[at] << 8) | buf[at + 1];
}

/**
 * The strongest supported PACEInfo of EF.CardAccess `data`, or null when none. `supported(id)`
 * says whether a domain parameter id can be used. Throws IcaoError('malformed-data') when the
 * structure does not parse.
 */
export function choosePace(data: Uint8Array, supported: (parameterId: number) => boolean): PaceChoice | null {
  const set = readTlv(data, 0, data.length, newTlv());
  if (set.tag !== 0x31) return null;
  const info = newTlv();
  const f = newTlv();
  let best: PaceChoice | null = null;
  let bestAt = -1;
  let pos = set.valueOffset;
  const oids: number[] = [];
  while (pos < set.end) {
    readTlv(data, pos, set.end, info);
    pos = info.end;
    if (info.tag !== 0x30) continue;
    // readTlv fills `f` in place: read its tag through the return value (no stale narrowing).
    if (readTlv(data, info.valueOffset, info.end, f).tag !== 0x06) continue;
    const oidAt = f.valueOffset;
    const oidLen = f.length;
    let gm = oidLen === ECDH_GM.length + 1;
    for (let i = 0; gm && i < ECDH_GM.length; i++) gm = data[oidAt + i] === ECDH_GM[i];
    const cipher = gm ? data[oidAt + oidLen - 1] : 0;
    if (cipher >= 2 && cipher <= 4) oids.push(cipher);
    if (f.end >= info.end) continue;
    if (readTlv(data, f.end, info.end, f).tag !== 0x02 || smallInt(data, f.valueOffset, f.length) !== 2 || f.end >= info.end) continue;
    const id = readTlv(data, f.end, info.end, f).tag === 0x02 ? smallInt(data, f.valueOffset, f.length) : -1;
    if (cipher < 2 || cipher > 4 || id < 0 || !supported(id)) continue;
    const keyLength = 8 * cipher; // 2 -> 16, 3 -> 24, 4 -> 32
    if (best && best.keyLength >= keyLength) continue;
    best = { oid: new Uint8Array(data.subarray(oidAt, oidAt + oidLen)), keyLength, parameterId: id, sendParameterId: false };
    bestAt = cipher;
  }
  if (best) {
    let same = 0;
    for (let i = 0; i < oids.length; i++) if (oids[i] === bestAt) same++;
    best.sendParameterId = same > 1;
  }
  return best;
}
