// Board definitions as data: firmware/boards/<name>.json holds one BoardConfig (the wiring the
// firmware receives in Firmware.start). loadBoard() reads one by name or path and checks it
// against what that Espruino board's pins can do (pins.ts). They live in the firmware because a
// real build needs them (tools/device-bundles.ts, tools/flash.ts); the simulators in
// @epassport/hardware use them from here, never the other way round.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BoardConfig } from '../src/board-config';
import { EXTENDED_READ } from '../src/icao/file-reader';
import { BOARD_PINS } from './pins';

const here = dirname(fileURLToPath(import.meta.url));

/** Board files shipped here, by name. */
export const BOARD_NAMES = ['pico', 'pico-i2c', 'pico-spi', 'espruino-wifi'] as const;

/** Espruino board ids (as --board PICO) to the default board file. */
export const BOARD_IDS: Readonly<Record<string, string>> = {
  PICO: 'pico',
  ESPRUINO_WIFI: 'espruino-wifi',
};

export class BoardError extends Error {
  constructor(readonly code: 'unknown-board' | 'invalid-board', message: string) {
    super(message);
    this.name = 'BoardError';
  }
}

/** Path of a board file: a shipped name (pico, pico-spi), an Espruino id (PICO), or a path. */
export function boardPath(nameOrPath: string): string {
  if (nameOrPath.endsWith('.json')) return nameOrPath;
  const name = BOARD_IDS[nameOrPath] ?? nameOrPath.toLowerCase();
  const p = join(here, name + '.json');
  if (!existsSync(p)) throw new BoardError('unknown-board', `no board "${nameOrPath}" (known: ${BOARD_NAMES.join(', ')}, ${Object.keys(BOARD_IDS).join(', ')}, or a .json path)`);
  return p;
}

export function loadBoard(nameOrPath: string): BoardConfig {
  const path = boardPath(nameOrPath);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new BoardError('invalid-board', `${path}: ${(e as Error).message}`);
  }
  const problems = checkBoard(data);
  if (problems.length) throw new BoardError('invalid-board', `${path}:\n  ${problems.join('\n  ')}`);
  return data as BoardConfig;
}

/** Everything wrong with a board definition (empty when it is usable). */
export function checkBoard(data: unknown): string[] {
  const out: string[] = [];
  if (!data || typeof data !== 'object') return ['not an object'];
  const b = data as Record<string, unknown>;
  const profile = typeof b.board === 'string' ? BOARD_PINS[b.board] : undefined;
  if (!profile) return [`board must be one of ${Object.keys(BOARD_PINS).join(', ')}`];
  const pinOk = (pin: unknown, what: string, capable?: readonly string[]) => {
    if (typeof pin !== 'string' || !profile.pins.includes(pin)) out.push(`${what}: ${String(pin)} is not a pin of ${profile.id}`);
    else if (capable && !capable.includes(pin)) out.push(`${what}: ${pin} cannot do that (possible: ${capable.join(', ')})`);
  };
  const nfc = b.nfc as Record<string, unknown> | undefined;
  if (!nfc || typeof nfc !== 'object') return [...out, 'nfc wiring missing'];
  const num = (k: string, min: number) => {
    if (typeof nfc[k] !== 'number' || (nfc[k] as number) < min) out.push(`nfc.${k} must be a number >= ${min}`);
  };
  if (nfc.bus === 'hsu') {
    const dev = String(nfc.serial);
    if (!profile.serial.includes(dev) || !profile.capable[dev + '.tx']) out.push(`nfc.serial: ${dev} is not a UART of ${profile.id}`);
    else {
      pinOk(nfc.tx, 'nfc.tx', profile.capable[dev + '.tx']);
      pinOk(nfc.rx, 'nfc.rx', profile.capable[dev + '.rx']);
    }
    if (profile.id === 'ESPRUINO_WIFI' && dev === 'Serial2') out.push('nfc.serial: Serial2 drives the on-board ESP8266 on the Espruino WiFi');
    num('baud', 9600);
    num('fastBaud', 0);
  } else if (nfc.bus === 'i2c') {
    const dev = String(nfc.i2c);
    if (!profile.i2c.includes(dev)) out.push(`nfc.i2c: ${dev} is not an I2C bus of ${profile.id}`);
    else {
      pinOk(nfc.scl, 'nfc.scl', profile.capable[dev + '.scl']);
      pinOk(nfc.sda, 'nfc.sda', profile.capable[dev + '.sda']);
    }
    num('bitrate', 10000);
  } else if (nfc.bus === 'spi') {
    const dev = String(nfc.spi);
    if (!profile.spi.includes(dev)) out.push(`nfc.spi: ${dev} is not an SPI bus of ${profile.id}`);
    else {
      pinOk(nfc.sck, 'nfc.sck', profile.capable[dev + '.sck']);
      pinOk(nfc.miso, 'nfc.miso', profile.capable[dev + '.miso']);
      pinOk(nfc.mosi, 'nfc.mosi', profile.capable[dev + '.mosi']);
    }
    pinOk(nfc.nss, 'nfc.nss');
    num('baud', 10000);
  } else {
    out.push('nfc.bus must be hsu, i2c or spi');
  }
  if (b.irq !== undefined) pinOk(b.irq, 'irq');
  if (b.reset !== undefined) pinOk(b.reset, 'reset');
  if (b.pipeline !== undefined && typeof b.pipeline !== 'boolean') out.push('pipeline must be true or false');
  if (b.pace !== undefined && typeof b.pace !== 'boolean') out.push('pace must be true or false');
  if (b.maxRead !== undefined && !(Number.isInteger(b.maxRead) && (b.maxRead as number) >= 0 && (b.maxRead as number) <= EXTENDED_READ)) out.push(`maxRead must be a whole number of bytes, 0..${EXTENDED_READ}`);
  if (b.led !== undefined && !(typeof b.led === 'string' && (profile.aliases[b.led] || profile.pins.includes(b.led)))) out.push(`led: ${String(b.led)} is not an LED or pin`);
  const used = [nfc.tx, nfc.rx, nfc.scl, nfc.sda, nfc.sck, nfc.miso, nfc.mosi, nfc.nss, b.irq, b.reset].filter((p) => typeof p === 'string');
  const twice = used.filter((p, i) => used.indexOf(p) !== i);
  if (twice.length) out.push(`pins used twice: ${[...new Set(twice)].join(', ')}`);
  return out;
}

/** The line appended to the firmware bundle on a board: runs the firmware at every power-on.
 * Without `pace`: the tools read it, the firmware does not (12 stored bytes). */
export function bootCode(config: BoardConfig): string {
  return `E.on('init',function(){Firmware.start(${JSON.stringify(config, (key, value) => (key === 'pace' ? undefined : value))});});`;
}
