// PN532 over SPI (mode 0, LSB first; the bus is set up with order:'lsb'). Each transaction starts
// with an operation byte: 01 data write, 02 status read (reply bit 0 = ready), 03 data read
// (libnfc pn532_spi.c, Adafruit PN532_SPI_*). Wake-up: a status read (NSS low wakes the chip;
// that transaction itself is lost, MISO reads FF), then TIMING.SPI_WAKE ms before the frame.
// Ready is signalled by the IRQ line when wired, else polled every TIMING.POLL ms.

import { MAX_FRAME, TIMING } from './constants';
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
  onFrame: FrameHandler | null;
  private bus: SpiBus;
  private nss: unknown;
  private timers: Timers;
  private irq: IrqLine | null;
  private out: Uint8Array;
  private readCmd: Uint8Array;
  private statusCmd: Uint8Array;
  private maxLength: number;
  private timer: unknown;
  private watching: boolean;
  private pending: number;
  private pollBound: () => void;
  private readyBound: () => void;
  private wakeBound: () => void;

  /** `nss` is the chip-select pin, passed to every send. */
  constructor(bus: SpiBus, nss: unknown, timers: Timers, irq?: IrqLine | null) {
    this.onFrame = null;
    this.bus = bus;
    this.nss = nss;
    this.timers = timers;
    this.irq = irq || null;
    this.out = new Uint8Array(MAX_FRAME + 1);
    this.out[0] = OP_WRITE;
    this.readCmd = new Uint8Array(MAX_FRAME + 1);
    this.readCmd[0] = OP_READ;
    this.statusCmd = new Uint8Array([OP_STATUS, 0x00]);
    this.maxLength = 0;
    this.timer = null;
    this.watching = false;
    this.pending = 0;
    this.pollBound = () => this.poll();
    this.readyBound = () => this.ready();
    this.wakeBound = () => this.afterWake();
  }

  send(frame: Uint8Array, wake: boolean): void {
    this.stop();
    this.out.set(frame, 1);
    this.pending = frame.length + 1;
    if (wake) {
      this.bus.send(this.statusCmd, this.nss);
      this.timer = this.timers.setTimeout(this.wakeBound, TIMING.SPI_WAKE);
    } else this.flush();
  }

  private afterWake(): void {
    this.timer = null;
    this.flush();
    if (this.maxLength > 0) this.receive(this.maxLength);
  }

  private flush(): void {
    if (this.pending > 0) this.bus.send(this.out.subarray(0, this.pending), this.nss);
    this.pending = 0;
  }

  receive(maxLength: number): void {
    this.maxLength = maxLength;
    if (this.pending > 0) return; // still waking: afterWake starts receiving
    this.stopWaiting();
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
    this.stopWaiting();
    this.maxLength = 0;
    this.pending = 0; // stopped while waking: the frame is dropped
  }

  private stopWaiting(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.watching && this.irq) this.irq.unwatch();
    this.watching = false;
  }

  txMillis(_n: number): number {
    return 0;
  }

  private poll(): void {
    this.timer = null;
    const r = this.bus.send(this.statusCmd, this.nss);
    if (r.length > 1 && (r[1] & READY)) this.read();
    else this.timer = this.timers.setTimeout(this.pollBound, TIMING.POLL);
  }

  private ready(): void {
    this.timer = null;
    this.watching = false;
    this.read();
  }

  private read(): void {
    const data = this.bus.send(this.readCmd.subarray(0, this.maxLength + 1), this.nss);
    if (this.onFrame) this.onFrame(data, 1, data.length);
  }
}
