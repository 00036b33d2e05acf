// PN532 over I2C at address 0x24. Every read starts with a status byte whose bit 0 says a frame
// is ready (libnfc pn532_i2c.c), and a read takes the frame out of the chip however many bytes
// the host clocks, so status and frame are always read in one transfer. We wait for the IRQ line
// (P70_IRQ, low when ready) when it is wired; else we try that read every TIMING.POLL ms until
// the chip logic calls stop() (libnfc's way; each try costs a whole transfer, so wire the IRQ).
// The chip wakes on its address (it stretches SCL meanwhile).

import { TIMING } from './constants';
import type { FrameHandler, Pn532Io } from './pn532-io';
import type { Timers } from '../timers';

export const PN532_I2C_ADDRESS = 0x24;
const READY = 0x01;

/** What the transport needs of an I2C bus: Espruino's I2C1..3 satisfy it. */
export interface I2cBus {
  writeTo(address: number, data: Uint8Array): void;
  readFrom(address: number, quantity: number): Uint8Array;
}

/** The PN532 IRQ line: low when a frame is ready. */
export interface IrqLine {
  isLow(): boolean;
  /** Calls `fn` once on the next falling edge. */
  watch(fn: () => void): void;
  unwatch(): void;
}

export class I2cTransport implements Pn532Io {
  onFrame!: FrameHandler | null;
  private _bus: I2cBus;
  private _timers: Timers;
  private _irq: IrqLine | null;
  private _maxLength: number;
  private _timer: unknown;
  private _watching!: boolean;
  private _pollBound: () => void;
  private _readyBound: () => void;

  constructor(bus: I2cBus, timers: Timers, irq?: IrqLine | null) {
    // Fields only tested for truth stay unset until used (flash, issue #14).
    this._bus = bus;
    this._timers = timers;
    this._irq = irq || null;
    this._maxLength = 0;
    this._timer = null;
    this._pollBound = () => this._poll();
    this._readyBound = () => this._ready();
  }

  send(frame: Uint8Array, _wake: boolean): void {
    this.stop();
    try {
      this._bus.writeTo(PN532_I2C_ADDRESS, frame);
    } catch (e) { // eslint-disable-line @typescript-eslint/no-unused-vars -- Espruino needs the binding
      // A sleeping chip may miss its address once (libnfc retries writes): say it again.
      this._bus.writeTo(PN532_I2C_ADDRESS, frame);
    }
  }

  receive(maxLength: number): void {
    this.stop();
    this._maxLength = maxLength;
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
    if (this._timer !== null) this._timers.clearTimeout(this._timer);
    this._timer = null;
    if (this._watching && this._irq) this._irq.unwatch();
    this._watching = false;
  }

  txMillis(_n: number): number {
    return 0; // writeTo returns when the bytes are out
  }

  private _poll(): void {
    this._timer = null;
    const data = this._bus.readFrom(PN532_I2C_ADDRESS, this._maxLength + 1);
    if (data[0] & READY) {
      if (this.onFrame) this.onFrame(data, 1, data.length);
    } else this._timer = this._timers.setTimeout(this._pollBound, TIMING.POLL);
  }

  private _ready(): void {
    this._timer = null;
    this._watching = false;
    this._read();
  }

  private _read(): void {
    const data = this._bus.readFrom(PN532_I2C_ADDRESS, this._maxLength + 1);
    if (!(data[0] & READY)) {
      // IRQ low but not ready (a glitch, or a chip that died with its line low): poll with a
      // pause instead of trusting the line again, or this would spin without letting time pass.
      this._timer = this._timers.setTimeout(this._pollBound, TIMING.POLL);
      return;
    }
    if (this.onFrame) this.onFrame(data, 1, data.length);
  }
}
