// One device bundle per board file (boards/<name>.json -> dist/firmware-<name>.js), built from
// src/main.ts (BAC), or from src/main-pace.ts (PACE first, BAC as fallback, Chip Authentication)
// for a board file with "pace": true (the Espruino WiFi; it stores pace.bin too): NATIVE_ONLY
// (the TypeScript crypto is left out; the native blob is required), only that board's PN532
// transport, no error prose (strip-prose.ts), repeated string literals and built-in
// names stored once (pool-constants.ts). dist/firmware.js stays the portable
// bundle (both paths, every bus, full messages) for the Linux interpreter, `npm start` and the
// tests that run without the native emulator.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOARD_NAMES, boardPath } from '../boards/index';
import type { BoardConfig } from '../src/board-config';
import { bundle, FIRMWARE_ENTRY, type BundleOptions, type NfcBus } from './bundler';

const firmwareDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(firmwareDir, 'dist');

export interface DeviceBundle {
  /** Board file name (pico, pico-i2c, ...). */
  board: string;
  config: BoardConfig;
  bus: NfcBus;
  path: string;
  /** The entry it is built from (deviceEntry). */
  entry: string;
}

/** The entry of a board with PACE (the board file's "pace": true). */
export const PACE_ENTRY = join(firmwareDir, 'src/main-pace.ts');

/** The entry a board's device bundle is built from. */
export function deviceEntry(config: BoardConfig): string {
  return config.pace ? PACE_ENTRY : FIRMWARE_ENTRY;
}

export function deviceBundles(): DeviceBundle[] {
  return BOARD_NAMES.map((board) => {
    const config = JSON.parse(readFileSync(boardPath(board), 'utf8')) as BoardConfig;
    return { board, config, bus: config.nfc.bus, path: join(DIST, `firmware-${board}.js`), entry: deviceEntry(config) };
  });
}

/** The device bundle for a board file name, e.g. dist/firmware-pico-i2c.js. */
export function deviceBundlePath(board: string): string {
  return join(DIST, `firmware-${board}.js`);
}

/** How a device bundle for `bus` is built: native crypto only, one transport, no error prose,
 * repeated strings and built-in names stored once, every internal name shortened (main-pace.ts is
 * as closed a program as main.ts). */
export function deviceOptions(bus: NfcBus): BundleOptions {
  return { nativeOnly: true, bus, stripProse: true, poolConstants: true, mangleAll: true };
}

export function buildDeviceBundle(b: DeviceBundle): Promise<string> {
  return bundle(b.entry, b.path, 'Firmware', deviceOptions(b.bus));
}
