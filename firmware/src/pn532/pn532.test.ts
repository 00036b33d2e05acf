// The PN532 driver against the simulator's HSU, I2C and SPI interfaces (TS sources, VirtualClock).
import { describe, expect, it } from 'vitest';
import type { Card, CardReply } from '@epassport/hardware/sim/card';
import { run, wire, type Bus } from '../../test/sim-wiring';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { MAX_R_APDU, Pn532, atsBitRateIndex, statusError, type Target } from './pn532';
import { ACK_FRAME, NACK_FRAME } from './frames';
import type { Pn532Io } from './pn532-io';
import type { IcaoError } from '../icao/errors';

/** A tiny ISO-DEP card: answers an APDU with its own bytes reversed + 9000; INS EE gives 400 bytes. */
class EchoCard implements Card {
  present = true;
  apdus: Uint8Array[] = [];
  constructor(readonly identity: Card['identity'] = {
    type: 'A', atqa: Uint8Array.of(0x00, 0x04), sak: 0x20, uid: Uint8Array.of(0x08, 1, 2, 3), ats: Uint8Array.of(0x05, 0x78, 0x77, 0x94, 0x02),
  }) {}
  isPresent() { return this.present; }
  reset() {}
  transceive(apdu: Uint8Array): CardReply | null {
    if (!this.present) return null;
    this.apdus.push(apdu.slice());
    // INS EE: 400 pattern bytes; INS EF: P1P2 pattern bytes (long answers, many MI parts).
    const long = apdu[1] === 0xee ? 400 : apdu[1] === 0xef ? (apdu[2] << 8) | apdu[3] : -1;
    const data = long >= 0 ? Uint8Array.from({ length: long }, (_, i) => (i * 7) & 0xff) : apdu.slice().reverse();
    const response = new Uint8Array(data.length + 2);
    response.set(data);
    response[data.length] = 0x90;
    return { response, processingMs: 2 };
  }
}

const BUSES: Array<{ bus: Bus; irq: boolean }> = [
  { bus: 'hsu', irq: false },
  { bus: 'i2c', irq: false },
  { bus: 'i2c', irq: true },
  { bus: 'spi', irq: false },
  { bus: 'spi', irq: true },
];

function connect(w: ReturnType<typeof wire>): Target {
  const [err] = run<[IcaoError | null]>(w.clock, (done) => w.pn532.begin(done));
  expect(err).toBeNull();
  const [e2, t] = run<[IcaoError | null, Target | null]>(w.clock, (done) => w.pn532.listPassiveTarget(false, done));
  expect(e2).toBeNull();
  expect(t).not.toBeNull();
  const [e3] = run<[IcaoError | null]>(w.clock, (done) => w.pn532.selectBitRate(done));
  expect(e3).toBeNull();
  return t!;
}

function exchange(w: ReturnType<typeof wire>, apdu: Uint8Array) {
  return run<[IcaoError | null, Uint8Array | null]>(w.clock, (done) => w.pn532.transceive(apdu, done));
}

