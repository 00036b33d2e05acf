// How the read session opens the chip, behind one small interface: BacAccess here (SELECT the
// eMRTD application, then BAC), PaceAccess in access-control.ts (PACE first, BAC as fallback,
// Chip Authentication). The PACE one is injected by main-pace.ts, so a bundle built from
// main.ts (a board without the PACE blob: the Pico) stores none of its code.

import type { AheadSource, ApduChannel } from '../icao/apdu-channel';
import { BacProtocol } from '../icao/bac';
import { selectApplicationApdu } from '../icao/commands';
import { IcaoError, SW, errorForStatus, statusWord } from '../icao/errors';
import type { MrzKeyInput } from '../icao/mrz-key';

/** What the read session needs of either secure-messaging channel. */
export interface SmSession extends ApduChannel {
  isOpen(): boolean;
  wipe(): void;
  setAhead(source: AheadSource | null): void;
}

export type OpenCallback = (err: IcaoError | null, sm: SmSession | null) => void;
/** The Chip Authentication outcome for the result ('none': no usable key in DG14, 'ok' with
 * the new session, 'failed'); `lost` ends or suspends the read. */
export type ChipAuthDone = (outcome: string, fresh: SmSession | null, lost: IcaoError | null) => void;

export interface ChipAccess {
  /** First contact: 'unsupported' when the chip has no eMRTD application. */
  open(callback: OpenCallback): void;
  /** The method that opened the chip, again (a plain error ended SM, or a resume). */
  reopen(callback: OpenCallback): void;
  /** Chip Authentication with DG14's key over `sm`, then `done`. Absent: no CA in this bundle. */
  chipAuth?(sm: SmSession, dg14: Uint8Array, done: ChipAuthDone): void;
}

/** Makes the ChipAccess of one read over the plain channel, from K_seed and the MRZ fields. */
export type AccessFactory = (plain: ApduChannel, seed: Uint8Array, mrz: MrzKeyInput, random: (n: number) => Uint8Array) => ChipAccess;

/** BAC only: SELECT the eMRTD application, then BAC; reopen is BAC again (the default). */
export const bacAccess: AccessFactory = (plain, seed, _mrz, random) => bacOver(plain, seed, random);

/** BacAccess's closures are made here, so that their scope holds no MRZ fields (Espruino keeps
 * every parameter of the enclosing function alive with a closure). */
function bacOver(plain: ApduChannel, seed: Uint8Array, random: (n: number) => Uint8Array): ChipAccess {
  const reopen = (callback: OpenCallback): void => new BacProtocol(plain, random).authenticate(seed, callback);
  return {
    open: (callback) => plain.transceive(selectApplicationApdu(), (err, response) => {
      const sw = response ? statusWord(response) : 0;
      if (err || !response) callback(err || new IcaoError('card-error', ''), null);
      else if (sw === SW.FILE_NOT_FOUND) callback(new IcaoError('unsupported', 'no eMRTD', sw), null);
      else if (sw !== SW.OK) callback(errorForStatus(sw, 'SELECT'), null);
      else reopen(callback);
    }),
    reopen,
  };
}
