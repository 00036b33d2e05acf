// A deliberately tiny PN532 stand-in for the shim's own unit tests: answers SAMConfiguration and
// GetFirmwareVersion over HSU, I2C and SPI with an IRQ line, nothing else. The full simulator is
// hardware/sim/pn532; this fake only lets the shim be tested without it.

import type { Clock } from '../sim/clock';
import { SerialLine } from '../sim/serial-line';
import type { I2cPeer, InputLine, SpiPeer, UartPeer } from './peers';

const ACK = [0x00, 0x00, 0xff, 0x00, 0xff, 0x00];

function frame(body: number[]): number[] {
  const sum = body.reduce((a, b) => a + b, 0);
  return [0x00, 0x00, 0xff, body.length, (0x100 - body.length) & 0xff, ...body, (0x100 - (sum & 0xff)) & 0xff, 0x00];
}

export class FakePn532 {
  /** Commands received (PD0 codes). */
  readonly commands: number[] = [];
  private inbox: number[] = [];
  private outbox: number[][] = [];
  private irqLevel = 1;
  private irqListeners: Array<(level: number) => void> = [];
  private hsuListeners: Array<(b: Uint8Array) => void> = [];
  private toHost: SerialLine;
  baud = 115200;

  constructor(private clock: Clock) {
    this.toHost = new SerialLine(clock, 115200, (b) => this.hsuListeners.forEach((l) => l(b)));
  }

  readonly irq: InputLine = {
    level: () => this.irqLevel,
    onChange: (l) => {
      this.irqListeners.push(l);
    },
  };

  private setIrq(level: number): void {
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    for (const l of this.irqListeners) l(level);
  }

  /** Bytes from the host on any bus: finds 00 FF LEN LCS D4 PD... DCS frames. */
  private receive(bytes: ArrayLike<number>, onFrame: (reply: number[][]) => void): void {
    for (let i = 0; i < bytes.length; i++) this.inbox.push(bytes[i]);
    for (;;) {
      const start = this.inbox.findIndex((b, i) => b === 0x00 && this.inbox[i + 1] === 0xff);
      if (start < 0 || this.inbox.length < start + 4) return;
      const len = this.inbox[start + 2];
      const end = start + 4 + len + 1;
      if (this.inbox.length < end) return;
      const body = this.inbox.slice(start + 4, start + 4 + len);
      this.inbox = this.inbox.slice(end);
      if (len === 0) continue; // an ACK from the host
      const code = body[1];
      this.commands.push(code);
      const answer = code === 0x02 ? [0xd5, 0x03, 0x32, 0x01, 0x06, 0x07] : [0xd5, code + 1];
      onFrame([ACK, frame(answer)]);
    }
  }

  readonly hsu: UartPeer & { baud: number } = {
    write: (bytes) => {
      this.clock.setTimeout(() => this.receive(bytes, (replies) => {
        this.toHost.write(Uint8Array.from(replies[0]));
        this.clock.setTimeout(() => this.toHost.write(Uint8Array.from(replies[1])), 1);
      }), (bytes.length * 10_000) / this.hsu.baud / 1000);
    },
    onData: (l) => {
      this.hsuListeners.push(l);
    },
    baud: 115200,
  };

  private queue(replies: number[][]): void {
    this.outbox.push(replies[0]);
    this.setIrq(0);
    this.clock.setTimeout(() => {
      this.outbox.push(replies[1]);
      this.setIrq(0);
    }, 1);
  }

  /** Reads of the ready byte + frame (I2C) or of the frame after the 0x03 op (SPI). */
  private readOut(n: number, withStatus: boolean): number[] {
    const ready = this.outbox.length > 0;
    const data = ready ? this.outbox.shift()! : [];
    if (this.outbox.length === 0) this.setIrq(1);
    const out = withStatus ? [ready ? 0x01 : 0x00, ...data] : data;
    while (out.length < n) out.push(0x00);
    return out.slice(0, n);
  }

  readonly i2c: I2cPeer = {
    address: 0x24,
    write: (bytes) => this.receive(bytes, (r) => this.queue(r)),
    read: (n) => Uint8Array.from(this.readOut(n, true)),
  };

  readonly spi: SpiPeer = {
    order: 'lsb',
    mode: 0,
    transfer: (mosi) => {
      const op = mosi[0];
      if (op === 0x01) {
        this.receive(mosi.subarray(1), (r) => this.queue(r));
        return new Uint8Array(mosi.length);
      }
      if (op === 0x02) return Uint8Array.from([0x00, this.outbox.length ? 0x01 : 0x00, ...new Array(Math.max(0, mosi.length - 2)).fill(0)]).subarray(0, mosi.length);
      if (op === 0x03) return Uint8Array.from([0x00, ...this.readOut(mosi.length - 1, false)]);
      return new Uint8Array(mosi.length);
    },
  };
}
