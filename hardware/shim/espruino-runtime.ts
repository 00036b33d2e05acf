// The Espruino runtime shim: runs a firmware bundle (plain script text, as uploaded to a board)
// in a Node vm context that offers only what Espruino offers, with its I/O wired to simulated
// peers and every callback run as a separate event on an injected Clock.
//
// Event model (as Espruino's idle loop): serial data, pin watches, timers, 'init' each run as one
// clock event, never inside the firmware call that caused them. Blocking bus calls (I2C, SPI,
// digitalPulse) make the device busy for their transfer time: getTime() moves on, and events due
// meanwhile wait until the device is free again. JavaScript itself takes no virtual time.

import { createHash, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import type { Clock, TimerId } from '../sim/clock';
import { boardProfile, type BoardProfile } from './board-profiles';
import type { NativeCalls } from './native-call';
import { nativeCallsFor } from './native-emulator';
import type { I2cPeer, InputLine, SpiPeer, UartPeer } from './peers';
import { withoutHoisting } from './no-hoisting';
import { lockDown } from './strict-context';

const API_SOURCE = readFileSync(new URL('./espruino-api.js', import.meta.url), 'utf8');

/** USB full speed bulk transfers: 64-byte packets; modelled as 1 byte per microsecond each way. */
export const USB_BYTES_PER_MS = 1000;
export const USB_PACKET = 64;

export interface RuntimeError {
  name: string;
  message: string;
  stack: string;
  /** Device time (ms) at which it was thrown. */
  atMs: number;
}

export interface EspruinoRuntimeOptions {
  clock: Clock;
  /** Espruino board id (PICO, ESPRUINO_WIFI): pins, peripherals and crypto of that board. */
  board?: string;
  serial?: Partial<Record<string, UartPeer>>;
  i2c?: Partial<Record<string, I2cPeer>>;
  spi?: Partial<Record<string, { peer: SpiPeer; nss?: string }>>;
  /** Pins driven from outside, by pin name (e.g. the PN532 IRQ on 'A8'). */
  inputs?: Partial<Record<string, InputLine>>;
  /** Called when the firmware changes an output pin's level (RSTPD_N, LEDs, NSS). */
  onPinWrite?: (pin: string, level: number) => void;
  /** 'emulator': Storage file `native` is the blob and E.nativeCall runs its exact bytes on the
   * emulated Cortex-M4 (native-call.ts); default: no blob, the firmware's TypeScript path. */
  native?: 'emulator';
}

interface SerialState {
  setup: boolean;
  baud: number;
  peer?: UartPeer;
}

interface BusState {
  setup: boolean;
  rate: number;
  mode: number;
  order: string;
}

interface Watch {
  pin: string;
  edge: string;
  debounceMs: number;
  lastTime: number;
}

interface ScheduledTimer {
  clockId: TimerId;
  due: number;
  interval: number;
  recur: boolean;
}

type EventArgs = [string, (string | number)?, (string | number)?, (string | number)?, (string | number)?];

export class EspruinoRuntime {
  readonly profile: BoardProfile;
  /** Uncaught errors from any event (the firmware's bugs); tests assert this stays empty. */
  readonly errors: RuntimeError[] = [];
  /** Hardware misuse the board would not report as an exception (wrong baud, unselected SPI). */
  readonly warnings: string[] = [];
  /** Every console.log / print line, wherever the console is. */
  readonly consoleLines: string[] = [];
  /** The USB CDC port as the host PC sees it. */
  readonly usb: { write(bytes: Uint8Array): void; onData(listener: (bytes: Uint8Array) => void): void };
  /** How many times save() was called. */
  saves = 0;
  /** E.nativeCall / E.getAddressOf / require('Storage'): call counts per entry, Storage writes. */
  readonly nativeCalls: NativeCalls;

  private clock: Clock;
  private context: vm.Context;
  /** The idle loop's entry, inside the context: reachable from here only, not a global. */
  private dispatch: (...args: EventArgs) => void;
  /** Evaluated after each event: V8 runs the context's microtasks (promise callbacks) then. */
  private drainScript = new vm.Script('void 0', { filename: 'espruino-idle-loop' });
  private busyUntil = 0;
  private stopped = false;
  private consoleDevice = 'USB';
  private replLine = '';
  private errorFlags = new Set<string>();
  private timers = new Map<number, ScheduledTimer>();
  private nextTimerId = 1;
  private watches = new Map<number, Watch>();
  private nextWatchId = 1;
  private pinLevels = new Map<string, number>();
  private pinModes = new Map<string, string>();
  private serials = new Map<string, SerialState>();
  private i2cBuses = new Map<string, BusState>();
  private spiBuses = new Map<string, BusState>();
  private usbToDeviceFreeAt = 0;
  private usbToHostFreeAt = 0;
  private hostListeners: Array<(bytes: Uint8Array) => void> = [];
  private readonly options: EspruinoRuntimeOptions;

  constructor(options: EspruinoRuntimeOptions) {
    this.options = options;
    this.clock = options.clock;
    this.profile = boardProfile(options.board ?? 'PICO');
    for (const name of this.profile.serial) this.serials.set(name, { setup: name === 'USB' || name.startsWith('Loopback'), baud: 0, peer: options.serial?.[name] });
    for (const [name, peer] of Object.entries(options.serial ?? {})) {
      if (!this.serials.has(name)) throw new Error(`${this.profile.id} has no ${name}`);
      peer!.onData((bytes) => this.uartReceive(name, bytes));
    }
    for (const name of Object.keys(options.i2c ?? {})) if (!this.profile.i2c.includes(name)) throw new Error(`${this.profile.id} has no ${name}`);
    for (const name of Object.keys(options.spi ?? {})) if (!this.profile.spi.includes(name)) throw new Error(`${this.profile.id} has no ${name}`);
    for (const [pin, line] of Object.entries(options.inputs ?? {})) {
      if (!this.profile.pins.includes(pin)) throw new Error(`${this.profile.id} has no pin ${pin}`);
      line!.onChange((level) => this.inputChanged(pin, level));
    }

    this.usb = {
      write: (bytes) => this.hostToDevice(bytes),
      onData: (listener) => {
        this.hostListeners.push(listener);
      },
    };

    this.context = vm.createContext({}, { name: 'espruino', codeGeneration: { strings: true, wasm: false }, microtaskMode: 'afterEvaluate' });
    const install = vm.runInContext(API_SOURCE, this.context, { filename: 'espruino-api.js' }) as (g: unknown, n: unknown) => (...args: EventArgs) => void;
    this.dispatch = install(vm.runInContext('this', this.context), this.native());
    this.nativeCalls = nativeCallsFor(options.native);
    this.nativeCalls.install(this.context);
    lockDown(this.context, this.profile.id);
  }

  // ---------------------------------------------------------------- host-facing API

  /** Device time in ms (the clock, plus time spent blocked in bus transfers). */
  now(): number {
    return Math.max(this.clock.now(), this.busyUntil);
  }

  /** Runs script text as an upload does (top-level code runs at once). An uncaught error is
   * recorded and thrown. */
  load(source: string, filename = 'firmware.js'): void {
    this.evaluate(source, filename);
  }

  /** Evaluates code in the context now (e.g. `Firmware.start({...})`). */
  evaluate(code: string, filename = 'eval.js'): unknown {
    try {
      return vm.runInContext(withoutHoisting(code), this.context, { filename });
    } catch (e) {
      const err = this.recordError(e);
      throw Object.assign(new Error(`uncaught ${err.name} in ${filename}: ${err.message}`), { code: 'uncaught', cause: err });
    }
  }

  /** Power-on after save(): runs the E.on('init') handlers as one event. */
  powerOn(): void {
    this.deliver(['init']);
  }

  /** Stops the device: no further event runs (pending clock events become no-ops). */
  stop(): void {
    this.stopped = true;
    this.nativeCalls.close();
    for (const t of this.timers.values()) this.clock.clearTimeout(t.clockId);
    this.timers.clear();
  }

  /** Level of a pin as the firmware last drove it (or as an input reads). */
  pinLevel(pin: string): number {
    const input = this.options.inputs?.[pin];
    if (input) return input.level();
    return this.pinLevels.get(this.resolvePin(pin)) ?? 0;
  }

  get console(): string {
    return this.consoleDevice;
  }

  /** Number of timers the firmware has pending. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  // ---------------------------------------------------------------- events

  private deliver(args: EventArgs): void {
    if (this.stopped) return;
    const wait = this.busyUntil - this.clock.now();
    if (wait > 0) {
      this.clock.setTimeout(() => this.deliver(args), wait);
      return;
    }
    try {
      this.dispatch(...args);
    } catch (e) {
      this.recordError(e);
    }
    this.drainScript.runInContext(this.context);
  }

  /** Schedules an event as its own clock event (never synchronously). */
  private post(args: EventArgs, delayMs = 0): void {
    this.clock.setTimeout(() => this.deliver(args), delayMs);
  }

  private recordError(e: unknown): RuntimeError {
    const any = e as { name?: unknown; message?: unknown; stack?: unknown } | null;
    const err: RuntimeError = {
      name: any && typeof any.name === 'string' ? any.name : 'Error',
      message: any && typeof any.message === 'string' ? any.message : String(e),
      stack: any && typeof any.stack === 'string' ? any.stack : '',
      atMs: this.now(),
    };
    this.errors.push(err);
    this.writeConsole(`Uncaught ${err.name}: ${err.message}`);
    return err;
  }

  private busy(ms: number): void {
    if (ms > 0) this.busyUntil = this.now() + ms;
  }

  private warn(text: string): void {
    this.warnings.push(`${this.now().toFixed(3)} ms: ${text}`);
  }

  private flag(name: string): void {
    this.errorFlags.add(name);
  }

  // ---------------------------------------------------------------- console and USB

  private writeConsole(text: string): void {
    this.consoleLines.push(text);
    this.deviceWrite(this.consoleDevice, text + '\r\n');
  }

  private deviceWrite(device: string, text: string): void {
    if (device === 'null') return;
    const bytes = latin1(text);
    if (device === 'USB') this.deviceToHost(bytes);
    else if (device === 'LoopbackA') this.post(['data', 'LoopbackB', text]);
    else if (device === 'LoopbackB') this.post(['data', 'LoopbackA', text]);
    else this.serialOut(device, bytes);
  }

  private deviceToHost(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i += USB_PACKET) {
      const packet = bytes.slice(i, i + USB_PACKET);
      const start = Math.max(this.clock.now(), this.now(), this.usbToHostFreeAt);
      this.usbToHostFreeAt = start + packet.length / USB_BYTES_PER_MS;
      this.clock.setTimeout(() => {
        for (const l of this.hostListeners) l(packet);
      }, this.usbToHostFreeAt - this.clock.now());
    }
  }

  private hostToDevice(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i += USB_PACKET) {
      const packet = bytes.slice(i, i + USB_PACKET);
      const start = Math.max(this.clock.now(), this.usbToDeviceFreeAt);
      this.usbToDeviceFreeAt = start + packet.length / USB_BYTES_PER_MS;
      this.clock.setTimeout(() => this.deviceReceive('USB', packet), this.usbToDeviceFreeAt - this.clock.now());
    }
  }

  /** Bytes arriving at a device input: to the REPL if it is the console, else a 'data' event. */
  private deviceReceive(device: string, bytes: Uint8Array): void {
    if (this.stopped) return;
    if (device === this.consoleDevice) {
      this.repl(bytes);
      return;
    }
    this.deliver(['data', device, String.fromCharCode(...bytes)]);
  }

  /** A small Espruino REPL: echo, one line evaluated per Enter, `=value` and a `>` prompt. */
  private repl(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (b === 13 || b === 10) {
        const line = this.replLine;
        this.replLine = '';
        this.deviceWrite(this.consoleDevice, '\r\n');
        if (line.trim()) this.deliver(['eval', line]);
        else this.deviceWrite(this.consoleDevice, '>');
      } else if (b === 8 || b === 127) {
        this.replLine = this.replLine.slice(0, -1);
      } else if (b >= 32) {
        this.replLine += String.fromCharCode(b);
        this.deviceWrite(this.consoleDevice, String.fromCharCode(b));
      }
    }
  }

  // ---------------------------------------------------------------- serial

  private uartReceive(name: string, bytes: Uint8Array): void {
    const s = this.serials.get(name)!;
    if (!s.setup) {
      this.warn(`${name} received ${bytes.length} bytes before ${name}.setup(): lost`);
      return;
    }
    if (s.peer?.baud !== undefined && s.peer.baud !== s.baud) {
      this.warn(`${name} at ${s.baud} baud received ${bytes.length} bytes sent at ${s.peer.baud} baud: garbage, dropped`);
      this.flag('UART_OVERFLOW');
      return;
    }
    // The peer calls us when the bytes have arrived; the 'data' event is still its own event.
    const copy = bytes.slice();
    this.clock.setTimeout(() => this.deviceReceive(name, copy), 0);
  }

  private serialOut(name: string, bytes: Uint8Array): void {
    const s = this.serials.get(name);
    if (!s) return;
    if (!s.setup) {
      this.warn(`${name}.write before ${name}.setup(): ${bytes.length} bytes not sent`);
      return;
    }
    if (!s.peer) return; // nothing on these pins
    if (s.peer.baud !== undefined && s.peer.baud !== s.baud) {
      this.warn(`${name} at ${s.baud} baud sent ${bytes.length} bytes to a peer at ${s.peer.baud} baud: garbage, dropped`);
      return;
    }
    s.peer.write(bytes);
  }

  private checkPin(fn: string, given: string): string {
    const pin = given || this.profile.defaults[fn];
    const ok = this.profile.capable[fn];
    if (!pin || !ok) return `${fn} not available on ${this.profile.id}`;
    if (!ok.includes(pin)) {
      const [dev, role] = fn.split('.');
      return `Pin ${pin} is not capable of ${dev} ${role.toUpperCase()}\nSuitable pins are: ${ok.join(', ')}`;
    }
    return '';
  }

  // ---------------------------------------------------------------- pins and watches

  private resolvePin(name: string): string {
    return this.profile.aliases[name] ?? name;
  }

  private setPin(pin: string, level: number): void {
    const before = this.pinLevels.get(pin);
    this.pinLevels.set(pin, level);
    if (before === level) return;
    for (const [bus, wiring] of Object.entries(this.options.spi ?? {})) {
      if (wiring?.nss === pin && this.spiBuses.get(bus)?.setup) wiring.peer.select?.(level === 0);
    }
    this.options.onPinWrite?.(pin, level);
  }

  private inputChanged(pin: string, level: number): void {
    const at = this.clock.now();
    for (const [id, w] of this.watches) {
      if (w.pin !== pin) continue;
      if ((w.edge === 'rising' && level !== 1) || (w.edge === 'falling' && level !== 0)) continue;
      const fire = () => {
        if (!this.watches.has(id)) return;
        if (w.debounceMs > 0 && this.options.inputs![pin]!.level() !== level) return;
        const last = w.lastTime;
        w.lastTime = at / 1000;
        this.deliver(['watch', id, level, at / 1000, last]);
      };
      this.clock.setTimeout(fire, w.debounceMs);
    }
  }

  // ---------------------------------------------------------------- the bridge

  /** The functions espruino-api.js calls. Primitives in, primitives out. */
  private native(): Record<string, (...args: never[]) => unknown> {
    const p = this.profile;
    return {
      pinNames: () => p.pins.join(','),
      pinAlias: (name: string) => p.aliases[name] ?? '',
      serialNames: () => p.serial.join(','),
      i2cNames: () => p.i2c.join(','),
      spiNames: () => p.spi.join(','),
      hashNames: () => p.hashes.join(','),
      now: () => this.now(),
      busy: (ms: number) => this.busy(ms),
      uncaught: (name: string, message: string, stack: string) => {
        this.recordError({ name, message, stack });
      },
      log: (text: string) => this.writeConsole(text),
      replResult: (text: string) => this.deviceWrite(this.consoleDevice, '=' + text + '\r\n>'),
      takeErrorFlags: () => {
        const f = [...this.errorFlags].join(',');
        this.errorFlags.clear();
        return f;
      },
      setConsole: (device: string) => {
        this.consoleDevice = device;
      },
      getConsole: () => this.consoleDevice,
      hwRand: () => randomInt(0, 0x100000000) | 0,
      save: () => {
        this.saves++;
      },
      reset: () => {
        this.consoleDevice = 'USB';
      },
      load: () => this.warn('load() is not modelled by the shim'),
      hash: (name: string, data: string) => {
        if (!p.hashes.includes(name)) return '';
        return createHash(name.toLowerCase()).update(latin1(data)).digest('hex');
      },

      timerAdd: (ms: number, recur: number) => {
        const id = this.nextTimerId++;
        const interval = Math.max(ms, 0);
        this.scheduleTimer(id, this.now() + interval, interval, recur === 1);
        return id;
      },
      timerClear: (id: number) => {
        const t = this.timers.get(id);
        if (t) this.clock.clearTimeout(t.clockId);
        this.timers.delete(id);
      },
      timerChange: (id: number, ms: number) => {
        const t = this.timers.get(id);
        if (t) t.interval = Math.max(ms, 0);
      },

      digitalWrite: (pin: string, value: number) => {
        if (this.options.inputs?.[pin]) this.warn(`digitalWrite on ${pin}, which is driven by the peer`);
        this.pinModes.set(pin, 'output');
        this.setPin(pin, value);
      },
      digitalRead: (pin: string) => {
        const input = this.options.inputs?.[pin];
        if (input) return input.level() ? 1 : 0;
        return this.pinLevels.get(pin) ?? 0;
      },
      pinMode: (pin: string, mode: string) => {
        if (mode) this.pinModes.set(pin, mode);
        return this.pinModes.get(pin) ?? 'input';
      },
      watchAdd: (pin: string, edge: string, debounceMs: number) => {
        const id = this.nextWatchId++;
        this.watches.set(id, { pin, edge, debounceMs, lastTime: this.now() / 1000 });
        return id;
      },
      watchClear: (id: number) => {
        this.watches.delete(id);
      },

      serialSetup: (name: string, baud: number, tx: string, rx: string, bytesize: number, parity: string, stopbits: number) => {
        const s = this.serials.get(name);
        if (!s) return `${name} not available`;
        if (name !== 'USB' && !name.startsWith('Loopback')) {
          const e = this.checkPin(name + '.tx', tx) || this.checkPin(name + '.rx', rx);
          if (e) return e;
          if (bytesize !== 8 || parity !== 'none' || stopbits !== 1) this.warn(`${name} set up as ${bytesize}${parity[0]}${stopbits}: the PN532 HSU is 8N1`);
        }
        s.setup = true;
        s.baud = baud;
        return '';
      },
      serialWrite: (name: string, data: string) => this.deviceWrite(name, data),
      inject: (name: string, data: string) => this.post(['data', name, data]),

      i2cSetup: (name: string, scl: string, sda: string, bitrate: number) => {
        const e = this.checkPin(name + '.scl', scl) || this.checkPin(name + '.sda', sda);
        if (e) return e;
        this.i2cBuses.set(name, { setup: true, rate: bitrate, mode: 0, order: 'msb' });
        return '';
      },
      i2cWrite: (name: string, address: number, data: string) => {
        const bus = this.i2cBuses.get(name);
        if (!bus) return `${name} is not set up: call ${name}.setup()`;
        const peer = this.options.i2c?.[name];
        this.busy(((data.length + 1) * 9 * 1000) / bus.rate);
        if (!peer || peer.address !== address) return `I2C Error: no ACK from address 0x${address.toString(16)}`;
        peer.write(latin1(data));
        return '';
      },
      i2cRead: (name: string, address: number, length: number) => {
        const bus = this.i2cBuses.get(name);
        if (!bus) return `E${name} is not set up: call ${name}.setup()`;
        const peer = this.options.i2c?.[name];
        this.busy(((length + 1) * 9 * 1000) / bus.rate);
        if (!peer || peer.address !== address) return `EI2C Error: no ACK from address 0x${address.toString(16)}`;
        const got = peer.read(length);
        return 'D' + String.fromCharCode(...got.subarray(0, length));
      },

      spiSetup: (name: string, sck: string, miso: string, mosi: string, baud: number, mode: number, order: string, bits: number) => {
        const e = this.checkPin(name + '.sck', sck) || this.checkPin(name + '.miso', miso) || this.checkPin(name + '.mosi', mosi);
        if (e) return e;
        if (bits !== 8) return `${name}: only 8-bit SPI is modelled`;
        if (order !== 'msb' && order !== 'lsb') return `${name}: order must be 'msb' or 'lsb'`;
        this.spiBuses.set(name, { setup: true, rate: baud, mode, order });
        return '';
      },
      spiSend: (name: string, data: string, nss: string) => this.spiSend(name, data, nss),
    };
  }

  private scheduleTimer(id: number, due: number, interval: number, recur: boolean): void {
    const clockId = this.clock.setTimeout(() => {
      const t = this.timers.get(id);
      if (!t) return;
      if (t.recur) this.scheduleTimer(id, t.due + Math.max(t.interval, 0.001), t.interval, true);
      else this.timers.delete(id);
      this.deliver(['timer', id]);
    }, Math.max(0, due - this.clock.now()));
    this.timers.set(id, { clockId, due, interval, recur });
  }

  private spiSend(name: string, data: string, nss: string): string {
    const bus = this.spiBuses.get(name);
    if (!bus) return `E${name} is not set up: call ${name}.setup()`;
    const wiring = this.options.spi?.[name];
    const mosi = latin1(data);
    this.busy((mosi.length * 8 * 1000) / bus.rate);
    if (!wiring) return 'D' + '\xff'.repeat(mosi.length);
    if (nss) this.setPin(nss, 0);
    const selected = (this.pinLevels.get(wiring.nss ?? '') ?? 1) === 0 || (!!nss && nss === wiring.nss) || !wiring.nss;
    let miso: Uint8Array;
    if (!selected) {
      this.warn(`${name}.send with the device's NSS (${wiring.nss}) high: not selected, MISO floats`);
      miso = new Uint8Array(mosi.length).fill(0xff);
    } else {
      const wantOrder = wiring.peer.order ?? 'msb';
      const wantMode = wiring.peer.mode ?? 0;
      let out = bus.order === wantOrder ? mosi : mosi.map(reverseBits);
      if (bus.mode !== wantMode) {
        this.warn(`${name} in mode ${bus.mode}, the device samples in mode ${wantMode}: bits slip`);
        out = out.map((b) => (b >> 1) | 0x80);
      }
      if (nss && wiring.peer.select) {
        // select() was already called by setPin(nss, 0) when nss is the wired NSS.
      }
      miso = wiring.peer.transfer(out);
      if (bus.mode !== wantMode) miso = miso.map((b) => (b << 1) & 0xff);
      if (bus.order !== wantOrder) miso = miso.map(reverseBits);
    }
    if (nss) this.setPin(nss, 1);
    return 'D' + String.fromCharCode(...miso.subarray(0, mosi.length));
  }
}

export function reverseBits(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
}

function latin1(s: string): Uint8Array {
  const u = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 0xff;
  return u;
}

export function createEspruinoRuntime(options: EspruinoRuntimeOptions): EspruinoRuntime {
  return new EspruinoRuntime(options);
}