describe.each(BUSES)('PN532 driver over $bus (irq $irq)', ({ bus, irq }) => {
  it('wakes the chip, checks the firmware, finds the card, negotiates 424 kbit/s and exchanges APDUs', () => {
    const card = new EchoCard();
    const w = wire(bus, { card, irq });
    const t = connect(w);
    expect(w.pn532.firmware).toBe(0x32010607);
    expect(t.type).toBe('A');
    expect(t.maxBitRate).toBe(424);
    const [err, r] = exchange(w, Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x04));
    expect(err).toBeNull();
    expect(Array.from(r!)).toEqual([0x04, 0x00, 0x00, 0xb0, 0x00, 0x90, 0x00]);
    expect(card.apdus).toHaveLength(1);
  });

  it('starts the set-up over when the chip is reset in the middle of it (it then takes only SAMConfiguration)', () => {
    // The fault matrix's pn532-reset-mid-command seed 2145680109 on pico-spi: a reset right after
    // the ACK of GetFirmwareVersion; the driver resent GetFirmwareVersion, which the chip in
    // LowVbat ignores, and the read ended pn532-silent.
    const w = wire(bus, { card: new EchoCard(), irq });
    let result: Array<IcaoError | null> | null = null;
    w.pn532.begin((err) => {
      result = [err];
    });
    w.clock.runUntil(() => w.sim.stats.acks >= 1, 1000); // SAMConfiguration ACKed
    w.sim.faults.resetDuringNextCommand(0); // GetFirmwareVersion comes next
    w.clock.runUntil(() => result !== null, 10_000);
    expect(result).toEqual([null]);
    expect(w.pn532.firmware).toBe(0x32010607);
    const [err, t] = run<[IcaoError | null, Target | null]>(w.clock, (done) => w.pn532.listPassiveTarget(false, done));
    expect(err).toBeNull();
    expect(t).not.toBeNull();
  });

  it('sets the chip up again when it was reset while polling (it then takes only SAMConfiguration), and finds the card', () => {
    // The fault matrix's pn532-reset-mid-command seed 475550746 on pico (HSU): a reset after the
    // ACK of InListPassiveTarget; the next poll got no ACK (the chip in LowVbat, on HSU at the
    // base speed) and the read ended pn532-silent.
    const w = wire(bus, { card: new EchoCard(), irq, fastBaud: bus === 'hsu' ? 1288000 : undefined });
    expect(run<[IcaoError | null]>(w.clock, (done) => w.pn532.begin(done))[0]).toBeNull();
    // The reset (that poll, its answer lost, counted as no card); the next poll is the case.
    w.sim.reset();
    const [err, t] = run<[IcaoError | null, Target | null]>(w.clock, (done) => w.pn532.listPassiveTarget(false, done));
    expect(err).toBeNull();
    expect(t).not.toBeNull();
    if (bus === 'hsu') expect(w.sim.chip.hsuBaud).toBe(1288000);
    expect(exchange(w, Uint8Array.of(1, 2))[1]).toEqual(Uint8Array.of(2, 1, 0x90, 0x00));
  });

  it('reassembles a 402-byte R-APDU from MI parts', () => {
    const w = wire(bus, { card: new EchoCard(), irq });
    connect(w);
    const [err, r] = exchange(w, Uint8Array.of(0x00, 0xee, 0x00, 0x00, 0x00));
    expect(err).toBeNull();
    expect(r!.length).toBe(402);
    expect(r![261]).toBe((261 * 7) & 0xff);
    expect(Array.from(r!.subarray(400))).toEqual([0x90, 0x00]);
  });

  it('sends the longest C-APDU (262 bytes: an extended PN532 frame) and a short one after it', () => {
    const card = new EchoCard();
    const w = wire(bus, { card, irq });
    connect(w);
    const longest = Uint8Array.from({ length: 262 }, (_, i) => (i * 5 + 1) & 0xff);
    const [err, r] = exchange(w, longest);
    expect(err).toBeNull();
    expect(Array.from(card.apdus[card.apdus.length - 1])).toEqual(Array.from(longest));
    expect(Array.from(r!)).toEqual([...Array.from(longest).reverse(), 0x90, 0x00]);
    const [e2, short] = exchange(w, Uint8Array.of(1, 2, 3));
    expect(e2).toBeNull();
    expect(Array.from(short!)).toEqual([3, 2, 1, 0x90, 0x00]);
  });

  it('joins MI parts up to MAX_R_APDU bytes exactly, refuses one byte more, and goes on', () => {
    const w = wire(bus, { card: new EchoCard(), irq });
    connect(w);
    const longest = MAX_R_APDU - 2; // data, then the status word
    const [err, r] = exchange(w, Uint8Array.of(0x00, 0xef, longest >> 8, longest & 0xff, 0x00));
    expect(err).toBeNull();
    expect(Array.from(r!)).toEqual([...Array.from({ length: longest }, (_, i) => (i * 7) & 0xff), 0x90, 0x00]);
    const [tooLong] = exchange(w, Uint8Array.of(0x00, 0xef, (longest + 1) >> 8, (longest + 1) & 0xff, 0x00));
    expect(tooLong?.code).toBe('too-large');
    const [e3, short] = exchange(w, Uint8Array.of(1, 2, 3));
    expect(e3).toBeNull();
    expect(Array.from(short!)).toEqual([3, 2, 1, 0x90, 0x00]);
  });

  it('joins MI parts up to maxResponse bytes (a board reading smaller blocks), refuses one byte more', () => {
    const w = wire(bus, { card: new EchoCard(), irq, maxResponse: 1061 });
    connect(w);
    const longest = 1061 - 2;
    const [err, r] = exchange(w, Uint8Array.of(0x00, 0xef, longest >> 8, longest & 0xff, 0x00));
    expect(err).toBeNull();
    expect(r!.length).toBe(1061);
    const [tooLong] = exchange(w, Uint8Array.of(0x00, 0xef, (longest + 1) >> 8, (longest + 1) & 0xff, 0x00));
    expect(tooLong?.code).toBe('too-large');
  });

  it('reports no card promptly when the field is empty', () => {
    const w = wire(bus, { card: null, irq });
    const [err] = run<[IcaoError | null]>(w.clock, (done) => w.pn532.begin(done));
    expect(err).toBeNull();
    const [e2, t] = run<[IcaoError | null, Target | null]>(w.clock, (done) => w.pn532.listPassiveTarget(false, done), 2000);
    expect(e2).toBeNull();
    expect(t).toBeNull();
  });

  it('asks again with NACK when a response frame is corrupt', () => {
    const w = wire(bus, { card: new EchoCard(), irq });
    connect(w);
    w.sim.faults.corruptNextResponse(1);
    const [err, r] = exchange(w, Uint8Array.of(1, 2, 3));
    expect(err).toBeNull();
    expect(Array.from(r!)).toEqual([3, 2, 1, 0x90, 0x00]);
    expect(w.sim.stats.nacks).toBe(1);
  });

  it('takes the answer to an InDataExchange whose ACK was lost, without replaying the APDU', () => {
    const card = new EchoCard();
    const w = wire(bus, { card, irq });
    connect(w);
    w.sim.faults.dropNextAck(1);
    const before = card.apdus.length;
    const [err, r] = exchange(w, Uint8Array.of(7));
    expect(err).toBeNull();
    expect(Array.from(r!)).toEqual([7, 0x90, 0x00]);
    expect(card.apdus.length - before).toBe(1); // a resend would have run it twice on the card
  });

  it('resends a command other than InDataExchange whose ACK was lost', () => {
    const w = wire(bus, { card: new EchoCard(), irq });
    connect(w);
    w.sim.faults.dropNextAck(1);
    const [err] = run<[IcaoError | null]>(w.clock, (done) => w.pn532.release(done));
    expect(err).toBeNull();
  });

  it('says pn532-silent when the chip does not answer', () => {
    const w = wire(bus, { card: new EchoCard(), irq });
    w.sim.faults.silence();
    const [err] = run<[IcaoError | null]>(w.clock, (done) => w.pn532.begin(done));
    expect(err!.code).toBe('pn532-silent');
    expect(w.pn532.firmware).toBe(0);
  });

  it('maps a timeout status to card-lost and a buffer overflow to pn532-error', () => {
    const w = wire(bus, { card: new EchoCard(), irq });
    connect(w);
    w.sim.faults.failNextExchange(0x01);
    expect(exchange(w, Uint8Array.of(1))[0]!.code).toBe('card-lost');
    w.sim.faults.failNextExchange(0x0e);
    expect(exchange(w, Uint8Array.of(1))[0]!.code).toBe('pn532-error');
  });

  it('reports card-lost when the card leaves the field', () => {
    const card = new EchoCard();
    const w = wire(bus, { card, irq });
    connect(w);
    card.present = false;
    expect(exchange(w, Uint8Array.of(1))[0]!.code).toBe('card-lost');
  });

  it('releases the card, powers down and wakes up again for the next session', () => {
    const card = new EchoCard();
    const w = wire(bus, { card, irq });
    connect(w);
    expect(run<[IcaoError | null]>(w.clock, (d) => w.pn532.release(d))[0]).toBeNull();
    expect(run<[IcaoError | null]>(w.clock, (d) => w.pn532.powerDown(d))[0]).toBeNull();
    expect(w.sim.asleep).toBe(true);
    connect(w);
    const [err, r] = exchange(w, Uint8Array.of(9, 8));
    expect(err).toBeNull();
    expect(Array.from(r!)).toEqual([8, 9, 0x90, 0x00]);
  });

  it('aborts a pending command with a host ACK', () => {
    const w = wire(bus, { card: null, irq });
    expect(run<[IcaoError | null]>(w.clock, (d) => w.pn532.begin(d))[0]).toBeNull();
    let got: IcaoError | null | undefined;
    w.pn532.listPassiveTarget(false, (err) => {
      got = err;
    });
    w.clock.advance(1);
    w.pn532.abort();
    expect(got!.code).toBe('cancelled');
    expect(w.pn532.busy).toBe(false);
    // The chip is idle and answers the next command.
    expect(run<[IcaoError | null]>(w.clock, (d) => w.pn532.begin(d))[0]).toBeNull();
  });
});

