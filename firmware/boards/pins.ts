// What each supported Espruino board's pins can do: the pins of its package, the named aliases
// (LED1, BTN1), which peripheral objects exist and which pins each peripheral function can use.
// checkBoard() tests a board file against this before a build or a flash; the runtime shim
// (hardware/shim/board-profiles.ts) adds what only a simulation needs. Sources: espruino/Espruino
// boards/PICO_R1_3.py and boards/ESPRUINOWIFI.py (pins, LEDs, button) and the STM32F401/F411
// alternate-function tables for the UQFN48 package (USART1/2/6, I2C1/2/3, SPI1/2/3 pins).

export interface BoardPins {
  id: string;
  /** Every pin of the package, in Espruino's numbering order (Pin(n) is the n-th). */
  pins: readonly string[];
  aliases: Readonly<Record<string, string>>;
  /** Serial-like devices that exist as globals. */
  serial: readonly string[];
  i2c: readonly string[];
  spi: readonly string[];
  /** Pins each peripheral function may use: 'Serial1.tx' -> ['A9', 'B6', ...]. */
  capable: Readonly<Record<string, readonly string[]>>;
}

// STM32F401CD / STM32F411CE in UQFN48: ports A and B (no B11), C13..C15, H0/H1.
const UQFN48_PINS = [
  'A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9', 'A10', 'A11', 'A12', 'A13', 'A14', 'A15',
  'B0', 'B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9', 'B10', 'B12', 'B13', 'B14', 'B15',
  'C13', 'C14', 'C15', 'H0', 'H1',
];

// Alternate functions shared by the F401 and F411 in this package.
const STM32F4_CAPABLE: Record<string, string[]> = {
  'Serial1.tx': ['A9', 'A15', 'B6'],
  'Serial1.rx': ['A10', 'B3', 'B7'],
  'Serial2.tx': ['A2'],
  'Serial2.rx': ['A3'],
  'Serial6.tx': ['A11'],
  'Serial6.rx': ['A12'],
  'I2C1.scl': ['B6', 'B8'],
  'I2C1.sda': ['B7', 'B9'],
  'I2C2.scl': ['B10'],
  'I2C2.sda': ['B3'],
  'I2C3.scl': ['A8'],
  'I2C3.sda': ['B4'],
  'SPI1.sck': ['A5', 'B3'],
  'SPI1.miso': ['A6', 'B4'],
  'SPI1.mosi': ['A7', 'B5'],
  'SPI2.sck': ['B10', 'B13'],
  'SPI2.miso': ['B14'],
  'SPI2.mosi': ['B15'],
  'SPI3.sck': ['B3'],
  'SPI3.miso': ['B4'],
  'SPI3.mosi': ['B5'],
};

export const BOARD_PINS: Readonly<Record<string, BoardPins>> = {
  PICO: {
    id: 'PICO',
    pins: UQFN48_PINS,
    aliases: { LED1: 'B2', LED2: 'B12', BTN1: 'C13', BTN: 'C13' },
    serial: ['USB', 'Serial1', 'Serial2', 'Serial6', 'LoopbackA', 'LoopbackB'],
    i2c: ['I2C1', 'I2C2', 'I2C3'],
    spi: ['SPI1', 'SPI2', 'SPI3'],
    capable: STM32F4_CAPABLE,
  },
  ESPRUINO_WIFI: {
    id: 'ESPRUINO_WIFI',
    pins: UQFN48_PINS,
    aliases: { LED1: 'B2', LED2: 'B12', BTN1: 'C13', BTN: 'C13' },
    // Serial2 (A2/A3) is wired to the on-board ESP8266: it exists but is not free for the PN532.
    serial: ['USB', 'Serial1', 'Serial2', 'Serial6', 'LoopbackA', 'LoopbackB'],
    i2c: ['I2C1', 'I2C2', 'I2C3'],
    spi: ['SPI1', 'SPI2', 'SPI3'],
    capable: STM32F4_CAPABLE,
  },
};
