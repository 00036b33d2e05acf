import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACK_FRAME, FRAME, NACK_FRAME, buildFrame, newParsedFrame, parseFrame, scanFrame } from './frames';
import { MAX_FRAME } from './constants';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));

function parse(bytes: Uint8Array) {
  const p = newParsedFrame();
  const kind = parseFrame(bytes, 0, bytes.length, p);
  return { kind, p, pd: bytes.slice(p.pd, p.pd + p.pdLength) };
}

describe('PN532 frames', () => {
  it('builds GetFirmwareVersion as libnfc does', () => {
    const out = new Uint8Array(MAX_FRAME);
    const n = buildFrame(out, 0xd4, Uint8Array.of(0x02), 0, 1);
    expect(out.slice(0, n)).toEqual(hex('00 00 FF 02 FE D4 02 2A 00'));
  });

  it('parses a response and checks TFI, LCS and DCS', () => {
    const r = parse(hex('00 00 FF 06 FA D5 03 32 01 06 07 E8 00'));
    expect(r.kind).toBe(FRAME.DATA);
    expect(r.p.tfi).toBe(0xd5);
    expect(r.pd).toEqual(hex('03 32 01 06 07'));
  });

  it('recognises ACK, NACK and the application error frame', () => {
    expect(parse(ACK_FRAME).kind).toBe(FRAME.ACK);
    expect(parse(NACK_FRAME).kind).toBe(FRAME.NACK);
    expect(parse(hex('00 00 FF 01 FF 7F 81 00')).kind).toBe(FRAME.ERROR);
  });

  it('skips garbage before the start code (HSU wake-up bytes, I2C status)', () => {
    const r = parse(hex('55 55 00 00 01 00 00 FF 00 FF 00'));
    expect(r.kind).toBe(FRAME.ACK);
    expect(r.p.start).toBe(6);
  });

  it('flags a bad DCS or LCS as corrupt, and a cut frame as incomplete', () => {
    expect(parse(hex('00 00 FF 06 FA D5 03 32 01 06 07 E9 00')).kind).toBe(FRAME.CORRUPT);
    expect(parse(hex('00 00 FF 06 FB D5 03 32 01 06 07 E8 00')).kind).toBe(FRAME.CORRUPT);
    expect(parse(hex('00 00 FF 06 FA D5 03 32')).kind).toBe(FRAME.INCOMPLETE);
    expect(parse(hex('00 00')).kind).toBe(FRAME.NONE);
  });

  it('round-trips normal and extended frames of every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 264 }), (pd) => {
        const out = new Uint8Array(MAX_FRAME);
        const n = buildFrame(out, 0xd5, pd, 0, pd.length);
        expect(n).toBe(pd.length + (pd.length + 1 > 255 ? 11 : 8));
        const r = parse(out.subarray(0, n));
        expect(r.kind).toBe(FRAME.DATA);
        expect(r.pd).toEqual(pd);
        // The scan finds the same extent from any prefix-complete buffer.
        const s = newParsedFrame();
        expect(scanFrame(out, 0, n - 2, s)).toBe(FRAME.INCOMPLETE);
        expect(s.end).toBe(n - 1); // where its DCS will end: what SPI reads on to
      }),
    );
  });

  it('uses an extended frame above 254 PD bytes (262-byte C-APDU, as libnfc in the LAB)', () => {
    const pd = new Uint8Array(264);
    pd[0] = 0x40;
    pd[1] = 0x01;
    const out = new Uint8Array(MAX_FRAME);
    buildFrame(out, 0xd4, pd, 0, pd.length);
    expect(out.slice(0, 9)).toEqual(hex('00 00 FF FF FF 01 09 F6 D4'));
  });

  it('detects any single flipped byte inside a frame', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (pd, at, flip) => {
        const out = new Uint8Array(MAX_FRAME);
        const n = buildFrame(out, 0xd5, pd, 0, pd.length);
        const i = 3 + (at % (n - 4)); // LEN .. DCS
        out[i] ^= flip;
        const kind = parse(out.subarray(0, n)).kind;
        expect(kind === FRAME.DATA).toBe(false);
      }),
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const p = newParsedFrame();
        let at = 0;
        for (let guard = 0; guard < 700 && at < bytes.length; guard++) {
          const k = parseFrame(bytes, at, bytes.length, p);
          if (k === FRAME.NONE || k === FRAME.INCOMPLETE) break;
          expect(p.end).toBeGreaterThan(at);
          at = p.end;
        }
      }),
    );
  });
});
