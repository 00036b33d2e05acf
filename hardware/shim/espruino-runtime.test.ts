import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../sim/clock';
import { EspruinoRuntime, reverseBits } from './espruino-runtime';
import type { UartPeer } from './peers';
import { FakePn532 } from './test-pn532-fake';

// Espruino programs written the way the firmware talks to a PN532 (plain ES5, Espruino API).
const PRELUDE = `
function frame(pd) {
  var len = pd.length + 1, sum = 0xd4, out = [0, 0, 0xff, len, (0x100 - len) & 255, 0xd4];
  for (var i = 0; i < pd.length; i++) { out.push(pd[i]); sum += pd[i]; }
  out.push((0x100 - (sum & 255)) & 255, 0);
  return out;
}
function findResponse(buf, code) {
  for (var i = 0; i + 5 < buf.length; i++) {
    if (buf[i] === 0 && buf[i + 1] === 0xff && buf[i + 2] !== 0 && buf[i + 4] === 0xd5 && buf[i + 5] === code) {
      var len = buf[i + 2];
      if (buf.length < i + 4 + len + 1) return null;
      return buf.slice(i + 6, i + 4 + len);
    }
  }
  return null;
}
function report(v) { USB.write('FW ' + v.join(',') + '\\n'); }
function zeros(n) { var a = []; for (var i = 0; i < n; i++) a.push(0); return a; }
LoopbackA.setConsole();
`;

const HSU_PROGRAM = PRELUDE + `
var rx = [], step = 0;
Serial1.setup(BAUD, { tx: B6, rx: B7 });
Serial1.on('data', function (d) {
  if (typeof d !== 'string') throw new Error('data must be a string');
  for (var i = 0; i < d.length; i++) rx.push(d.charCodeAt(i));
  if (step === 0 && findResponse(rx, 0x15)) { step = 1; rx = []; Serial1.write(frame([0x02])); }
  else if (step === 1) { var v = findResponse(rx, 0x03); if (v) { step = 2; report(v); } }
});
Serial1.write([0x55, 0x55].concat(zeros(14), frame([0x14, 0x01])));
`;

const I2C_PROGRAM = PRELUDE + `
I2C1.setup({ scl: B8, sda: B9, bitrate: 400000 });
function exchange(pd, code, done) {
  I2C1.writeTo(0x24, frame(pd));
  var acked = false;
  function poll() {
    var r = I2C1.readFrom(0x24, 40);
    if (!(r instanceof Uint8Array)) throw new Error('readFrom must give a Uint8Array');
    if (!(r[0] & 1)) return setTimeout(poll, 1);
    if (!acked) { acked = true; return setTimeout(poll, 1); }
    var bytes = [];
    for (var i = 1; i < r.length; i++) bytes.push(r[i]);
    done(findResponse(bytes, code));
  }
  setTimeout(poll, 1);
}
exchange([0x14, 0x01], 0x15, function () { exchange([0x02], 0x03, report); });
`;

const SPI_PROGRAM = PRELUDE + `
SPI1.setup({ sck: A5, miso: A6, mosi: A7, baud: 1000000, mode: 0, order: ORDER });
digitalWrite(A4, 1);
function exchange(pd, code, done) {
  var acked = false;
  var id = setWatch(function (e) {
    if (typeof e.time !== 'number' || e.state !== false) throw new Error('bad watch event');
    var r = SPI1.send([0x03].concat(zeros(40)), A4);
    if (!acked) { acked = true; return; }
    clearWatch(id);
    var bytes = [];
    for (var i = 1; i < r.length; i++) bytes.push(r[i]);
    done(findResponse(bytes, code));
  }, A8, { repeat: true, edge: 'falling' });
  SPI1.send([0x01].concat(frame(pd)), A4);
}
exchange([0x14, 0x01], 0x15, function () { exchange([0x02], 0x03, report); });
`;

