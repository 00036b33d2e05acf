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
import type { Clock } from '../sim/clock';
import { boardProfile, type BoardProfile } from './board-profiles';
import { DeviceBuses } from './buses';
import { latin1, type DeviceCore, type EventArgs, type Natives } from './device-core';
import type { NativeCalls } from './native-call';
import { nativeCallsFor } from './native-emulator';
import { withoutHoisting } from './no-hoisting';
import type { I2cPeer, InputLine, SpiPeer, UartPeer } from './peers';
import { DevicePins } from './pins';
import { lockDown } from './strict-context';
import { DeviceTimers } from './timers';
import { UsbConsole } from './usb-console';

// The parts (moved out of this file): timers.ts (setTimeout & co), pins.ts (levels, modes,
// setWatch), buses.ts (Serial, I2C, SPI), usb-console.ts (USB link, console, REPL),
// strict-context.ts (what the bundle sees, from the member table), no-hoisting.ts.
export { reverseBits } from './buses';
export { USB_BYTES_PER_MS, USB_PACKET } from './usb-console';

const API_SOURCE = readFileSync(new URL('./espruino-api.js', import.meta.url), 'utf8');

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

export class EspruinoRuntime implements DeviceCore {
  readonly profile: BoardProfile;
  /** Uncaught errors from any event (the firmware's bugs); tests assert this stays empty. */
  readonly errors: RuntimeError[] = [];
  /** Hardware misuse the board would not report as an exception (wrong baud, unselected SPI). */
  readonly warnings: string[] = [];
  /** Every console.log / print line, wherever the console is. */
  readonly consoleLines: string[];
  /** The USB CDC port as the host PC sees it. */
  readonly usb: { write(bytes: Uint8Array): void; onData(listener: (bytes: Uint8Array) => void): void };
  /** How many times save() was called. */
  saves = 0;
  /** E.nativeCall / E.getAddressOf / require('Storage'): call counts per entry, Storage writes. */
  readonly nativeCalls: NativeCalls;
  readonly clock: Clock;
  readonly options: EspruinoRuntimeOptions;
  stopped = false;

  private context: vm.Context;
  /** The idle loop's entry, inside the context: reachable from here only, not a global. */
  private dispatch: (...args: EventArgs) => void;
  /** Evaluated after each event: V8 runs the context's microtasks (promise callbacks) then. */
  private drainScript = new vm.Script('void 0', { filename: 'espruino-idle-loop' });
  private busyUntil = 0;
  private errorFlags = new Set<string>();
  private timers: DeviceTimers;
  private pins: DevicePins;
  private buses: DeviceBuses;
  private console_: UsbConsole;

  constructor(options: EspruinoRuntimeOptions) {
    this.options = options;
    this.clock = options.clock;
    this.profile = boardProfile(options.board ?? 'PICO');
    this.buses = new DeviceBuses(this, () => this.pins);
    this.pins = new DevicePins(this, (pin, level) => this.buses.pinChanged(pin, level));
    this.timers = new DeviceTimers(this);
    this.console_ = new UsbConsole(this, (device, bytes) => this.buses.serialOut(device, bytes));
    this.buses.receive = (device, bytes) => this.console_.receive(device, bytes);
    this.consoleLines = this.console_.lines;
    this.usb = this.console_.usb;

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
    this.timers.stopAll();
  }

  /** Level of a pin as the firmware last drove it (or as an input reads). */
  pinLevel(pin: string): number {
    return this.pins.level(pin);
  }

  get console(): string {
    return this.console_.device;
  }

  /** Number of pin watches the firmware has. */
  get pendingWatches(): number {
    return this.pins.watchCount;
  }

  /** Number of timers the firmware has pending. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  // ---------------------------------------------------------------- events (DeviceCore)

  deliver(args: EventArgs): void {
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

  post(args: EventArgs, delayMs = 0): void {
    this.clock.setTimeout(() => this.deliver(args), delayMs);
  }

  busy(ms: number): void {
    if (ms > 0) this.busyUntil = this.now() + ms;
  }

  warn(text: string): void {
    this.warnings.push(`${this.now().toFixed(3)} ms: ${text}`);
  }

  flag(name: string): void {
    this.errorFlags.add(name);
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
    this.console_.writeLine(`Uncaught ${err.name}: ${err.message}`);
    return err;
  }

  // ---------------------------------------------------------------- the bridge

  /** The functions espruino-api.js calls: the board, the device core, and each part's. */
  private native(): Natives {
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
      takeErrorFlags: () => {
        const f = [...this.errorFlags].join(',');
        this.errorFlags.clear();
        return f;
      },
      hwRand: () => randomInt(0, 0x100000000) | 0,
      save: () => {
        this.saves++;
      },
      reset: () => {
        this.console_.device = 'USB';
      },
      load: () => this.warn('load() is not modelled by the shim'),
      hash: (name: string, data: string) => {
        if (!p.hashes.includes(name)) return '';
        return createHash(name.toLowerCase()).update(latin1(data)).digest('hex');
      },
      ...this.console_.natives(),
      ...this.timers.natives(),
      ...this.pins.natives(),
      ...this.buses.natives(),
    };
  }
}

export function createEspruinoRuntime(options: EspruinoRuntimeOptions): EspruinoRuntime {
  return new EspruinoRuntime(options);
}
