// Chip Authentication with ECDH and AES (9303-11 §6.2; BSI TR-03110-3 §B.3), after PACE and the
// read of DG14: the chip proves it holds the private key of DG14's public key (which passive
// authentication ties to EF.SOD) by speaking secure messaging under keys only that key gives.
//   DG14: ChipAuthenticationInfo (id-CA-ECDH-AES-CBC-CMAC-128/192/256, version 1, [keyId]) and
//         ChipAuthenticationPublicKeyInfo (id-PK-ECDH, SubjectPublicKeyInfo on a named curve)
//   MSE:Set AT (P1 41, DO'80' OID, [DO'84' keyId]); GA { 80 our ephemeral key } -> 7C 00
//   K = x(SK_IFD * PK_IC); KSenc/KSmac = KDF(K, 1/2); SSC 0; then one SELECT under the new keys:
//   only a chip with the private key can answer it with a valid MAC.
// Explicit domain parameters, DH and 3DES suites are not supported (the outcome is then 'none').

import type { ApduChannel } from '../icao/apdu-channel';
import { selectApplicationApdu } from '../icao/commands';
import { IcaoError, SW, statusWord } from '../icao/errors';
import { newTlv, readTlv, type Tlv } from '../icao/tlv';
import { AesSecureMessagingChannel } from './aes-secure-messaging';
import { generalAuthenticateApdu, mseSetAtApdu } from './general-authenticate';
import { deriveAesKey, randomScalar, type PaceCrypto } from './pace-crypto';

/** 0.4.0.127.0.7.2.2.3.2 (id-CA-ECDH), value bytes; the cipher arc (2-4: AES) follows. */
const CA_ECDH = [0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02];
/** 0.4.0.127.0.7.2.2.1.2 (id-PK-ECDH). */
const PK_ECDH = [0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x01, 0x02];
/** Named curves of the public key: brainpoolP256r1 (RFC 5639) = 13, prime256v1 = 12 (§9.5.1). */
const NAMED_CURVES: Array<[number, number[]]> = [
  [13, [0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07]],
  [12, [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]],
];

export interface ChipAuthKey {
  oid: Uint8Array;
  keyLength: number;
  curveId: number;
  /** The chip's public point, 04 || x || y. */
  point: Uint8Array;
  /** DO'84' of MSE:Set AT, -1 when DG14 names none. */
  keyId: number;
}

function startsWith(buf: Uint8Array, t: Tlv, prefix: number[], extra: number): boolean {
  if (t.tag !== 0x06 || t.length !== prefix.length + extra) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[t.valueOffset + i] !== prefix[i]) return false;
  return true;
}

function intValue(buf: Uint8Array, t: Tlv): number {
  return t.tag === 0x02 && t.length === 1 ? buf[t.valueOffset] : -1;
}

/**
 * The Chip Authentication key of DG14 (the whole file, tag 6E) that `supported(curveId)` allows,
 * or null. Throws IcaoError('malformed-data') when the structure does not parse.
 */