function rig(board = 'PICO') {
  const clock = new VirtualClock();
  const pn532 = new FakePn532(clock);
  const pins: Array<[string, number]> = [];
  const runtime = new EspruinoRuntime({
    clock,
    board,
    serial: { Serial1: pn532.hsu },
    i2c: { I2C1: pn532.i2c },
    spi: { SPI1: { peer: pn532.spi, nss: 'A4' } },
    inputs: { A8: pn532.irq },
    onPinWrite: (pin, level) => pins.push([pin, level]),
  });
  let text = '';
  runtime.usb.onData((b) => {
    text += String.fromCharCode(...b);
  });
  return { clock, pn532, runtime, pins, host: () => text };
}

describe('runtime shim runs Espruino programs against a PN532 on each bus', () => {
  it('HSU: Serial1 at 115200 reads the firmware version, data arrives as strings', () => {
    const r = rig();
    r.runtime.load(HSU_PROGRAM.replace('BAUD', '115200'));
    r.clock.runUntil(() => r.host().includes('\n'), 1000);
    expect(r.host()).toBe('FW 50,1,6,7\n');
    expect(r.pn532.commands).toEqual([0x14, 0x02]);
    expect(r.runtime.errors).toEqual([]);
  });

  it('HSU at the wrong baud hears nothing and says why', () => {
    const r = rig();
    r.runtime.load(HSU_PROGRAM.replace('BAUD', '9600'));
    r.clock.advance(1000);
    expect(r.host()).toBe('');
    expect(r.pn532.commands).toEqual([]);
    expect(r.runtime.warnings.join('\n')).toMatch(/9600 baud .*115200 baud/);
  });

  it('I2C: writeTo / readFrom with the ready status byte; readFrom blocks the device for its transfer time', () => {
    const r = rig();
    r.runtime.load(I2C_PROGRAM);
    r.clock.runUntil(() => r.host().includes('\n'), 1000);
    expect(r.host()).toBe('FW 50,1,6,7\n');
    expect(r.runtime.errors).toEqual([]);
    r.runtime.evaluate('var t0 = getTime(); I2C1.readFrom(0x24, 99); var dt = (getTime() - t0) * 1000;');
    // 100 bytes of 9 bits at 400 kbit/s: 2.25 ms of modelled bus time.
    expect(r.runtime.evaluate('dt')).toBeCloseTo(2.25, 6);
  });

  it('I2C to an address nobody answers throws on the board', () => {
    const r = rig();
    r.runtime.load('I2C1.setup({scl:B8, sda:B9}); setTimeout(function(){ I2C1.writeTo(0x30, [1]); }, 1);');
    r.clock.advance(10);
    expect(r.runtime.errors.map((e) => e.message)).toEqual(['I2C Error: no ACK from address 0x30']);
  });

  it('SPI LSB first with NSS and an IRQ watch reads the firmware version', () => {
    const r = rig();
    r.runtime.load(SPI_PROGRAM.replace('ORDER', "'lsb'"));
    r.clock.runUntil(() => r.host().includes('\n'), 1000);
    expect(r.host()).toBe('FW 50,1,6,7\n');
    expect(r.runtime.errors).toEqual([]);
    // NSS went low and high around every send.
    const nss = r.pins.filter(([p]) => p === 'A4').map(([, l]) => l);
    expect(nss.slice(0, 3)).toEqual([1, 0, 1]);
  });

  it('SPI left MSB first (Espruino default) garbles every byte for the PN532', () => {
    const r = rig();
    r.runtime.load(SPI_PROGRAM.replace('ORDER', "'msb'"));
    r.clock.advance(1000);
    expect(r.host()).toBe('');
    expect(r.pn532.commands).toEqual([]);
    expect(reverseBits(0x01)).toBe(0x80);
  });

  it('setup with pins the peripheral cannot use throws as Espruino does', () => {
    const r = rig();
    expect(() => r.runtime.load('Serial1.setup(115200, { tx: A2, rx: A3 });')).toThrow(/A2 is not capable of Serial1 TX/);
    expect(() => r.runtime.load('I2C1.setup({ scl: B10, sda: B9 });')).toThrow(/B10 is not capable of I2C1 SCL/);
  });
});

