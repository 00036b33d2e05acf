// How a board is wired, as data (firmware/boards/*.json). The flash tool and the runtime shim
// pass one of these to Firmware.start(); nothing in the firmware asks which board it is on.

/** Pin names as Espruino prints them, e.g. "B6", "A10". Resolved with Pin(name) on the board. */
export type PinName = string;

export interface HsuWiring {
  bus: 'hsu';
  serial: 'Serial1' | 'Serial2' | 'Serial3';
  tx: PinName;
  rx: PinName;
  /** Baud of the first contact (the PN532 starts at 115200). */
  baud: number;
  /** Fastest baud this board's UART and wiring carry reliably; the firmware switches to it with
   * SetSerialBaudRate after the handshake (0: stay at `baud`). */
  fastBaud: number;
}

export interface I2cWiring {
  bus: 'i2c';
  i2c: 'I2C1' | 'I2C2' | 'I2C3';
  scl: PinName;
  sda: PinName;
  bitrate: number;
}

export interface SpiWiring {
  bus: 'spi';
  spi: 'SPI1' | 'SPI2' | 'SPI3';
  sck: PinName;
  miso: PinName;
  mosi: PinName;
  nss: PinName;
  baud: number;
}

export interface BoardConfig {
  /** Espruino board id: PICO, ESPRUINO_WIFI, ... */
  board: string;
  nfc: HsuWiring | I2cWiring | SpiWiring;
  /** PN532 P70_IRQ (low when a response is ready); polled with a bound when absent. */
  irq?: PinName;
  /** PN532 RSTPD_N (low = reset / power down). */
  reset?: PinName;
  /** Status LED: 'LED1', 'LED2' or a pin name. */
  led?: string;
  /** Pipelined READ BINARY: block N+1 is requested before block N is checked (default true;
   * false: one block after the other, as the bench's --no-pipeline compares). */
  pipeline?: boolean;
  /** Largest READ BINARY block in bytes: extended-length blocks (Le > 256) up to this when the
   * chip takes them, short blocks only at 256 or less (default 2,048, EXTENDED_READ). The peak of
   * a read grows with it (the joined answer and its decrypted block): the Pico's value is taken
   * from a measurement (firmware/README.md "Memory budget"). */
  maxRead?: number;
  /** PACE first, BAC as fallback, and Chip Authentication (issue #18): the board's device bundle
   * is built from main-pace.ts and the board also stores the PACE blob (Storage file `pace`).
   * Only where the flash holds both (the Espruino WiFi, tools/board-budgets.ts). Read by the
   * build and flash tools; the firmware itself finds out from the blob. */
  pace?: boolean;
}
