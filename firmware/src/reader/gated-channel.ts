// An ApduChannel that lets each exchange through only when the read may go on: not cancelled,
// and (when `slots` > 0) with room in the host link's window for what the answer will produce.
// Cancel therefore takes effect after the APDU in flight, and a slow host holds the card back.

import type { ApduCallback, ApduChannel } from '../icao/apdu-channel';
import { IcaoError } from '../icao/errors';
import type { HostOut } from './host-out';

export class GatedChannel implements ApduChannel {
  /** Set by the session when the host cancels. */
  stopped: IcaoError | null;
  /** ApduChannel.readBlock: readFile notes here whether the chip reads extended. */
  declare readBlock?: number;
  private _inner: ApduChannel;
  private _host: HostOut;
  private _slots: number;
  private _waitingApdu: Uint8Array | null;
  private _waitingCallback: ApduCallback | null;
  private _proceedBound: () => void;

  constructor(inner: ApduChannel, host: HostOut, slots: number) {
    this.stopped = null;
    this._inner = inner;
    this._host = host;
    this._slots = slots;
    this._waitingApdu = null;
    this._waitingCallback = null;
    this._proceedBound = () => this._proceed();
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
    this._host.whenRoom(this._slots, this._proceedBound);
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
