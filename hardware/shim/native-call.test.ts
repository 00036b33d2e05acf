// E.getAddressOf, require('Storage') and E.nativeCall in the shim: the memory model, the checks
// that make the shim stricter than a board, and calls into the blob on the emulator compared
// with node:crypto.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc16 } from '@epassport/protocol';
import { VirtualClock } from '../sim/clock';
import { EspruinoRuntime } from './espruino-runtime';
import { emulatorMissing } from './native-emulator';
import { requireTool, TOOLS } from '../../test/support/requires-tool';

const emulator = requireTool(
  { name: 'Cortex-M4 emulator', install: TOOLS['python3-unicorn'].install, problem: () => emulatorMissing() ?? TOOLS['python3-unicorn'].problem() },
  'E.nativeCall in the shim on the emulated Cortex-M4',
);

const SIG = "'int(int,int,int,int)'";
const BLOB = "require('Storage').read('native')";

describe('shim memory model and Storage (no emulator)', () => {
  const rt = new EspruinoRuntime({ clock: new VirtualClock() });

  it('flat typed arrays (>= 32 bytes) get a stable, 4-byte aligned address; smaller ones 0, as on Espruino', () => {
    const r = rt.evaluate(`(function () {
      var a = new Uint8Array(64), b = new Uint8Array(16), c = new Int32Array(8);
      var pa = E.getAddressOf(a, true);
      return [pa, pa & 3, E.getAddressOf(a, true) === pa, E.getAddressOf(a.subarray(5), true) - pa,
        E.getAddressOf(b, true), E.getAddressOf(c, true) & 3, E.getAddressOf('not in storage', true), E.getAddressOf(a, false)];
    })()`) as number[];
    expect(r[0]).toBeGreaterThan(0);
    expect(r.slice(1)).toEqual([0, true, 5, 0, 0, 0, 0]);
  });

  it('Storage is empty at power-on, so the firmware takes its TypeScript path; write/read/list/erase', () => {
    expect(rt.evaluate(`${BLOB} === undefined`)).toBe(true);
    rt.evaluate(`require('Storage').write('f', 'ab', 0, 6); require('Storage').write('f', 'cd', 2)`);
    expect(rt.evaluate(`require('Storage').read('f')`)).toBe('abcd\xff\xff');
    expect(rt.evaluate(`require('Storage').list()`)).toEqual(['f']);
    expect(() => rt.evaluate(`require('Storage').write('f', 'xyz', 5)`)).toThrow(/past the end/);
    rt.evaluate(`require('Storage').erase('f')`);
    expect(rt.evaluate(`require('Storage').read('f')`)).toBeUndefined();
  });

  it('E.nativeCall runs only a Storage file, and only with the emulator', () => {
    expect(() => rt.evaluate(`E.nativeCall(17, ${SIG}, 'code')`)).toThrow(/Storage file/);
    rt.evaluate(`require('Storage').write('native', 'EPN1xxxxxxxxxxxxyyyy')`);
    expect(() => rt.evaluate(`E.nativeCall(17, ${SIG}, ${BLOB})`)).toThrow(/no emulator/);
  });
});

