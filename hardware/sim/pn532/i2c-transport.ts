// I2C host interface at 7-bit address 0x24. Synchronous like Espruino's I2C.writeTo/readFrom:
// a write transaction carries one frame; every read transaction starts with the status byte
// (bit 0 set when a frame is ready), then the frame. A read of the status byte alone leaves
// the frame in place (Adafruit polls with 1-byte reads); a read that clocks out any frame byte
// takes the frame out of the chip, and bytes the host did not clock out are lost (Seeed's
// driver reads the header, then sends NACK to get the whole frame again). The PN532 stretches
// SCL while it wakes (libnfc), so a transaction that wakes the chip goes through. Bus time is not modelled: the host's
// own clock (the Espruino shim) accounts for it; bytes are counted in the stats.

import type { Pn532Port, Pn532Simulator } from './pn532-simulator';

export const PN532_I2C_ADDRESS = 0x24;
export const I2C_READY = 0x01;

export class I2cTransport implements Pn532Port {
  readonly kind = 'i2c' as const;
  readonly address = PN532_I2C_ADDRESS;

  constructor(private sim: Pn532Simulator) {
    sim.attach(this);
  }

  /** One write transaction (the address byte not included). */
  write(data: Uint8Array): void {
    this.sim.stats.linkBytesToChip += data.length;
    if (this.sim.busTransaction('i2c') === 'asleep') return;
    this.sim.hostBytes('i2c', data);
  }

  /** One read transaction of `n` bytes: status, then the frame if ready; the rest 0x00. */
  read(n: number): Uint8Array {
    const out = new Uint8Array(n);
    this.sim.stats.linkBytesFromChip += n;
    if (this.sim.busTransaction('i2c') === 'asleep' || n === 0) return out;
    if (!this.sim.frameWaiting) return out;
    out[0] = I2C_READY;
    if (n === 1) return out;
    const frame = this.sim.takeFrame()!;
    out.set(frame.subarray(0, n - 1), 1);
    return out;
  }

  get irq(): 0 | 1 {
    return this.sim.irq;
  }

  onIrqChange(listener: (level: 0 | 1) => void): void {
    this.sim.onIrqChange(listener);
  }

  frameReady(): void {
    // The host polls the status byte or watches IRQ.
  }
}
