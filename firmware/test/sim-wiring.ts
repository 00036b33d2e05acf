// Test wiring: the firmware's PN532 driver (TS sources) on one of the simulator's host
// interfaces, on a VirtualClock. No Espruino shim here: the transports get the simulator's
// transports directly as their bus objects.

import { VirtualClock } from '@epassport/hardware/sim/clock';
import type { Card } from '@epassport/hardware/sim/card';
import {
  HsuTransport as SimHsu, I2cTransport as SimI2c, Pn532Simulator, SpiTransport as SimSpi,
} from '@epassport/hardware/sim/pn532/index';
import { HsuTransport } from '../src/pn532/hsu';
import { I2cTransport, type IrqLine } from '../src/pn532/i2c';
import { SpiTransport } from '../src/pn532/spi';
import { Pn532 } from '../src/pn532/pn532';
import type { Pn532Io } from '../src/pn532/pn532-io';

export type Bus = 'hsu' | 'i2c' | 'spi';

export interface Wired {
  clock: VirtualClock;
  sim: Pn532Simulator;
  io: Pn532Io;
  pn532: Pn532;
  /** Host-side bytes written to the chip, per write (HSU) or transaction (I2C/SPI). */
  writes: Uint8Array[];
}

function irqLine(sim: Pn532Simulator, clock: VirtualClock): IrqLine {
  let watcher: (() => void) | null = null;
  sim.onIrqChange((level) => {
    if (level === 0 && watcher) {
      const fn = watcher;
      watcher = null;
      clock.setTimeout(fn, 0);
    }
  });
  return {
    isLow: () => sim.irq === 0,
    watch: (fn) => {
      watcher = fn;
    },
    unwatch: () => {
      watcher = null;
    },
  };
}

export function wire(bus: Bus, options: { card?: Card | null; irq?: boolean; fastBaud?: number; maxResponse?: number } = {}): Wired {
  const clock = new VirtualClock();
  const sim = new Pn532Simulator({ clock, card: options.card ?? null });
  const writes: Uint8Array[] = [];
  let io: Pn532Io;
  if (bus === 'hsu') {
    const line = new SimHsu(sim);
    // Bytes at a speed the other side is not at are garbage: dropped (as the Espruino shim does).
    const hsu: HsuTransport = new HsuTransport({
      write: (d) => {
        writes.push(d.slice());
        if (hsu.baud === line.baud) line.write(d);
      },
    }, 115200, () => {});
    line.onData((d) => {
      if (hsu.baud === line.baud) hsu.feed(d);
    });
    io = hsu;
  } else if (bus === 'i2c') {
    const dev = new SimI2c(sim);
    io = new I2cTransport(
      { writeTo: (_a, d) => { writes.push(d.slice()); dev.write(d); }, readFrom: (_a, n) => dev.read(n) },
      clock,
      options.irq ? irqLine(sim, clock) : null,
    );
  } else {
    const dev = new SimSpi(sim);
    io = new SpiTransport({ send: (d) => { writes.push(d.slice()); return dev.transfer(d); } }, 'A4', clock, options.irq ? irqLine(sim, clock) : null);
  }
  const pn532 = new Pn532(io, clock, { fastBaud: options.fastBaud, maxResponse: options.maxResponse });
  return { clock, sim, io, pn532, writes };
}

/** Runs a callback-style operation to completion on the virtual clock. */
export function run<T extends unknown[]>(clock: VirtualClock, op: (done: (...args: T) => void) => void, maxMs = 60_000): T {
  let result: T | null = null;
  op((...args: T) => {
    result = args;
  });
  clock.runUntil(() => result !== null, maxMs);
  return result!;
}
