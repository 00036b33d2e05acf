// SpiTransport's reads on a scripted bus: a frame longer than the read that took it out (an
// answer read as if it were an ACK) is read to its end, postamble included, and handed up whole.
import { describe, expect, it } from 'vitest';
import { buildFrame, FRAME, newParsedFrame, parseFrame } from './frames';
import { MAX_FRAME } from './constants';
import { SpiTransport, type SpiBus } from './spi';
import type { Timers } from '../timers';

/** A PN532 on SPI holding `pending` bytes: status 01 while it has any; each read takes the next
 * bytes (a real chip lets the frame go only once its last byte is read). */
function chip(pending: number[]) {
  const reads: number[] = [];
  const bus: SpiBus = {
    send(data) {
      if (data[0] === 0x02) return Uint8Array.of(0xff, pending.length ? 0x01 : 0x00);
      if (data[0] !== 0x03) return new Uint8Array(data.length);
      reads.push(data.length - 1);
      const out = new Uint8Array(data.length);
      out.set(pending.splice(0, data.length - 1), 1);
      return out;
    },
  };
  return { bus, reads };
}

/** Timers whose callbacks run when `fire` is called. */
function manualTimers() {
  const due: Array<() => void> = [];
  const timers: Timers = { now: () => 0, setTimeout: (fn) => due.push(fn), clearTimeout: () => {} };
  return { timers, fire: () => { while (due.length) due.shift()!(); } };
}

/** A transport over a chip holding `pending`, asked for an ACK's worth (6 bytes): the reads it
 * made and the frames it handed up. */
function readAckWorth(pending: number[]) {
  const { bus, reads } = chip(pending);
  const { timers, fire } = manualTimers();
  const spi = new SpiTransport(bus, 0, timers);
  const got: number[][] = [];
  spi.onFrame = (buf, start, end) => got.push(Array.from(buf.subarray(start, end)));
  spi.receive(6);
  fire();
  return { reads, got };
}

describe('SpiTransport', () => {
  it('reads the rest of a frame that a short read cut, postamble included', () => {
    const frame = new Uint8Array(MAX_FRAME);
    const pd = Uint8Array.of(0x41, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x90, 0x00); // InDataExchange's answer
    const n = buildFrame(frame, 0xd5, pd, 0, pd.length);
    const { reads, got } = readAckWorth(Array.from(frame.subarray(0, n)));
    expect(reads).toEqual([6, n - 6]);
    expect(got).toEqual([Array.from(frame.subarray(0, n))]);
    const p = newParsedFrame();
    expect(parseFrame(Uint8Array.from(got[0]), 0, n, p)).toBe(FRAME.DATA);
  });

  // An answer over 254 bytes comes in an extended frame (00 00 FF FF FF LENM LENL LCS): an ACK's
  // worth ends before its length. Before this was read, the rest stayed on the chip, the driver
  // took the cut frame for an I2C one, NACKed, and was later handed an older answer (pico-spi,
  // fault matrix pn532-missing-ack: sm-failure in 21 of 26 runs).
  it('reads an extended frame cut by a short read: its header, then the rest', () => {
    const frame = new Uint8Array(MAX_FRAME);
    const pd = new Uint8Array(262);
    pd[0] = 0x41;
    for (let i = 2; i < pd.length; i++) pd[i] = i & 0xff;
    const n = buildFrame(frame, 0xd5, pd, 0, pd.length);
    expect(Array.from(frame.subarray(2, 5))).toEqual([0xff, 0xff, 0xff]); // extended
    const { reads, got } = readAckWorth(Array.from(frame.subarray(0, n)));
    expect(reads).toEqual([6, 2, n - 8]); // the ACK's worth, to LCS, the rest
    expect(got).toEqual([Array.from(frame.subarray(0, n))]);
    expect(parseFrame(Uint8Array.from(got[0]), 0, n, newParsedFrame())).toBe(FRAME.DATA);
  });

  it('reads no further after a whole ACK', () => {
    const { reads, got } = readAckWorth([0x00, 0x00, 0xff, 0x00, 0xff, 0x00]);
    expect(reads).toEqual([6]);
    expect(got).toEqual([[0x00, 0x00, 0xff, 0x00, 0xff, 0x00]]);
  });
});