describe('PN532 driver against a chip whose responses are always damaged', () => {
  it('sends NACK a bounded number of times, then aborts with pn532-error and stays usable', () => {
    const clock = new VirtualClock();
    const sent: number[][] = [];
    let corrupt = true;
    const io: Pn532Io = {
      onFrame: null,
      send(frame) {
        const f = Array.from(frame);
        sent.push(f);
        if (f[5] !== 0xd4 && f[3] !== 0xff) return; // the host's ACK
        // ACK, then a response whose DCS is wrong (or right, once healed); again after a NACK.
        if (f[5] === 0xd4) clock.setTimeout(() => io.onFrame!(ACK_FRAME, 0, 6), 1);
        const good = Uint8Array.of(0x00, 0x00, 0xff, 0x05, 0xfb, 0xd5, 0x41, 0x00, 0x90, 0x00, 0x00, 0x00);
        good[10] = (0x100 - ((0xd5 + 0x41 + 0x00 + 0x90) & 0xff)) & 0xff;
        clock.setTimeout(() => {
          const r = good.slice();
          if (corrupt) r[10] ^= 0x5a;
          io.onFrame!(r, 0, r.length);
        }, 3);
      },
      receive() {},
      stop() {},
      txMillis: () => 0,
    };
    const pn532 = new Pn532(io, clock);
    pn532.target = { tg: 1, type: 'A', sak: 0x20, maxBitRate: 106 };
    const [err] = run<[IcaoError | null, Uint8Array | null]>(clock, (d) => pn532.transceive(Uint8Array.of(1), d));
    expect(err!.code).toBe('pn532-error');
    const isNack = (f: number[]) => f.join() === Array.from(NACK_FRAME).join();
    const isAck = (f: number[]) => f.join() === Array.from(ACK_FRAME).join();
    expect(sent.filter(isNack)).toHaveLength(3);
    expect(isAck(sent[sent.length - 1])).toBe(true);
    corrupt = false;
    const [e2, r] = run<[IcaoError | null, Uint8Array | null]>(clock, (d) => pn532.transceive(Uint8Array.of(1), d));
    expect(e2).toBeNull();
    expect(Array.from(r!)).toEqual([0x90, 0x00]);
  });
});

