// EF.CardAccess and DG14 SecurityInfos: the virtual chip's files parse; malformed input is a
// clear malformed-data error, never a crash (seeded mutation fuzz like the other LDS parsers).
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CA_ECDH_AES_128, encodeCardAccess, encodeDg14ChipAuth, paceInfo, PACE_ECDH_GM_AES_128 } from '@epassport/hardware/sim/passport/security-infos';
import { ReaderError } from '../reader-error.js';
import { parseCardAccess, parseDg14 } from './security-infos.js';

const cardAccess = encodeCardAccess([paceInfo(PACE_ECDH_GM_AES_128, 13)]);
const ca = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
const dg14 = encodeDg14ChipAuth(ca.publicKey);

describe('SecurityInfos', () => {
  it('reads PACEInfo from EF.CardAccess', () => {
    expect(parseCardAccess(cardAccess).pace).toEqual([{ protocol: PACE_ECDH_GM_AES_128, version: 2, parameterId: 13 }]);
  });

  it('reads the Chip Authentication infos and key from DG14', () => {
    const s = parseDg14(dg14);
    expect(s.chipAuthentication).toEqual([{ protocol: CA_ECDH_AES_128, version: 1, keyId: null }]);
    const spki = ca.publicKey.export({ type: 'spki', format: 'der' });
    expect(Buffer.from(s.chipAuthenticationPublicKeys[0].subjectPublicKeyInfo).equals(spki)).toBe(true);
  });

  it('refuses truncated, wrongly tagged and trailing-garbage input with malformed-data', () => {
    for (const b of [cardAccess.subarray(0, 5), Uint8Array.of(0x30, 0x00), Uint8Array.of(...cardAccess, 0), dg14.subarray(0, dg14.length - 1), Uint8Array.of(0x31, 0x03, 0x02, 0x01, 0x01)]) {
      const parse = b === dg14.subarray(0, dg14.length - 1) ? parseDg14 : parseCardAccess;
      expect(() => parse(b)).toThrow(ReaderError);
    }
    expect(() => parseDg14(dg14.subarray(0, dg14.length - 1))).toThrow(/DG14/);
  });

  it('survives 2,000 seeded mutations (parses or throws ReaderError)', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 2000; i++) {
      const src = i & 1 ? dg14 : cardAccess;
      const b = Uint8Array.from(src);
      for (let k = 0; k <= next() % 3; k++) b[next() % b.length] = next() & 0xff;
      const cut = next() % 4 === 0 ? b.subarray(0, next() % b.length) : b;
      try {
        (i & 1 ? parseDg14 : parseCardAccess)(cut);
      } catch (e) {
        expect(e).toBeInstanceOf(ReaderError);
      }
    }
  });
});