describe('event model', () => {
  it('serial data is never delivered inside the write that caused it', () => {
    const clock = new VirtualClock();
    const listeners: Array<(b: Uint8Array) => void> = [];
    const echo: UartPeer = { write: (b) => listeners.forEach((l) => l(b)), onData: (l) => listeners.push(l) };
    const runtime = new EspruinoRuntime({ clock, serial: { Serial1: echo } });
    runtime.load(`var inWrite = false, seen = [];
      Serial1.setup(115200); Serial1.on('data', function (d) { seen.push(inWrite + ':' + d); });
      inWrite = true; Serial1.write('ab'); inWrite = false;`);
    expect(runtime.evaluate('seen.length')).toBe(0);
    clock.advance(1);
    expect(runtime.evaluate('seen.join()')).toBe('false:ab');
  });

  it('timers run in due order on the clock; getTime is in seconds; setInterval repeats', () => {
    const clock = new VirtualClock();
    const runtime = new EspruinoRuntime({ clock });
    runtime.load(`var log = [];
      setTimeout(function () { log.push('b@' + getTime()); }, 20);
      setTimeout(function (x) { log.push(x + '@' + getTime()); }, 10, 'a');
      var n = 0, iv = setInterval(function () { if (++n === 3) { clearInterval(iv); log.push('i3@' + getTime()); } }, 5);`);
    clock.advance(100);
    expect(runtime.evaluate('log.join()')).toBe('a@0.01,i3@0.015,b@0.02');
    expect(runtime.pendingTimers).toBe(0);
  });

  it('clearTimeout of an id that already ran throws Unknown Timeout (a real Espruino bug source)', () => {
    const clock = new VirtualClock();
    const runtime = new EspruinoRuntime({ clock });
    runtime.load('var id = setTimeout(function () {}, 1); setTimeout(function () { clearTimeout(id); }, 5);');
    clock.advance(10);
    expect(runtime.errors.map((e) => e.message)).toEqual(['Unknown Timeout']);
  });

  it('Promise callbacks run within virtual time, after their event', () => {
    const clock = new VirtualClock();
    const runtime = new EspruinoRuntime({ clock });
    runtime.load("LoopbackA.setConsole(); setTimeout(function () { Promise.resolve(7).then(function (v) { USB.write('p' + v); }); }, 5);");
    let got = '';
    runtime.usb.onData((b) => (got += String.fromCharCode(...b)));
    clock.advance(10);
    expect(got).toBe('p7');
  });

  it('an uncaught error in a callback is recorded, printed on the console, and the device goes on', () => {
    const clock = new VirtualClock();
    const runtime = new EspruinoRuntime({ clock });
    runtime.load("LoopbackA.setConsole(); setTimeout(function () { null.x; }, 1); setTimeout(function () { USB.write('alive'); }, 2);");
    let got = '';
    runtime.usb.onData((b) => (got += String.fromCharCode(...b)));
    clock.advance(10);
    expect(runtime.errors).toHaveLength(1);
    expect(runtime.errors[0].name).toBe('TypeError');
    expect(runtime.consoleLines[0]).toMatch(/^Uncaught TypeError/);
    expect(got).toBe('alive');
  });

  it('values handed to the firmware belong to its realm', () => {
    const clock = new VirtualClock();
    const runtime = new EspruinoRuntime({ clock });
    expect(runtime.evaluate("E.toUint8Array('ab', [3], 4) instanceof Uint8Array")).toBe(true);
    expect(runtime.evaluate("E.toUint8Array('ab', [3], {data: 5, count: 2}).join()")).toBe('97,98,3,5,5');
    expect(runtime.evaluate("E.toString([104, 105], new Uint8Array([33]))")).toBe('hi!');
    expect(runtime.evaluate("require('crypto').SHA1('abc') instanceof ArrayBuffer")).toBe(true);
    expect(runtime.evaluate("E.toUint8Array(require('crypto').SHA256('abc'))[0]")).toBe(0xba);
  });
});