describe('PN532 driver, HSU specifics', () => {
  it('switches to the fast baud with SetSerialBaudRate and keeps talking', () => {
    const w = wire('hsu', { card: new EchoCard(), fastBaud: 921600 });
    connect(w);
    expect(w.io.baud).toBe(921600);
    expect(w.sim.chip.hsuBaud).toBe(921600);
    const [err, r] = exchange(w, Uint8Array.of(1, 2));
    expect(err).toBeNull();
    expect(Array.from(r!)).toEqual([2, 1, 0x90, 0x00]);
    // After PowerDown the chip keeps its speed; the longer preamble still wakes it.
    expect(run<[IcaoError | null]>(w.clock, (d) => w.pn532.powerDown(d))[0]).toBeNull();
    connect(w);
    expect(exchange(w, Uint8Array.of(3))[0]).toBeNull();
  });

  it('falls back to the base speed when the chip was reset behind our back', () => {
    const w = wire('hsu', { card: new EchoCard(), fastBaud: 921600 });
    connect(w);
    w.sim.reset(); // back to LowVbat at 115200
    connect(w);
    expect(w.sim.chip.hsuBaud).toBe(921600);
    expect(exchange(w, Uint8Array.of(3))[0]).toBeNull();
  });

  it('finds a type B card', () => {
    const card = new EchoCard({ type: 'B', atqb: Uint8Array.of(0x50, 1, 2, 3, 4, 0, 0, 0, 0, 0x00, 0x81, 0x71), attribRes: Uint8Array.of(0x00) });
    const w = wire('hsu', { card });
    expect(run<[IcaoError | null]>(w.clock, (d) => w.pn532.begin(d))[0]).toBeNull();
    expect(run<[IcaoError | null, Target | null]>(w.clock, (d) => w.pn532.listPassiveTarget(false, d))[1]).toBeNull();
    const [, t] = run<[IcaoError | null, Target | null]>(w.clock, (d) => w.pn532.listPassiveTarget(true, d));
    expect(t!.type).toBe('B');
    expect(exchange(w, Uint8Array.of(5, 6))[1]).toEqual(Uint8Array.of(6, 5, 0x90, 0x00));
  });
});

describe('PN532 helpers', () => {
  it('picks the highest bit rate both directions allow from ATS TA(1)', () => {
    const ats = (ta: number) => Uint8Array.of(0x05, 0x78, ta, 0x94, 0x02);
    expect(atsBitRateIndex(ats(0x77), 0, 5, 2)).toBe(2);
    expect(atsBitRateIndex(ats(0x33), 0, 5, 2)).toBe(2);
    expect(atsBitRateIndex(ats(0x13), 0, 5, 2)).toBe(1); // 424 only one way
    expect(atsBitRateIndex(ats(0x00), 0, 5, 2)).toBe(0);
    expect(atsBitRateIndex(ats(0x77), 0, 5, 1)).toBe(1); // capped at 212
    expect(atsBitRateIndex(Uint8Array.of(0x05, 0x68, 0x77, 0x94, 0x02), 0, 5, 2)).toBe(0); // no TA
  });

  it('maps status codes', () => {
    expect(statusError(0x01).code).toBe('card-lost');
    expect(statusError(0x41).code).toBe('card-lost');
    expect(statusError(0x07).code).toBe('pn532-error');
  });
});
