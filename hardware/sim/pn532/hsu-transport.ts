// HSU (UART) host interface: 8N1 at 115200 baud after power-up. Both directions are timed by
// SerialLine at the current speed, so a frame reaches the other side when its last byte has.
// SetSerialBaudRate: the reply goes out at the old speed, both sides switch on the host's ACK.

import { SerialLine, uartByteMicros } from '../serial-line';
import { DEFAULT_HSU_BAUD } from './pn532-constants';
import type { Pn532Port, Pn532Simulator } from './pn532-simulator';

export class HsuTransport implements Pn532Port {
  readonly kind = 'hsu' as const;
  private toChip: SerialLine;
  private fromChip: SerialLine;
  private listeners: Array<(data: Uint8Array) => void> = [];
  /** Arrival time (ms) of each byte of the chunks on their way to the chip, in order. */
  private arrivals: number[][] = [];

  constructor(private sim: Pn532Simulator) {
    this.toChip = new SerialLine(sim.clock, DEFAULT_HSU_BAUD, (data) => this.arrive(data));
    this.fromChip = new SerialLine(sim.clock, DEFAULT_HSU_BAUD, (data) => {
      for (const l of this.listeners) l(data);
    });
    sim.attach(this);
  }

  /** Current line speed (both directions). */
  get baud(): number {
    return this.toChip.baud;
  }

  /** Bytes from the host onto the line toward the PN532. */
  write(data: Uint8Array): void {
    if (data.length === 0) return;
    const start = this.toChip.idleAt;
    const byteMs = uartByteMicros(this.toChip.baud) / 1000;
    const times = new Array<number>(data.length);
    for (let i = 0; i < data.length; i++) times[i] = start + (i + 1) * byteMs;
    this.arrivals.push(times);
    this.sim.stats.linkBytesToChip += data.length;
    this.toChip.write(data);
  }

  /** Bytes from the PN532, delivered when they have crossed the line. */
  onData(listener: (data: Uint8Array) => void): void {
    this.listeners.push(listener);
  }

  get irq(): 0 | 1 {
    return this.sim.irq;
  }

  onIrqChange(listener: (level: 0 | 1) => void): void {
    this.sim.onIrqChange(listener);
  }

  private arrive(data: Uint8Array): void {
    const times = this.arrivals.shift();
    this.sim.hostBytes('hsu', data, times);
  }

  frameReady(): void {
    for (let f = this.sim.takeFrame(); f; f = this.sim.takeFrame()) {
      this.sim.stats.linkBytesFromChip += f.length;
      this.fromChip.write(f);
    }
  }

  baudChanged(baud: number): void {
    this.toChip.baud = baud;
    this.fromChip.baud = baud;
  }

  linkReset(): void {
    this.baudChanged(DEFAULT_HSU_BAUD);
  }
}
