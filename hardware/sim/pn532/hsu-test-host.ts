// A minimal PN532 host for tests: talks HSU to the simulator on a VirtualClock and decodes what
// comes back with the same frame parser. Not a driver: it does exactly what a test tells it.

import { VirtualClock } from '../clock';
import type { Card } from '../card';
import { FrameParser, commandFrame, type FrameEvent } from './frames';
import { HsuTransport } from './hsu-transport';
import { Pn532Simulator } from './pn532-simulator';
import type { Pn532Faults } from './pn532-faults';

export const WAKE_UP = Uint8Array.of(0x55, 0x55, ...new Array(14).fill(0));

export class HsuTestHost {
  readonly clock = new VirtualClock();
  readonly sim: Pn532Simulator;
  readonly hsu: HsuTransport;
  /** Every frame received from the chip, in order. */
  readonly frames: FrameEvent[] = [];
  readonly raw: number[] = [];
  private parser = new FrameParser((e) => this.frames.push(e));

  constructor(options: { card?: Card | null; faults?: Pn532Faults } = {}) {
    this.sim = new Pn532Simulator({ clock: this.clock, card: options.card, faults: options.faults });
    this.hsu = new HsuTransport(this.sim);
    this.hsu.onData((d) => {
      this.raw.push(...d);
      this.parser.push(d);
    });
  }

  write(bytes: ArrayLike<number>): void {
    this.hsu.write(Uint8Array.from(bytes));
  }

  send(pd: ArrayLike<number>): void {
    this.write(commandFrame(pd));
  }

  /** Runs until `count` more frames have arrived (throws if virtual time runs out). */
  receive(count: number, maxMs = 60_000): FrameEvent[] {
    const from = this.frames.length;
    this.clock.runUntil(() => this.frames.length >= from + count, maxMs);
    return this.frames.slice(from, from + count);
  }

  /** Lets virtual time pass and returns the frames that came meanwhile. */
  idle(ms: number): FrameEvent[] {
    const from = this.frames.length;
    this.clock.advance(ms);
    return this.frames.slice(from);
  }

  /** Sends a command, expects ACK then a response; returns the response body after D5 and code+1. */
  command(pd: ArrayLike<number>, maxMs?: number): Uint8Array {
    this.send(pd);
    const [ack, resp] = this.receive(2, maxMs);
    if (ack.kind !== 'ack') throw new Error('expected ACK, got ' + JSON.stringify(ack));
    if (resp.kind !== 'info') throw new Error('expected a response, got ' + resp.kind);
    if (resp.body[0] !== 0xd5 || resp.body[1] !== pd[0] + 1) throw new Error('unexpected response ' + Buffer.from(resp.body).toString('hex'));
    return resp.body.slice(2);
  }

  /** Wake-up preamble + SAMConfiguration normal mode, as libnfc opens a PN532. */
  open(): void {
    this.write(WAKE_UP);
    this.command([0x14, 0x01]);
  }
}

export function hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function fromHex(s: string): Uint8Array {
  const t = s.replace(/\s+/g, '');
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.substr(i * 2, 2), 16);
  return out;
}
