// An ApduChannel that lets each exchange through only when the read may go on: not cancelled,
// and (when `slots` > 0) with room in the host link's window for what the answer will produce.
// Cancel therefore takes effect after the APDU in flight, and a slow host holds the card back.

import type { AheadSource, ApduCallback, ApduChannel } from '../icao/apdu-channel';
import { IcaoError } from '../icao/errors';
import type { HostOut } from './host-out';

export class GatedChannel implements ApduChannel {
  /** Set by the session when the host cancels. */
  stopped!: IcaoError | null;
  /** ApduChannel.readBlock: readFile notes here whether the chip reads extended. */
  declare readBlock?: number;
  private _inner: ApduChannel;
  private _host: HostOut;
  private _slots: number;
  private _waitingApdu!: Uint8Array | null;
  private _waitingCallback!: ApduCallback | null;
  private _proceedBound!: () => void;
  private _gateBound!: () => void;
  private _source!: AheadSource | null;
  private _aheadOwner!: AheadSource | null;
  /** Commands sent ahead for `_aheadOwner` whose answers have not come back. */
  private _aheadPending: number;

  /** `defer(fn)` runs fn from a fresh stack (a 0 ms timer): an exchange let through is then sent
   * after the caller's stack has unwound, so the previous answer and the buffers it was opened
   * into are not kept in RAM while the next command goes out. Without it, at once. */
  constructor(inner: ApduChannel, host: HostOut, slots: number, defer?: (fn: () => void) => void) {
    // What is only tested for truth stays unset until used (flash, issue #14).
    this._inner = inner;
    this._host = host;
    this._slots = slots;
    this._aheadPending = 0;
    // The plain channel (slots 0, over the PN532: no commands sent ahead) needs neither the gate's
    // closures nor the ahead source: made only where used (~35 variables held through a read).
    if (slots > 0) {
      this._proceedBound = () => this._proceed();
      this._gateBound = defer ? () => defer(this._proceedBound) : this._proceedBound;
    }
    if (inner.setAhead) {
      // A command sent ahead passes the same gate, checked now: not stopped, and room for two
      // blocks' frames (the one in flight has not been forwarded yet).
      const gated: AheadSource = {
        nextCommand: () => {
          const source = this._source;
          const next = source && !this.stopped && this._roomNow(2 * this._slots) ? source.nextCommand() : null;
          if (next) {
            if (source !== this._aheadOwner) this._aheadPending = 0;
            this._aheadOwner = source;
            this._aheadPending++;
          }
          return next;
        },
        // To the reader that asked, even after it cleared its source (it drains the answer). The
        // last answer lets go of the reader: it holds its sink (hash, EF.SOD extractor) and would
        // otherwise stay in RAM through the next file.
        onAhead: (err, response) => {
          const owner = this._aheadOwner;
          if (--this._aheadPending <= 0) {
            this._aheadPending = 0;
            this._aheadOwner = null;
          }
          if (owner) owner.onAhead(err, response);
        },
      };
      this.setAhead = (source) => {
        this._source = source;
        inner.setAhead!(source ? gated : null);
      };
    }
  }

  setAhead?(source: AheadSource | null): void;

  private _roomNow(slots: number): boolean {
    if (slots <= 0) return true;
    let room = false;
    this._host.whenRoom(slots, () => {
      room = true;
    });
    if (!room) this._host.cancelWait();
    return room;
  }

  transceive(apdu: Uint8Array, callback: ApduCallback): void {
    if (this.stopped) {
      callback(this.stopped, null);
      return;
    }
    if (this._slots <= 0) {
      this._inner.transceive(apdu, callback);
      return;
    }
    this._waitingApdu = apdu;
    this._waitingCallback = callback;
    this._host.whenRoom(this._slots, this._gateBound);
  }

  /** Stops the channel; an exchange waiting for room ends at once with `reason`. */
  stop(reason: IcaoError): void {
    this.stopped = reason;
    const cb = this._waitingCallback;
    if (!cb) return;
    this._host.cancelWait();
    this._waitingApdu = null;
    this._waitingCallback = null;
    cb(reason, null);
  }

  private _proceed(): void {
    const apdu = this._waitingApdu;
    const cb = this._waitingCallback;
    this._waitingApdu = null;
    this._waitingCallback = null;
    if (!apdu || !cb) return;
    if (this.stopped) cb(this.stopped, null);
    else this._inner.transceive(apdu, cb);
  }
}
