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
}

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
