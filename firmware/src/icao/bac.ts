// Basic Access Control (ICAO 9303-11 §4.3, §9.7): GET CHALLENGE, MUTUAL AUTHENTICATE, session
// keys and SSC, ending in a SecureMessagingChannel. JMRTD's BACProtocol, but the random source
// is injected: `random(8)` is called for RND.IFD, then `random(16)` for K.IFD.

import { createDesCipher } from '../crypto/des-cbc';
import { createRetailMac } from '../crypto/mac';
import { equalBytes } from '../crypto/retail-mac';
import type { ApduChannel } from './apdu-channel';
import { getChallengeApdu, mutualAuthenticateApdu } from './commands';
import { IcaoError, SW, asIcaoError, errorForStatus, statusWord } from './errors';
import { KDF_ENC, KDF_MAC, deriveKey } from './key-derivation';
import { SecureMessagingChannel } from './secure-messaging';

export type BacCallback = (err: IcaoError | null, sm: SecureMessagingChannel | null) => void;

/** Everything computed from a chip's answer, for tests and for the channel. */
export interface BacSessionKeys {
  ksEnc: Uint8Array;
  ksMac: Uint8Array;
  ssc: Uint8Array;
}

/** Builds E.IFD || M.IFD from S = RND.IFD || RND.IC || K.IFD (9303-11 §4.3.4.1 steps 3-4). */
export function buildMutualAuthData(kEnc: Uint8Array, kMac: Uint8Array, s: Uint8Array): Uint8Array {
  const out = new Uint8Array(40);
  const enc = createDesCipher(kEnc);
  enc.cbcEncrypt(null, s, out.subarray(0, 32));
  enc.wipe();
  const mac = createRetailMac(kMac);
  mac.update(out, 0, 32);
  mac.finish(out, 32);
  mac.wipe();
  return out;
}

/**
 * Checks the chip's 40-byte answer (E.IC || M.IC) and derives the session keys. Throws
 * 'sm-failure' when M.IC does not verify or the echoed RND.IFD / RND.IC differ, 'malformed-data'
 * for a wrong length.
 */
export function completeBac(kEnc: Uint8Array, kMac: Uint8Array, rndIfd: Uint8Array, rndIc: Uint8Array, kIfd: Uint8Array,
  answer: Uint8Array): BacSessionKeys {
  if (answer.length !== 40) throw new IcaoError('malformed-data', 'MUTUAL AUTHENTICATE answer is not 40 bytes');
  const mac = createRetailMac(kMac);
  mac.update(answer, 0, 32);
  const m = mac.finish();
  mac.wipe();
  const macOk = equalBytes(m, 0, answer, 32, 8);
  if (!macOk) throw new IcaoError('sm-failure', 'chip cryptogram MAC does not verify');
  const enc = createDesCipher(kEnc);
  const r = enc.cbcDecrypt(null, answer.subarray(0, 32));
  enc.wipe();
  const echoOk = equalBytes(r, 0, rndIc, 0, 8) && equalBytes(r, 8, rndIfd, 0, 8);
  if (!echoOk) {
    r.fill(0);
    throw new IcaoError('sm-failure', 'chip did not echo the challenges');
  }
  const seed = new Uint8Array(16);
  for (let i = 0; i < 16; i++) seed[i] = kIfd[i] ^ r[16 + i];
  r.fill(0);
  const keys: BacSessionKeys = { ksEnc: deriveKey(seed, KDF_ENC), ksMac: deriveKey(seed, KDF_MAC), ssc: new Uint8Array(8) };
  seed.fill(0);
  keys.ssc.set(rndIc.subarray(4, 8), 0);
  keys.ssc.set(rndIfd.subarray(4, 8), 4);
  return keys;
}

export class BacProtocol {
  private _channel: ApduChannel;
  private _random: (n: number) => Uint8Array;

  constructor(channel: ApduChannel, random: (n: number) => Uint8Array) {
    this._channel = channel;
    this._random = random;
  }

  /**
   * Runs BAC with K_seed (from deriveKeySeed). The LDS1 application must be selected. The
   * callback gets a SecureMessagingChannel over the same channel, or an IcaoError:
   * 'access-denied' when the chip refuses (wrong MRZ: 6300, 6982, 6988, ...), 'sm-failure' when
   * its answer does not verify, 'card-error' / 'unsupported' for other status words.
   */
  authenticate(keySeed: Uint8Array, callback: BacCallback): void {
    if (keySeed.length !== 16) {
      callback(new IcaoError('internal', 'K_seed must be 16 bytes'), null);
      return;
    }
    const kEnc = deriveKey(keySeed, KDF_ENC);
    const kMac = deriveKey(keySeed, KDF_MAC);
    const wipeAll = (): void => {
      kEnc.fill(0);
      kMac.fill(0);
    };
    this._channel.transceive(getChallengeApdu(), (err, response) => {
      if (err || !response) {
        wipeAll();
        callback(err || new IcaoError('card-error', 'no response'), null);
        return;
      }
      const sw = statusWord(response);
      if (sw !== SW.OK || response.length !== 10) {
        wipeAll();
        callback(sw !== SW.OK ? errorForStatus(sw, 'GET CHALLENGE', true) : new IcaoError('malformed-data', 'challenge is not 8 bytes'), null);
        return;
      }
      const rndIc = new Uint8Array(response.subarray(0, 8));
      let rndIfd: Uint8Array;
      let kIfd: Uint8Array;
      let cmd: Uint8Array;
      try {
        rndIfd = this._random(8);
        kIfd = this._random(16);
        if (!rndIfd || rndIfd.length !== 8 || !kIfd || kIfd.length !== 16) throw new IcaoError('internal', 'random source gave the wrong length');
        const s = new Uint8Array(32);
        s.set(rndIfd, 0);
        s.set(rndIc, 8);
        s.set(kIfd, 16);
        cmd = mutualAuthenticateApdu(buildMutualAuthData(kEnc, kMac, s));
        s.fill(0);
      } catch (e) {
        wipeAll();
        callback(asIcaoError(e), null);
        return;
      }
      this._channel.transceive(cmd, (err2, answer) => {
        let sm: SecureMessagingChannel | null = null;
        let failure: IcaoError | null = null;
        try {
          if (err2 || !answer) throw err2 || new IcaoError('card-error', 'no response');
          const sw2 = statusWord(answer);
          if (sw2 !== SW.OK) throw errorForStatus(sw2, 'MUTUAL AUTHENTICATE', true);
          const keys = completeBac(kEnc, kMac, rndIfd, rndIc, kIfd, answer.subarray(0, answer.length - 2));
          sm = new SecureMessagingChannel(this._channel, keys.ksEnc, keys.ksMac, keys.ssc);
        } catch (e) {
          failure = asIcaoError(e);
        }
        wipeAll();
        kIfd.fill(0);
        rndIfd.fill(0);
        callback(failure, sm);
      });
    });
  }
}
