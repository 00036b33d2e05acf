import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock';
import { ACK_FRAME, FrameParser, NACK_FRAME, commandFrame, type FrameEvent } from './frames';
import { I2cTransport, PN532_I2C_ADDRESS } from './i2c-transport';
import { Pn532Simulator } from './pn532-simulator';
import { SpiTransport } from './spi-transport';
import { fromHex, hex } from './hsu-test-host';
import { EmrtdStubCard } from '../test-cards';

function decode(bytes: ArrayLike<number>): FrameEvent[] {
  const out: FrameEvent[] = [];
  new FrameParser((e) => out.push(e)).push(bytes);
  return out;
}

function setupI2c() {
  const clock = new VirtualClock();
  const sim = new Pn532Simulator({ clock, card: new EmrtdStubCard() });
  const i2c = new I2cTransport(sim);
  /** Polls the status byte every 1 ms (virtual), then reads status + `n` bytes. */
  const readWhenReady = (n: number) => {
    for (let i = 0; i < 10_000; i++) {
      const status = i2c.read(1);
      if (status[0] & 1) return i2c.read(n + 1);
      clock.advance(1);
    }
    throw new Error('never ready');
  };
  const command = (pd: number[]) => {
    i2c.write(commandFrame(pd));
    const ack = readWhenReady(6);
    expect(hex(ack.subarray(1))).toBe(hex(ACK_FRAME));
    const resp = readWhenReady(300);
    const [frame] = decode(resp.subarray(1));
    if (frame.kind !== 'info') throw new Error('no response frame');
    return frame.body.subarray(2);
  };
  return { clock, sim, i2c, command, readWhenReady };
}

describe('PN532 simulator over I2C', () => {
  it('sits at address 0x24', () => {
    expect(PN532_I2C_ADDRESS).toBe(0x24);
  });

  it('reads status 0x00 and junk while busy, then 0x01 + ACK, then 0x01 + response', () => {
    const { clock, i2c } = setupI2c();
    i2c.write(commandFrame([0x14, 0x01]));
    expect(hex(i2c.read(7))).toBe('00 00 00 00 00 00 00');
    clock.advance(0.5);
    expect(hex(i2c.read(7))).toBe('01 ' + hex(ACK_FRAME));
    expect(i2c.read(1)[0]).toBe(0x00);
    clock.advance(1);
    expect(hex(i2c.read(11))).toBe('01 00 00 ff 02 fe d5 15 16 00 00');
  });

  it('runs the whole dialogue: firmware version, listing, APDU', () => {
    const { command } = setupI2c();
    command([0x14, 0x01]);
    expect(hex(command([0x02]))).toBe('32 01 06 07');
    expect(hex(command([0x4a, 0x01, 0x00]).subarray(0, 2))).toBe('01 01');
    expect(hex(command(Array.from(fromHex('40 01 00 a4 04 0c 07 a0 00 00 02 47 10 01')))))
      .toBe('00 90 00');
  });

  it('loses the rest of a frame read short; NACK brings it back (Seeed getResponseLength)', () => {
    const { clock, i2c, command } = setupI2c();
    command([0x14, 0x01]);
    i2c.write(commandFrame([0x02]));
    clock.advance(0.5);
    i2c.read(7); // ACK
    clock.advance(2);
    const head = i2c.read(6);
    expect(hex(head)).toBe('01 00 00 ff 06 fa');
    expect(i2c.read(1)[0]).toBe(0x00);
    i2c.write(NACK_FRAME);
    clock.advance(1);
    expect(hex(i2c.read(14))).toBe('01 00 00 ff 06 fa d5 03 32 01 06 07 e8 00');
  });

  it('drives IRQ low while a frame waits, when SAMConfiguration enables it', () => {
    const { clock, sim, i2c, command } = setupI2c();
    const levels: number[] = [];
    sim.onIrqChange((l) => levels.push(l));
    command([0x14, 0x01, 0x14, 0x01]);
    // ACK and response were both waiting by the first poll: low once, high when both are read.
    expect(levels).toEqual([0, 1]);
    i2c.write(commandFrame([0x02]));
    clock.advance(0.5);
    expect(sim.irq).toBe(0);
    i2c.read(7);
    expect(sim.irq).toBe(1);
    clock.advance(2);
    expect(sim.irq).toBe(0);
    // Espruino's PN532.js: SAMConfiguration with IRQ 0: the pin stays high.
    i2c.read(20);
    command([0x14, 0x01, 0x14, 0x00]);
    const before = levels.length;
    command([0x02]);
    expect(levels.length).toBe(before);
    expect(sim.irq).toBe(1);
  });

  it('stays asleep after PowerDown when I2C may not wake it', () => {
    const { clock, i2c, command } = setupI2c();
    command([0x14, 0x01]);
    command([0x16, 0x10]); // HSU only
    i2c.write(commandFrame([0x02]));
    clock.advance(10);
    expect(i2c.read(7)[0]).toBe(0x00);
    const other = setupI2c();
    other.command([0x14, 0x01]);
    other.command([0x16, 0xf0]);
    expect(hex(other.command([0x02]))).toBe('32 01 06 07');
  });
});

describe('PN532 simulator over SPI', () => {
  function setupSpi() {
    const clock = new VirtualClock();
    const sim = new Pn532Simulator({ clock, card: new EmrtdStubCard() });
    const spi = new SpiTransport(sim);
    const status = () => spi.transfer(Uint8Array.of(0x02, 0x00))[1];
    const write = (pd: number[]) => spi.transfer(Uint8Array.of(0x01, ...commandFrame(pd)));
    const read = (n: number) => spi.transfer(new Uint8Array(n + 1).fill(0).map((_, i) => (i === 0 ? 0x03 : 0)));
    return { clock, sim, spi, status, write, read };
  }

  it('is asleep at power-up: the first transaction reads 0xFF and wakes it', () => {
    const { spi, status } = setupSpi();
    expect(hex(spi.transfer(Uint8Array.of(0x02, 0x00)))).toBe('ff ff');
    expect(status()).toBe(0x00);
  });

  it('does status read, data write and data read', () => {
    const { clock, status, write, read } = setupSpi();
    status();
    write([0x14, 0x01]);
    expect(status()).toBe(0x00);
    clock.advance(0.5);
    expect(status()).toBe(0x01);
    expect(hex(read(6).subarray(1))).toBe(hex(ACK_FRAME));
    expect(status()).toBe(0x00);
    clock.advance(1);
    expect(status()).toBe(0x01);
    expect(hex(read(9).subarray(1))).toBe('00 00 ff 02 fe d5 15 16 00');
    expect(status()).toBe(0x00);
  });

  it('lets a frame be read in chunks, each started by 0x03', () => {
    const { clock, status, write, read } = setupSpi();
    status();
    write([0x14, 0x01]);
    clock.advance(2);
    read(6);
    read(9);
    write([0x02]);
    clock.advance(2);
    read(6);
    const a = read(5).subarray(1);
    expect(status()).toBe(0x01);
    const b = read(8).subarray(1);
    expect(status()).toBe(0x00);
    expect(hex([...a, ...b])).toBe('00 00 ff 06 fa d5 03 32 01 06 07 e8 00');
  });

  it('ignores an unknown operation byte', () => {
    const { status, spi } = setupSpi();
    status();
    expect(hex(spi.transfer(Uint8Array.of(0x07, 0x00, 0x00)))).toBe('00 00 00');
  });
});
