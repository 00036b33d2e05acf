// PN532 over SPI (mode 0, LSB first; the bus is set up with order:'lsb'). Each transaction starts
// with an operation byte: 01 data write, 02 status read (reply bit 0 = ready), 03 data read
// (libnfc pn532_spi.c, Adafruit PN532_SPI_*). Wake-up: a status read (NSS low wakes the chip;
// that transaction itself is lost, MISO reads FF), then TIMING.SPI_WAKE ms before the frame.
// Ready is signalled by the IRQ line when wired, else polled every TIMING.POLL ms.

import { MAX_FRAME, TIMING } from './constants';
import { FRAME, newParsedFrame, scanFrame, type ParsedFrame } from './frames';
import type { FrameHandler, Pn532Io } from './pn532-io';
import type { IrqLine } from './i2c';
import type { Timers } from '../timers';

const OP_WRITE = 0x01;
const OP_STATUS = 0x02;
const OP_READ = 0x03;
const READY = 0x01;

/** What the transport needs of an SPI bus: Espruino's SPI1..3 satisfy it. */
export interface SpiBus {
  send(data: Uint8Array, nss?: unknown): Uint8Array;
}

export class SpiTransport implements Pn532Io {
  onFrame!: FrameHandler | null;
  private _bus: SpiBus;
  private _nss: unknown;
  private _timers: Timers;
  private _irq: IrqLine | null;
  private _out: Uint8Array;
  private _readCmd: Uint8Array;
  private _statusCmd: Uint8Array;
  private _parsed: ParsedFrame;
  private _maxLength: number;
  private _timer: unknown;
  private _watching!: boolean;
  private _pending: number;
  private _pollBound: () => void;
  private _readyBound: () => void;
  private _wakeBound: () => void;

  /** `nss` is the chip-select pin, passed to every send. */
  constructor(bus: SpiBus, nss: unknown, timers: Timers, irq?: IrqLine | null) {
    // Fields only tested for truth stay unset until used (flash, issue #14).
    this._bus = bus;
    this._nss = nss;
    this._timers = timers;
    this._irq = irq || null;
    this._out = new Uint8Array(MAX_FRAME + 1);
    this._out[0] = OP_WRITE;
    this._readCmd = new Uint8Array(MAX_FRAME + 1);
    this._readCmd[0] = OP_READ;
    this._statusCmd = new Uint8Array([OP_STATUS, 0x00]);
    this._parsed = newParsedFrame();
    this._maxLength = 0;
    this._timer = null;
    this._pending = 0;
    this._pollBound = () => this._poll();
    this._readyBound = () => this._ready();
    this._wakeBound = () => this._afterWake();
  }

  send(frame: Uint8Array, wake: boolean): void {
    this.stop();
    this._out.set(frame, 1);
    this._pending = frame.length + 1;
    if (wake) {
      this._bus.send(this._statusCmd, this._nss);
      this._timer = this._timers.setTimeout(this._wakeBound, TIMING.SPI_WAKE);
    } else this._flush();
  }

  private _afterWake(): void {
    this._timer = null;
    this._flush();
    if (this._maxLength > 0) this.receive(this._maxLength);
  }

  private _flush(): void {
    if (this._pending > 0) this._bus.send(this._out.subarray(0, this._pending), this._nss);
    this._pending = 0;
  }

  receive(maxLength: number): void {
    this._maxLength = maxLength;
    if (this._pending > 0) return; // still waking: afterWake starts receiving
    this._stopWaiting();
    const irq = this._irq;
    if (irq) {
      if (irq.isLow()) this._timer = this._timers.setTimeout(this._readyBound, 0);
      else {
        this._watching = true;
        irq.watch(this._readyBound);
      }
    } else this._timer = this._timers.setTimeout(this._pollBound, TIMING.POLL);
  }

  stop(): void {
    this._stopWaiting();
    this._maxLength = 0;
    this._pending = 0; // stopped while waking: the frame is dropped
  }

  private _stopWaiting(): void {
    if (this._timer !== null) this._timers.clearTimeout(this._timer);
    this._timer = null;
    if (this._watching && this._irq) this._irq.unwatch();
    this._watching = false;
  }

  txMillis(_n: number): number {
    return 0;
  }

  private _poll(): void {
    this._timer = null;
    const r = this._bus.send(this._statusCmd, this._nss);
    // A PN532 answers exactly 01 (ready) or 00; FF is MISO left floating by a chip that is
    // powered down or dead (libnfc reads it the same way), never a frame.
    if (r.length > 1 && r[1] === READY) this._read();
    else this._timer = this._timers.setTimeout(this._pollBound, TIMING.POLL);
  }

  private _ready(): void {
    this._watching = false;
    // Confirm with the status byte: IRQ low without a frame (a glitch, or a chip that died with
    // its line low) must fall back to paced polling, not to reading junk over and over.
    this._poll();
  }

  private _read(): void {
    let data = this._bus.send(this._readCmd.subarray(0, this._maxLength + 1), this._nss);
    // Over SPI a frame leaves the chip only when its last byte is read: a short read (an ACK's
    // worth of an answer whose ACK was lost) leaves the rest waiting. Read it too, so frames
    // are always whole and nothing stale stays behind for the next command. An extended frame
    // (00 00 FF FF FF LENM LENL LCS: answers over 254 bytes) tells its length only past an ACK's
    // worth: its header first.
    const p = this._parsed;
    let kind = scanFrame(data, 1, data.length, p);
    if (kind === FRAME.INCOMPLETE && p.end === p.start) {
      data = this._more(data, p.start + 7);
      kind = scanFrame(data, 1, data.length, p);
    }
    // The frame's end (scanFrame's `end` is after the DCS), with its postamble.
    if (kind === FRAME.INCOMPLETE && p.end + 1 > data.length && p.end <= MAX_FRAME + 1) data = this._more(data, p.end + 1);
    if (this.onFrame) this.onFrame(data, 1, data.length);
  }

  /** `data` (a read: status byte, then frame bytes) continued by another read to `length` bytes. */
  private _more(data: Uint8Array, length: number): Uint8Array {
    const rest = this._bus.send(this._readCmd.subarray(0, length - data.length + 1), this._nss);
    const whole = new Uint8Array(length);
    whole.set(data, 0);
    whole.set(rest.subarray(1), data.length);
    return whole;
  }
}
