// PACE first (9303-11 §4.2, §4.4): when EF.CardAccess names a PACEInfo we can run; BAC
// (chip-access.ts) when it does not, or when the chip refuses PACE before any key is agreed (ICAO
// asks inspection systems to fall back). A refused password is not retried with BAC: same MRZ.
//   PACE: READ BINARY EF.CardAccess (MF, SFI 1C, plain) -> PACE-GM -> SELECT eMRTD under AES SM
// Then Chip Authentication after DG14 (pace/chip-auth.ts).

import type { ApduChannel } from '../icao/apdu-channel';
import { selectApplicationApdu, readBinarySfiApdu } from '../icao/commands';
import { IcaoError, SW, errorForStatus, statusWord } from '../icao/errors';
import { mrzInformation, type MrzKeyInput } from '../icao/mrz-key';
import { hashWhole } from '../crypto/hash';
import { choosePace, SFI_CARD_ACCESS, type PaceChoice } from '../pace/card-access';
import { chipAuthenticate, findChipAuthKey } from '../pace/chip-auth';
import { Pace } from '../pace/pace';
import type { PaceCrypto } from '../pace/pace-crypto';
import { bacAccess, type AccessFactory, type ChipAccess, type ChipAuthDone, type OpenCallback, type SmSession } from './chip-access';

/** PACE's password: SHA-1 of the MRZ information (9303-11 §9.7.3), 20 bytes. */
export function pacePassword(mrz: MrzKeyInput): Uint8Array {
  const info = mrzInformation(mrz);
  const bytes = new Uint8Array(info.length);
  for (let i = 0; i < info.length; i++) bytes[i] = info.charCodeAt(i);
  const h = hashWhole('sha1', bytes);
  bytes.fill(0);
  return h;
}

/** PACE errors after which BAC is tried: the chip does not do PACE as we asked it. */
function fallsBack(code: string): boolean {
  return code === 'unsupported' || code === 'card-error' || code === 'malformed-data' || code === 'file-not-found';
}

export class PaceAccess implements ChipAccess {
  /** True once PACE opened the chip. */
  pace: boolean;
  private _plain: ApduChannel;
  private _crypto: PaceCrypto;
  /** The MRZ fields (strings, as the request holds them): the password is derived per run and
   * wiped after it, so no copy of it outlives a PACE run. */
  private _mrz: MrzKeyInput;
  private _bac: ChipAccess;
  /** The PACEInfo PACE ran with (reopen runs it again without reading EF.CardAccess). */
  private _choice: PaceChoice | null;

  constructor(plain: ApduChannel, crypto: PaceCrypto, seed: Uint8Array, random: (n: number) => Uint8Array, mrz: MrzKeyInput) {
    this._plain = plain;
    this._crypto = crypto;
    this._mrz = mrz;
    this._bac = bacAccess(plain, seed, mrz, random);
    this.pace = false;
    this._choice = null;
  }

  open(callback: OpenCallback): void {
    const crypto = this._crypto;
    this._plain.transceive(readBinarySfiApdu(SFI_CARD_ACCESS, 0, 0), (err, response) => {
      if (err || !response) {
        callback(err || new IcaoError('card-error', 'no response'), null);
        return;
      }
      const sw = statusWord(response);
      let choice: PaceChoice | null = null;
      try {
        if (sw === SW.OK || sw === SW.END_OF_FILE) choice = choosePace(response.subarray(0, response.length - 2), (id) => crypto.ec.fieldBytes(id) > 0);
      } catch (e) { // eslint-disable-line @typescript-eslint/no-unused-vars -- Espruino needs the binding
        choice = null; // an EF.CardAccess we cannot parse: BAC
      }
      this._choice = choice;
      if (choice) this._pace(choice, callback, true);
      else this._useBac(callback);
    });
  }

  reopen(callback: OpenCallback): void {
    if (this.pace) this._pace(this._choice!, callback, false);
    else this._bac.reopen(callback);
  }

  chipAuth(sm: SmSession, dg14: Uint8Array, done: ChipAuthDone): void {
    const crypto = this._crypto;
    let key = null;
    try {
      key = findChipAuthKey(dg14, (id) => crypto.ec.fieldBytes(id) > 0);
    } catch (e) { // eslint-disable-line @typescript-eslint/no-unused-vars -- Espruino needs the binding
      key = null; // a DG14 we cannot parse: the host's passive authentication says what it is
    }
    if (!key || !sm.isOpen()) done('none', null, null);
    else chipAuthenticate(sm, this._plain, crypto, key, (ok, fresh, lost) => done(ok ? 'ok' : 'failed', fresh, lost));
  }

  private _useBac(callback: OpenCallback): void {
    this.pace = false;
    this._bac.open(callback);
  }

  private _pace(choice: PaceChoice, callback: OpenCallback, fallback: boolean): void {
    const password = pacePassword(this._mrz);
    new Pace(this._plain, this._crypto, choice).authenticate(password, (err, sm) => {
      password.fill(0);
      if (err || !sm) {
        const e = err || new IcaoError('internal', 'PACE');
        if (fallback && fallsBack(e.code)) this._useBac(callback);
        else callback(e, null);
        return;
      }
      // The eMRTD application, selected under the new session.
      sm.transceive(selectApplicationApdu(), (e2, r) => {
        const sw = r ? statusWord(r) : 0;
        if (e2 || sw !== SW.OK) {
          sm.wipe();
          callback(e2 || (sw === SW.FILE_NOT_FOUND ? new IcaoError('unsupported', 'no eMRTD', sw) : errorForStatus(sw, 'SELECT')), null);
          return;
        }
        this.pace = true;
        callback(null, sm);
      });
    });
  }
}

/** PACE (and CA) when `crypto` is given, else BAC only. */
export function paceAccess(crypto: PaceCrypto | null): AccessFactory {
  return (plain, seed, mrz, random) => (crypto ? new PaceAccess(plain, crypto, seed, random, mrz) : bacAccess(plain, seed, mrz, random));
}
