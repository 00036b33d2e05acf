// PN532 over HSU (UART, 8N1, 115200 at power-up). The UART delivers bytes in arbitrary pieces;
// this reassembles them into frames (skipping anything before a start code 00 FF) in one
// preallocated buffer, and hands each frame to the chip logic. Wake-up is 55 55 and 14 zeros in
// front of the command (libnfc pn532_uart_wakeup).

import { HSU_WAKE_UP_LENGTH, MAX_FRAME } from './constants';
import { FRAME, newParsedFrame, scanFrame, type ParsedFrame } from './frames';
import type { FrameHandler, Pn532Io } from './pn532-io';

/** What the transport needs of a UART: Espruino's Serial1..3 satisfy it. */
export interface UartPort {
  write(data: Uint8Array): void;
}

/** The chip drops bytes for a short while after the one that wakes it, so the preamble lasts
 * at least this long whatever the speed (16 bytes at 115200 baud is 1.4 ms). */
const WAKE_UP_MS = 1;

function wakeUpBytes(baud: number): Uint8Array {
  const n = Math.max(HSU_WAKE_UP_LENGTH, Math.ceil((baud * WAKE_UP_MS) / 10000));
  const w = new Uint8Array(n);
  w[0] = 0x55;
  w[1] = 0x55;
  return w;
}

export class HsuTransport implements Pn532Io {
  onFrame!: FrameHandler | null;
  baud: number;
  private _port: UartPort;
  private _reconfigure: (baud: number) => void;
  private _rx: Uint8Array;
  private _length: number;
  private _parsed: ParsedFrame;
  private _wake: Uint8Array;

  /** `reconfigure(baud)` sets the UART to a new speed (Serial.setup with the board's pins).
   * Bytes from the UART go to `feed`. */
  constructor(port: UartPort, baud: number, reconfigure: (baud: number) => void) {
    this._port = port;
    this.baud = baud;
    this._reconfigure = reconfigure;
    this._rx = new Uint8Array(MAX_FRAME + 8);
    this._length = 0;
    this._parsed = newParsedFrame();
    this._wake = wakeUpBytes(baud);
  }

  send(frame: Uint8Array, wake: boolean): void {
    this._length = 0; // flush what we did not read
    if (wake) this._port.write(this._wake);
    this._port.write(frame);
  }

  receive(_maxLength: number): void {
    // The UART listens all the time.
  }

  stop(): void {
    // Nothing to stop.
  }

  txMillis(n: number): number {
    return Math.ceil((n * 10000) / this.baud);
  }

  setBaud(baud: number): void {
    this.baud = baud;
    this._length = 0;
    this._wake = wakeUpBytes(baud);
    this._reconfigure(baud);
  }

  /** Bytes as the UART delivered them: Espruino's Serial gives a string, which is copied into
   * the frame buffer a piece at a time (no array of the whole of it is held while the frames in
   * it are handled: ~17 variables per answer on the Pico). */
  feed(data: Uint8Array | string): void {
    let offset = 0;
    while (offset < data.length) {
      const rx = this._rx;
      const n = Math.min(rx.length - this._length, data.length - offset);
      rx.set(typeof data === 'string' ? E.toUint8Array(data.substring(offset, offset + n)) : data.subarray(offset, offset + n), this._length);
      this._length += n;
      offset += n;
      this._extract();
      if (this._length === rx.length) this._length = 0; // no frame is this long: garbage
    }
  }

  private _extract(): void {
    const rx = this._rx;
    const p = this._parsed;
    let at = 0;
    for (;;) {
      const kind = scanFrame(rx, at, this._length, p);
      if (kind === FRAME.NONE || kind === FRAME.INCOMPLETE) {
        at = p.start;
        break;
      }
      at = p.end;
      if (this.onFrame) this.onFrame(rx, p.start, p.end);
      if (this._length === 0) return; // the handler sent a command: the buffer was flushed
    }
    if (at > 0) {
      const n = this._length - at;
      for (let i = 0; i < n; i++) rx[i] = rx[at + i];
      this._length = n;
    }
  }
}
