// What the runtime shim's peripherals are wired to: the far end of each bus and line. The
// virtual device plugs the PN532 simulator's transports in here; tests plug in small fakes.

/** The far end of a UART (the PN532 in HSU mode). */
export interface UartPeer {
  /** Bytes from the microcontroller's TX pin. */
  write(bytes: Uint8Array): void;
  /** Bytes towards the microcontroller's RX pin, delivered when they have arrived. */
  onData(listener: (bytes: Uint8Array) => void): void;
  /** The peer's current baud, when it has one: bytes sent at another baud are garbage, so the
   * shim drops them (and records a warning). */
  readonly baud?: number;
}

/** A device on an I2C bus. */
export interface I2cPeer {
  /** 7-bit address it answers to. */
  readonly address: number;
  write(bytes: Uint8Array): void;
  read(length: number): Uint8Array;
}

/** A device on an SPI bus, seen in logical bytes (the shim handles the wire's bit order). */
export interface SpiPeer {
  /** One exchange while NSS is low: MOSI bytes in, as many MISO bytes out. */
  transfer(mosi: Uint8Array): Uint8Array;
  /** NSS edges, for firmware that drives NSS itself around several send() calls. When absent,
   * each send() is one transaction. */
  select?(active: boolean): void;
  /** Bit order the device expects on the wire (the PN532: 'lsb'). */
  readonly order?: 'msb' | 'lsb';
  /** SPI mode the device expects (the PN532: 0). */
  readonly mode?: number;
}

/** A line driven from outside (the PN532 IRQ, a button). */
export interface InputLine {
  /** 0 or 1. */
  level(): number;
  onChange(listener: (level: number) => void): void;
}
