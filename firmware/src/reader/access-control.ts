// Opening the chip (9303-11 §4.2, §4.4): PACE when EF.CardAccess names a PACEInfo we can run, BAC
// when it does not, or when the chip refuses PACE before any key is agreed (ICAO asks inspection
// systems to fall back). A refused password is not retried with BAC: it is the same MRZ.
//   PACE: READ BINARY EF.CardAccess (MF, SFI 1C, plain) -> PACE-GM -> SELECT eMRTD under AES SM
//   BAC:  SELECT eMRTD (plain) -> BAC (3DES SM)
// `reopen` runs the method that worked again (after a plain error ended SM, or a resume).

import type { AheadSource, ApduChannel } from '../icao/apdu-channel';
import { BacProtocol } from '../icao/bac';
import { readBinarySfiApdu, selectApplicationApdu } from '../icao/commands';
import { IcaoError, SW, asIcaoError, errorForStatus, statusWord } from '../icao/errors';
import { choosePace, SFI_CARD_ACCESS, type PaceChoice } from '../pace/card-access';
import { Pace } from '../pace/pace';
import type { PaceCrypto } from '../pace/pace-crypto';

/** What the read session needs of either secure-messaging channel. */
export interface SmSession extends ApduChannel {
  isOpen(): boolean;
  wipe(): void;
  setAhead(source: AheadSource | null): void;
}

export type OpenCallback = (err: IcaoError | null, sm: SmSession | null) => void;

export interface AccessOptions {
  random: (n: number) => Uint8Array;
  /** K_seed (BAC); read, not kept beyond the read. */
  seed: Uint8Array;
  /** SHA-1 of the MRZ information (PACE's password); null: BAC only. */
  password: Uint8Array | null;
  /** The crypto of PACE; null: BAC only (a board without the PACE blob). */
  crypto: PaceCrypto | null;
}

/** PACE errors after which BAC is tried: the chip does not do PACE as we asked it. */
function fallsBack(code: string): boolean {
  return code === 'unsupported' || code === 'card-error' || code === 'malformed-data' || code === 'file-not-found';
}

export class AccessControl {
  /** True once PACE opened the chip (then Chip Authentication may follow). */
  pace: boolean;
  private _plain: ApduChannel;
  private _o: AccessOptions;
  /** The PACEInfo PACE ran with (reopen runs it again without reading EF.CardAccess). */
  private _choice: PaceChoice | null;

  constructor(plain: ApduChannel, options: AccessOptions) {
    this._plain = plain;
    this._o = options;
    this.pace = false;
    this._choice = null;
  }

  /** First contact: PACE when possible, else BAC. 'unsupported' when the chip has no eMRTD. */
  open(callback: OpenCallback): void {
    const o = this._o;
    if (!o.crypto || !o.password) {
      this._bac(callback);
      return;
    }
    const crypto = o.crypto;
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
      if (!choice) {
        this._bac(callback);
        return;
      }
      this._choice = choice;
      this._pace(choice, callback, true);
    });
  }

  /** The method that opened the chip, again. */
  reopen(callback: OpenCallback): void {
    if (this.pace) this._pace(this._choice!, callback, false);
    else new BacProtocol(this._plain, this._o.random).authenticate(this._o.seed, callback);
  }

  private _pace(choice: PaceChoice, callback: OpenCallback, fallback: boolean): void {
    new Pace(this._plain, this._o.crypto!, choice).authenticate(this._o.password!, (err, sm) => {
      if (err || !sm) {
        const e = err || new IcaoError('internal', 'PACE');
        if (fallback && fallsBack(e.code)) this._bac(callback);
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

  private _bac(callback: OpenCallback): void {
    this.pace = false;
    this._plain.transceive(selectApplicationApdu(), (err, response) => {
      if (err || !response) {
        callback(err || new IcaoError('card-error', ''), null);
        return;
      }
      const sw = statusWord(response);
      if (sw === SW.FILE_NOT_FOUND) callback(new IcaoError('unsupported', 'no eMRTD', sw), null);
      else if (sw !== SW.OK) callback(errorForStatus(sw, 'SELECT'), null);
      else {
        try {
          new BacProtocol(this._plain, this._o.random).authenticate(this._o.seed, callback);
        } catch (e) {
          callback(asIcaoError(e), null);
        }
      }
    });
  }
}