describe.skipIf(!emulator)('E.nativeCall on the emulated Cortex-M4', () => {
  const rt = new EspruinoRuntime({ clock: new VirtualClock(), native: 'emulator' });
  const call = (entry: number, body: string): unknown =>
    rt.evaluate(`(function () { var f = E.nativeCall(${16 + 4 * entry} | 1, ${SIG}, ${BLOB}); ${body} })()`);

  it('refuses what a Cortex-M4 or the ABI would not take: no Thumb bit, 5 arguments, other signatures', () => {
    expect(() => rt.evaluate(`E.nativeCall(16, ${SIG}, ${BLOB})`)).toThrow(/Thumb/);
    expect(() => rt.evaluate(`E.nativeCall(17, 'int(int,int,int,int,int)', ${BLOB})`)).toThrow(/argument number 6/);
    expect(() => rt.evaluate(`E.nativeCall(17, 'void(int)', ${BLOB})`)).toThrow(/int\(int,int,int,int\)/);
    expect(() => rt.evaluate(`E.nativeCall(${16 + 4 * 19} | 1, ${SIG}, ${BLOB})`)).toThrow(/not an entry/);
    expect(() => call(7, 'return f(0xffff, 0, 0, 0, 0);')).toThrow(/more than 4/);
  });

  it('refuses pointers outside memory whose address was taken, past a buffer end, and unaligned contexts', () => {
    // sha256_init(state): state must be flat, aligned, >= 112 bytes.
    expect(() => call(12, 'var s = new Uint8Array(200); return f(E.getAddressOf(s, true) + 2, 256, 0, 0);')).toThrow(/not 4-byte aligned/);
    expect(() => call(12, 'var s = new Uint8Array(100); return f(E.getAddressOf(s, true), 256, 0, 0);')).toThrow(/past its buffer/);
    expect(() => call(12, 'return f(0x20001000, 256, 0, 0);')).toThrow(/not in memory whose address was taken/);
    // crc16(crc, data, len): 65 bytes from a 64-byte buffer.
    expect(() => call(7, 'var d = new Uint8Array(64); return f(0xffff, E.getAddressOf(d, true), 65, 0);')).toThrow(/past its buffer/);
  });

  it('runs the exact blob: SHA-256 and CRC-16 over random data equal node:crypto and the protocol TS', () => {
    const data = randomBytes(1000);
    const hex = data.toString('hex');
    const digest = rt.evaluate(`(function () {
      var init = E.nativeCall(${16 + 4 * 12} | 1, ${SIG}, ${BLOB}), update = E.nativeCall(${16 + 4 * 13} | 1, ${SIG}, ${BLOB});
      var fin = E.nativeCall(${16 + 4 * 14} | 1, ${SIG}, ${BLOB});
      var s = new Uint8Array(112), d = new Uint8Array(1000), out = new Uint8Array(32);
      for (var i = 0; i < 1000; i++) d[i] = parseInt('${hex}'.substr(2 * i, 2), 16);
      init(E.getAddressOf(s, true), 256, 0, 0);
      update(E.getAddressOf(s, true), E.getAddressOf(d, true), 333, 0);
      update(E.getAddressOf(s, true), E.getAddressOf(d, true) + 333, 667, 0);
      fin(E.getAddressOf(s, true), E.getAddressOf(out, true), 0, 0);
      return Array.prototype.slice.call(out);
    })()`) as number[];
    expect(Buffer.from(digest).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    const crc = call(7, `var d = new Uint8Array(1000); for (var i = 0; i < 1000; i++) d[i] = parseInt('${hex}'.substr(2 * i, 2), 16);
      return f(0xffff, E.getAddressOf(d, true), 1000, 0);`);
    expect(crc).toBe(crc16(data, 0, data.length));
    expect(rt.nativeCalls.counts.sha256_update).toBe(2);
  });
});

describe.skipIf(!emulator)('E.nativeCall runs the PACE blob (Storage file pace) too', () => {
  const rt = new EspruinoRuntime({ clock: new VirtualClock(), native: 'emulator' });

  it('AES (FIPS 197 C.1) and ec_mul (k = 1: the brainpoolP256r1 generator) on pace.bin', () => {
    const r = rt.evaluate(`(function () {
      var blob = require('Storage').read('pace');
      var f = function (i) { return E.nativeCall((16 + 4 * i) | 1, ${SIG}, blob); };
      var ctx = new Uint8Array(772), io = new Uint8Array(64), k = new Uint8Array(32);
      for (var i = 0; i < 16; i++) { k[i] = i; io[i] = i * 17; }
      var a = E.getAddressOf(io, true);
      var r0 = f(0)(E.getAddressOf(ctx, true), E.getAddressOf(k, true), 16, 0);
      var r1 = f(1)(E.getAddressOf(ctx, true), a, a + 16, 0);
      var ec = new Uint8Array(1764), s = new Uint8Array(32), out = new Uint8Array(65);
      ec[0] = 13; s[31] = 1;
      var r2 = f(10)(E.getAddressOf(ec, true), E.getAddressOf(s, true), 0, E.getAddressOf(out, true));
      var hex = function (u) { var t = ''; for (var j = 0; j < u.length; j++) t += (u[j] < 16 ? '0' : '') + u[j].toString(16); return t; };
      return [r0, r1, hex(io.subarray(16, 32)), r2, hex(out.subarray(0, 9))];
    })()`);
    expect(r).toEqual([0, 0, '69c4e0d86a7b0430d8cdb78070b4c55a', 0, '048bd2aeb9cb7e57cb']);
    expect(rt.nativeCalls.counts.aes_ecb).toBe(1);
    expect(rt.nativeCalls.counts.ec_mul).toBe(1);
    expect(rt.nativeCalls.instructions.ec_mul).toBeGreaterThan(1e6);
  });
});
