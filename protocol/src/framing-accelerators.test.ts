// The seam through which the device swaps CRC-16 and COBS for its native code: what an accelerator
// answers is what the caller gets, NOT_ACCELERATED falls back to the TypeScript, and null removes
// it. The firmware's real accelerators are tested against these functions in firmware/src/native.

import { afterEach, describe, expect, it } from 'vitest';
import { cobsDecodeInPlace, cobsEncode } from './cobs.js';
import { crc16 } from './crc16.js';
import { NOT_ACCELERATED, setFramingAccelerators } from './framing-accelerators.js';

const DATA = new Uint8Array([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]);
const CHECK = 0x29b1; // CRC-16/CCITT-FALSE of "123456789" (the catalogue's check value)

type Call = [string, ...number[]];

/** Accelerators answering `answer` (per function) and logging their calls. */
function install(answer: { crc16: number; encode: number; decode: number }): Call[] {
  const calls: Call[] = [];
  setFramingAccelerators({
    crc16: (_b, start, end, c) => (calls.push(['crc16', start, end, c]), answer.crc16),
    cobsEncode: (_s, n, _d, at) => (calls.push(['encode', n, at]), answer.encode),
    cobsDecodeInPlace: (_b, n) => (calls.push(['decode', n]), answer.decode),
  });
  return calls;
}

afterEach(() => setFramingAccelerators(null));

describe('framing accelerators', () => {
  it("the accelerator's answer is the result, 0 included; the start register is passed on", () => {
    const calls = install({ crc16: 0, encode: 0, decode: 0 });
    expect(crc16(DATA, 1, 4)).toBe(0);
    expect(crc16(DATA, 0, 9, 0x1d0f)).toBe(0);
    expect(cobsEncode(DATA, 9, new Uint8Array(12), 2)).toBe(0);
    expect(cobsDecodeInPlace(new Uint8Array([1, 1]), 2)).toBe(0);
    expect(calls).toEqual([['crc16', 1, 4, 0xffff], ['crc16', 0, 9, 0x1d0f], ['encode', 9, 2], ['decode', 2]]);
  });

  it("the decoder's -1 (not COBS) is final; NOT_ACCELERATED runs the TypeScript", () => {
    install({ crc16: NOT_ACCELERATED, encode: NOT_ACCELERATED, decode: -1 });
    expect(cobsDecodeInPlace(new Uint8Array([2, 7]), 2)).toBe(-1); // valid COBS: the TypeScript would say 1
    expect(crc16(DATA, 0, 9)).toBe(CHECK);
    const out = new Uint8Array(4);
    expect(cobsEncode(new Uint8Array([7, 0]), 2, out, 1)).toBe(4);
    expect([...out]).toEqual([0, 2, 7, 1]);
    install({ crc16: 1, encode: 1, decode: NOT_ACCELERATED });
    const buf = new Uint8Array([2, 7, 1]);
    expect(cobsDecodeInPlace(buf, 3)).toBe(2);
    expect([...buf.subarray(0, 2)]).toEqual([7, 0]);
  });

  it('null removes every accelerator', () => {
    const calls = install({ crc16: 5, encode: 5, decode: 5 });
    setFramingAccelerators(null);
    expect(crc16(DATA, 0, 9)).toBe(CHECK);
    expect(cobsEncode(new Uint8Array([7]), 1, new Uint8Array(2), 0)).toBe(2);
    expect(cobsDecodeInPlace(new Uint8Array([2, 7]), 2)).toBe(1);
    expect(calls).toEqual([]);
  });
});