export function findChipAuthKey(dg14: Uint8Array, supported: (curveId: number) => boolean): ChipAuthKey | null {
  const outer = readTlv(dg14, 0, dg14.length, newTlv());
  if (outer.tag !== 0x6e) return null;
  const set = readTlv(dg14, outer.valueOffset, outer.end, newTlv());
  if (set.tag !== 0x31) return null;
  const info = newTlv();
  const f = newTlv();
  const g = newTlv();
  let oid: Uint8Array | null = null;
  let cipher = 0;
  let caKeyId = -1;
  let curveId = -1;
  let point: Uint8Array | null = null;
  let pkKeyId = -1;
  for (let pos = set.valueOffset; pos < set.end; pos = info.end) {
    readTlv(dg14, pos, set.end, info);
    if (info.tag !== 0x30) continue;
    const o = readTlv(dg14, info.valueOffset, info.end, f);
    const oidAt = o.valueOffset;
    const oidEnd = o.end;
    if (startsWith(dg14, o, CA_ECDH, 1) && !oid) {
      const c = dg14[oidEnd - 1];
      if (c < 2 || c > 4 || oidEnd >= info.end || intValue(dg14, readTlv(dg14, oidEnd, info.end, g)) !== 1) continue;
      oid = new Uint8Array(dg14.subarray(oidAt, oidEnd));
      cipher = c;
      caKeyId = g.end < info.end ? intValue(dg14, readTlv(dg14, g.end, info.end, g)) : -1;
    } else if (startsWith(dg14, o, PK_ECDH, 0) && !point && oidEnd < info.end) {
      // SubjectPublicKeyInfo { AlgorithmIdentifier { algorithm, namedCurve }, BIT STRING 00 04.. }
      const spki = readTlv(dg14, oidEnd, info.end, newTlv());
      const alg = readTlv(dg14, spki.valueOffset, spki.end, newTlv());
      if (spki.tag !== 0x30 || alg.tag !== 0x30) continue;
      const algOid = readTlv(dg14, alg.valueOffset, alg.end, g);
      if (algOid.end >= alg.end) continue; // no parameters
      const params = readTlv(dg14, algOid.end, alg.end, g);
      let id = -1;
      for (let i = 0; i < NAMED_CURVES.length; i++) if (startsWith(dg14, params, NAMED_CURVES[i][1], 0)) id = NAMED_CURVES[i][0];
      if (id < 0 || !supported(id)) continue;
      const bits = readTlv(dg14, alg.end, spki.end, g);
      if (bits.tag !== 0x03 || bits.length !== 66 || dg14[bits.valueOffset] !== 0 || dg14[bits.valueOffset + 1] !== 4) continue;
      point = new Uint8Array(dg14.subarray(bits.valueOffset + 1, bits.end));
      curveId = id;
      pkKeyId = spki.end < info.end ? intValue(dg14, readTlv(dg14, spki.end, info.end, g)) : -1;
    }
  }
  if (!oid || !point || (caKeyId >= 0 && pkKeyId >= 0 && caKeyId !== pkKeyId)) return null;
  return { oid, keyLength: 8 * cipher, curveId, point, keyId: caKeyId >= 0 ? caKeyId : pkKeyId };
}

/** ok with the new session, or not (the old session goes on when the chip refused; it is wiped
 * when the chip took our key but its answer under the new keys did not verify). `lost` is an error of the transport (card lost,
 * cancelled) that ends or suspends the read. */
export type ChipAuthCallback = (ok: boolean, fresh: AesSecureMessagingChannel | null, lost: IcaoError | null) => void;

/** Runs Chip Authentication over the SM session `sm`; the new session runs over `plain`. */
export function chipAuthenticate(sm: ApduChannel & { wipe(): void }, plain: ApduChannel, crypto: PaceCrypto, key: ChipAuthKey, callback: ChipAuthCallback): void {
  const n = 1 + 2 * crypto.ec.fieldBytes(key.curveId);
  const sk = randomScalar(crypto, key.curveId);
  const pk = new Uint8Array(n);
  const shared = new Uint8Array(n);
  const done = (ok: boolean, fresh: AesSecureMessagingChannel | null, lost: IcaoError | null): void => {
    sk.fill(0);
    shared.fill(0);
    callback(ok, fresh, lost);
  };
  if (!crypto.ec.multiplyBase(key.curveId, sk, pk) || !crypto.ec.multiply(key.curveId, sk, key.point, shared)) {
    done(false, null, null); // DG14's point is not on its curve
    return;
  }
  const transportLost = (e: IcaoError | null): IcaoError | null => (e && (e.code === 'card-lost' || e.code === 'cancelled') ? e : null);
  sm.transceive(mseSetAtApdu(0x41, key.oid, 0, key.keyId), (e1, r1) => {
    if (e1 || !r1 || statusWord(r1) !== SW.OK) {
      done(false, null, transportLost(e1));
      return;
    }
    sm.transceive(generalAuthenticateApdu(true, 0x80, pk), (e2, r2) => {
      if (e2 || !r2 || statusWord(r2) !== SW.OK) {
        done(false, null, transportLost(e2));
        return;
      }
      const k = shared.subarray(1, 1 + (n >> 1));
      const ksEnc = deriveAesKey(k, 1, key.keyLength);
      const ksMac = deriveAesKey(k, 2, key.keyLength);
      const fresh = new AesSecureMessagingChannel(plain, crypto, ksEnc, ksMac);
      ksEnc.fill(0);
      ksMac.fill(0);
      fresh.transceive(selectApplicationApdu(), (e3, r3) => {
        if (e3 || !r3 || statusWord(r3) !== SW.OK) {
          // The chip has left the old keys: that session is over too (the reader opens again).
          fresh.wipe();
          sm.wipe();
          done(false, null, transportLost(e3));
          return;
        }
        sm.wipe(); // the old keys are dead: the chip has moved to the new ones
        done(true, fresh, null);
      });
    });
  });
}
