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
  onFrame: FrameHandler | null;
  private bus: I2cBus;
  private timers: Timers;
  private irq: IrqLine | null;
  private maxLength: number;
  private timer: unknown;
  private watching: boolean;
  private pollBound: () => void;
  private readyBound: () => void;

  constructor(bus: I2cBus, timers: Timers, irq?: IrqLine | null) {
    this.onFrame = null;
    this.bus = bus;
    this.timers = timers;
    this.irq = irq || null;
    this.maxLength = 0;
    this.timer = null;
    this.watching = false;
    this.pollBound = () => this.poll();
    this.readyBound = () => this.ready();
  }

  send(frame: Uint8Array, _wake: boolean): void {
    this.stop();
    try {
      this.bus.writeTo(PN532_I2C_ADDRESS, frame);
    } catch (_e) {
      // A sleeping chip may miss its address once (libnfc retries writes): say it again.
      this.bus.writeTo(PN532_I2C_ADDRESS, frame);
    }
  }

  receive(maxLength: number): void {
    this.stop();
    this.maxLength = maxLength;
    const irq = this.irq;
    if (irq) {
      if (irq.isLow()) this.timer = this.timers.setTimeout(this.readyBound, 0);
      else {
        this.watching = true;
        irq.watch(this.readyBound);
      }
    } else this.timer = this.timers.setTimeout(this.pollBound, TIMING.POLL);
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.watching && this.irq) this.irq.unwatch();
    this.watching = false;
  }

  txMillis(_n: number): number {
    return 0; // writeTo returns when the bytes are out
  }

  private poll(): void {
    this.timer = null;
    const data = this.bus.readFrom(PN532_I2C_ADDRESS, this.maxLength + 1);
    if (data[0] & READY) {
      if (this.onFrame) this.onFrame(data, 1, data.length);
    } else this.timer = this.timers.setTimeout(this.pollBound, TIMING.POLL);
  }

  private ready(): void {
    this.timer = null;
    this.watching = false;
    this.read();
  }

  private read(): void {
    const data = this.bus.readFrom(PN532_I2C_ADDRESS, this.maxLength + 1);
    if (!(data[0] & READY)) {
      this.receive(this.maxLength); // an IRQ glitch: not ready after all
      return;
    }
    if (this.onFrame) this.onFrame(data, 1, data.length);
  }
}
