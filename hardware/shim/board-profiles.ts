// What each supported Espruino board offers the runtime shim: the pins and peripherals of
// @epassport/firmware/boards/pins (what a board file is checked against, shared with the build)
// plus what only the simulation needs: the default pins setup() takes when given none, and which
// hashes require('crypto') carries. Sources as in firmware/boards/pins.ts; the hashes from the
// library lists of boards/PICO_R1_3.py and boards/ESPRUINOWIFI.py.

import { BOARD_PINS, type BoardPins } from '@epassport/firmware/boards/pins';

export interface BoardProfile extends BoardPins {
  /** Default pins when setup() names none. */
  defaults: Readonly<Record<string, string>>;
  /** require('crypto') members. */
  hashes: readonly string[];
}

const STM32F4_DEFAULTS: Record<string, string> = {
  'Serial1.tx': 'B6', 'Serial1.rx': 'B7',
  'Serial2.tx': 'A2', 'Serial2.rx': 'A3',
  'Serial6.tx': 'A11', 'Serial6.rx': 'A12',
  'I2C1.scl': 'B6', 'I2C1.sda': 'B7',
  'I2C2.scl': 'B10', 'I2C2.sda': 'B3',
  'I2C3.scl': 'A8', 'I2C3.sda': 'B4',
  'SPI1.sck': 'A5', 'SPI1.miso': 'A6', 'SPI1.mosi': 'A7',
  'SPI2.sck': 'B13', 'SPI2.miso': 'B14', 'SPI2.mosi': 'B15',
  'SPI3.sck': 'B3', 'SPI3.miso': 'B4', 'SPI3.mosi': 'B5',
};

export const BOARD_PROFILES: Readonly<Record<string, BoardProfile>> = {
  PICO: {
    ...BOARD_PINS.PICO,
    defaults: STM32F4_DEFAULTS,
    // PICO_R1_3.py builds CRYPTO + SHA256; SHA512 is commented out.
    hashes: ['SHA1', 'SHA224', 'SHA256'],
  },
  ESPRUINO_WIFI: {
    ...BOARD_PINS.ESPRUINO_WIFI,
    defaults: STM32F4_DEFAULTS,
    hashes: ['SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512'],
  },
};

export function boardProfile(id: string): BoardProfile {
  const p = BOARD_PROFILES[id];
  if (!p) throw Object.assign(new Error(`no Espruino board profile for "${id}" (known: ${Object.keys(BOARD_PROFILES).join(', ')})`), { code: 'unknown-board' });
  return p;
}
