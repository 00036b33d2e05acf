// SPI host interface (mode 0). One `transfer` is one NSS-low transaction, full duplex: MISO has
// as many bytes as MOSI. The first MOSI byte picks the operation: 0x02 status read (MISO byte 1
// is 0x01 when a frame is ready), 0x01 data write (a frame follows), 0x03 data read (the frame
// is clocked out from MISO byte 1). A frame may be read in several 0x03 transactions (libnfc
// pn532_spi_receive_next_chunk); it leaves the chip when its last byte has been read.
// Bytes here are logical. On the wire the PN532 is LSB first: the Espruino shim (or libnfc's
// spi_send_receive with lsb_first) reverses the bits of every byte.
// A transaction on a sleeping chip wakes it and is lost: MISO reads 0xFF (libnfc takes 0xFF as
// "powered down").

import type { Pn532Port, Pn532Simulator } from './pn532-simulator';

export const SPI_OP = { DataWrite: 0x01, StatusRead: 0x02, DataRead: 0x03 } as const;
export const SPI_READY = 0x01;

export class SpiTransport implements Pn532Port {
  readonly kind = 'spi' as const;
  private cursor = 0;

  constructor(private sim: Pn532Simulator) {
    sim.attach(this);
  }

  transfer(mosi: Uint8Array): Uint8Array {
    const miso = new Uint8Array(mosi.length);
    this.sim.stats.linkBytesToChip += mosi.length;
    this.sim.stats.linkBytesFromChip += mosi.length;
    if (mosi.length === 0) return miso;
    if (this.sim.busTransaction('spi') !== 'awake') return miso.fill(0xff);
    switch (mosi[0]) {
      case SPI_OP.StatusRead:
        miso.fill(this.sim.frameWaiting ? SPI_READY : 0x00, 1);
        break;
      case SPI_OP.DataWrite:
        this.sim.hostBytes('spi', mosi.subarray(1));
        break;
      case SPI_OP.DataRead: {
        const frame = this.sim.peekFrame();
        if (!frame) break;
        const n = Math.min(mosi.length - 1, frame.length - this.cursor);
        miso.set(frame.subarray(this.cursor, this.cursor + n), 1);
        this.cursor += n;
        if (this.cursor >= frame.length) {
          this.cursor = 0;
          this.sim.takeFrame();
        }
        break;
      }
    }
    return miso;
  }

  get irq(): 0 | 1 {
    return this.sim.irq;
  }

  onIrqChange(listener: (level: 0 | 1) => void): void {
    this.sim.onIrqChange(listener);
  }

  frameReady(): void {
    // The host polls the status or watches IRQ.
  }

  linkReset(): void {
    this.cursor = 0;
  }
}
