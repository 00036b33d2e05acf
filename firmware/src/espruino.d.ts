// The slice of the Espruino API the firmware uses. Declared by hand so that the firmware
// typechecks without Node or DOM types; the runtime shim in hardware/shim offers the same set.

interface EspruinoSerial {
  setup(baud: number, options?: { rx?: EspruinoPin; tx?: EspruinoPin; bytesize?: number; parity?: null | 'none'; stopbits?: number }): void;
  write(data: string | Uint8Array | number[]): void;
  on(event: 'data', listener: (data: string) => void): void;
  removeAllListeners(event?: string): void;
  setConsole(force?: boolean): void;
}

interface EspruinoI2C {
  setup(options: { scl?: EspruinoPin; sda?: EspruinoPin; bitrate?: number }): void;
  writeTo(address: number, data: Uint8Array | number[] | number): void;
  readFrom(address: number, quantity: number): Uint8Array;
}

interface EspruinoSPI {
  setup(options: { sck?: EspruinoPin; miso?: EspruinoPin; mosi?: EspruinoPin; baud?: number; mode?: number; order?: 'msb' | 'lsb' }): void;
  send(data: Uint8Array | number[] | string, nss_pin?: EspruinoPin): Uint8Array | string;
}

type EspruinoPin = { readonly __pin: unique symbol } | number;

interface EspruinoE {
  toString(data: Uint8Array): string;
  toUint8Array(data: string): Uint8Array;
  getErrorFlags(): string[];
  on(event: 'init' | 'kill', listener: () => void): void;
  setConsole?(device: unknown): void;
  /** A 32-bit integer from the hardware random number generator. */
  hwRand(): number;
  /** Address of a variable; with `true`, of a flat string's or typed array's data (0 when not flat). */
  getAddressOf(v: unknown, flatAddress: boolean): number;
  /** A function calling the code at `data`'s address + offset (bit 0 set: Thumb). */
  nativeCall(offset: number, signature: string, data: string): (...args: number[]) => number;
}

interface EspruinoStorage {
  /** A file's contents (on the board, a string mapped from flash), or undefined. */
  read(name: string, offset?: number, length?: number): string | undefined;
  write(name: string, data: string, offset?: number, size?: number): boolean;
  list(): string[];
}

/** `require('Storage')` / `require('crypto')`, defined by the bundle's banner
 * (firmware/tools/bundler.ts): esbuild would wrap a bare `require` in a Proxy shim. */
declare function espruinoModule(name: 'Storage'): EspruinoStorage;
declare function espruinoModule(name: 'crypto'): { [algorithm: string]: ((data: Uint8Array) => ArrayBuffer) | undefined };

/** True in the per-board device bundles (esbuild define): the TypeScript crypto is left out and
 * the native blob is required. Undefined under Node/vitest, false in the portable bundle. */
declare const NATIVE_ONLY: boolean;

declare const E: EspruinoE;
declare const USB: EspruinoSerial;
declare const LoopbackA: EspruinoSerial;
declare const Serial1: EspruinoSerial;
declare const Serial2: EspruinoSerial;
declare const Serial3: EspruinoSerial;
declare const I2C1: EspruinoI2C;
declare const I2C2: EspruinoI2C;
declare const I2C3: EspruinoI2C;
declare const SPI1: EspruinoSPI;
declare const SPI2: EspruinoSPI;
declare const SPI3: EspruinoSPI;
/** A pin by its name ("B6"). */
declare function Pin(name: string | number): EspruinoPin;
declare const LED1: EspruinoPin;
declare const LED2: EspruinoPin;
declare const BTN: EspruinoPin;
declare function digitalWrite(pin: EspruinoPin, value: number | boolean): void;
declare function digitalRead(pin: EspruinoPin): number;
declare function setWatch(
  callback: (e: { state: boolean; time: number; lastTime: number }) => void,
  pin: EspruinoPin,
  options?: { repeat?: boolean; edge?: 'rising' | 'falling' | 'both'; debounce?: number },
): number;
declare function clearWatch(id?: number): void;
declare function getTime(): number;
declare function setTimeout(callback: () => void, ms: number): number;
declare function clearTimeout(id: number): void;
declare function setInterval(callback: () => void, ms: number): number;
declare function clearInterval(id: number): void;
declare const console: { log(...args: unknown[]): void };