describe('console and USB', () => {
  it('console output goes to USB until the console is moved; host bytes reach USB.on("data") only then', () => {
    const clock = new VirtualClock();
    const runtime = new EspruinoRuntime({ clock });
    let got = '';
    runtime.usb.onData((b) => (got += String.fromCharCode(...b)));
    runtime.load("console.log('before'); LoopbackA.setConsole(); console.log('after'); USB.on('data', function (d) { USB.write('<' + d + '>'); });");
    runtime.usb.write(Uint8Array.of(0x00, 0xff, 0x41));
    clock.advance(5);
    expect(got).toBe('before\r\n<\x00\xffA>');
    expect(runtime.consoleLines).toEqual(['before', 'after']);
  });

  it('USB.setConsole() gives the REPL back: the host can type JavaScript', () => {
    const clock = new VirtualClock();
    const runtime = new EspruinoRuntime({ clock });
    let got = '';
    runtime.usb.onData((b) => (got += String.fromCharCode(...b)));
    runtime.load("LoopbackA.setConsole(); USB.on('data', function () { USB.setConsole(true); });");
    runtime.usb.write(Uint8Array.of(1));
    clock.advance(1);
    runtime.usb.write(new TextEncoder().encode('1+2\r'));
    clock.advance(5);
    expect(runtime.console).toBe('USB');
    expect(got).toContain('=3\r\n>');
  });
});

// globalThis, DataView, eval, Object.fromEntries, replaceAll and padEnd were here: Espruino has
// them (the generated member table); strict-context.test.ts checks them present.
describe('strict: what Espruino lacks is missing', () => {
  const missing: Record<string, string> = {
    Map: 'new Map()',
    Set: 'new Set()',
    WeakMap: 'new WeakMap()',
    WeakSet: 'new WeakSet()',
    WeakRef: 'new WeakRef({})',
    FinalizationRegistry: 'new FinalizationRegistry(function () {})',
    Symbol: "Symbol('x')",
    BigInt: 'BigInt(1)',
    Proxy: 'new Proxy({}, {})',
    Reflect: 'Reflect.ownKeys({})',
    SharedArrayBuffer: 'new SharedArrayBuffer(1)',
    Atomics: 'Atomics.add',
    TextEncoder: 'new TextEncoder()',
    TextDecoder: 'new TextDecoder()',
    queueMicrotask: 'queueMicrotask(function () {})',
    structuredClone: 'structuredClone({})',
    Buffer: "Buffer.from('x')",
    process: 'process.exit()',
    'require of a Node module': "require('fs')",
    Intl: 'Intl.DateTimeFormat',
    'Number.isNaN': 'Number.isNaN(1)',
    'Number.isInteger': 'Number.isInteger(1)',
    'Math.trunc': 'Math.trunc(1.5)',
    'Array.from': 'Array.from([1])',
    'Promise.allSettled': 'Promise.allSettled([])',
    'Array.prototype.lastIndexOf': '[1].lastIndexOf(1)',
    'Array.prototype.flat': '[[1]].flat()',
    'Array.prototype.flatMap': '[1].flatMap(function (x) { return [x]; })',
    'Array.prototype.at': '[1].at(0)',
    'Uint8Array.prototype.at': 'new Uint8Array(1).at(0)',
    'Promise.prototype.finally': 'Promise.resolve().finally(function () {})',
  };
  for (const [name, code] of Object.entries(missing)) {
    it(`${name} fails`, () => {
      const clock = new VirtualClock();
      const runtime = new EspruinoRuntime({ clock });
      runtime.load(`setTimeout(function () { ${code}; }, 1);`);
      clock.advance(5);
      expect(runtime.errors.map((e) => e.name)).toEqual([expect.stringMatching(/^(ReferenceError|TypeError|Error)$/)]);
    });
  }

  it('what Espruino has still works (typed arrays, JSON, classes, closures, padStart, includes, Object.assign)', () => {
    const clock = new VirtualClock();
    const runtime = new EspruinoRuntime({ clock });
    runtime.load(`var out;
      setTimeout(function () {
        class A { constructor(x) { this.x = x; } get double() { return this.x * 2; } }
        var u = new Uint8Array([1, 2, 3]).subarray(1);
        out = [new A(4).double, JSON.stringify({ a: u.length }), '7'.padStart(3, '0'), [1, 2].includes(2),
          Object.assign({}, { k: 1 }).k, isNaN(NaN), parseInt('ff', 16), btoa('hi'), atob('aGk=')].join('|');
      }, 1);`);
    clock.advance(5);
    expect(runtime.errors).toEqual([]);
    expect(runtime.evaluate('out')).toBe('8|{"a":2}|007|true|1|true|255|aGk=|hi');
  });
});
