// Puts the firmware on a board so that it runs at every power-on:
//   npm run flash -w firmware -- --port /dev/ttyACM0 --board PICO [--baud 115200] [--dry-run] [--out upload.js]
// --board: an Espruino board id (PICO, ESPRUINO_WIFI), a file name in firmware/boards (pico,
// pico-i2c, pico-spi, espruino-wifi) or a path to a board .json.
// Builds the board's device bundle (dist/firmware-<board>.js: native crypto, only its PN532 bus;
// from main-pace.ts for a board file with "pace": true; tools/device-bundles.ts) when it is
// missing or older than the sources, gates the upload text,
// checks that everything stored fits the board's budget (tools/board-budgets.ts), then sends it
// with the espruino CLI (devDependency) straight into flash (Storage file .bootcde, "save on
// send"): Espruino then evaluates the code from flash, where function bodies stay, instead of
// holding the source text in RAM as an upload to RAM and save() would. At power-on
// E.on('init') starts Firmware.start(<board>).
// The board's Storage is erased first (require('Storage').eraseAll()): rewriting files that fill
// the saved-code area needs a compaction, which Espruino does in RAM (the live files on the stack,
// src/jsflash.c jsfCompact) and which an Espruino WiFi's single 64 KB page, ~53 KB live, cannot
// get. The firmware is all a reader board stores; other Storage files are lost.
// Back to the REPL: the host sends `reset` with toConsole (the firmware then calls
// USB.setConsole()), or plug the board in and press the button right after (Espruino starts
// without loading the saved code). See hardware/README.md.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BoardConfig } from '../src/board-config';
import { bootCode, boardPath, loadBoard } from '../boards/index';
import { BOARD_BUDGETS, storedBytes, type StoredFile } from './board-budgets';
import { bundle, FIRMWARE_ENTRY, type BundleOptions } from './bundler';
import { deviceBundlePath, deviceEntry, deviceOptions } from './device-bundles';
import { pretokenise } from './pretokenise';
import { checkBundle, formatViolations } from './espruino-gate';

const firmwareDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIRMWARE_DIST = join(firmwareDir, 'dist/firmware.js');

export interface FlashOptions {
  port: string;
  board: string;
  baud: number;
  dryRun: boolean;
  out?: string;
}

export class FlashError extends Error {
  constructor(readonly code: 'usage' | 'gate' | 'too-large' | 'unknown-board' | 'espruino-cli', message: string) {
    super(message);
    this.name = 'FlashError';
  }
}

export function parseFlashArgs(argv: string[]): FlashOptions {
  const o: Partial<FlashOptions> = { baud: 115200, dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new FlashError('usage', `${a} needs a value`);
      return v;
    };
    if (a === '--port' || a === '-p') o.port = value();
    else if (a === '--board') o.board = value();
    else if (a === '--baud' || a === '-b') {
      const b = Number(value());
      if (!Number.isInteger(b) || b <= 0) throw new FlashError('usage', '--baud needs a positive integer');
      o.baud = b;
    } else if (a === '--dry-run') o.dryRun = true;
    else if (a === '--out') o.out = value();
    else throw new FlashError('usage', `unknown option ${a}`);
  }
  if (!o.board) throw new FlashError('usage', '--board is required (PICO, ESPRUINO_WIFI, pico-i2c, pico-spi or a .json path)');
  if (!o.port && !o.dryRun) throw new FlashError('usage', '--port is required (or --dry-run)');
  return { port: o.port ?? '', board: o.board, baud: o.baud!, dryRun: o.dryRun!, out: o.out };
}

/** The text sent to the board: the bundle, then the line that starts it at every power-on. */
export function uploadText(bundleSource: string, board: BoardConfig): string {
  return bundleSource.replace(/\s*$/, '\n') + bootCode(board) + '\n';
}

/** What Storage file .bootcde holds: the upload text pretokenised (tools/pretokenise.ts), about
 * a fifth fewer bytes, and its long string literals stay in flash. One char per byte. */
export function storedCode(bundleSource: string, board: BoardConfig): string {
  return pretokenise(uploadText(bundleSource, board));
}

/** The native blob (firmware/native/blob/native.bin), committed: no ARM compiler needed here. */
export const NATIVE_BLOB = join(firmwareDir, 'native/blob/native.bin');
/** The PACE blob (AES, CMAC, EC; native/pace/ABI.md), Storage file `pace` on a board with PACE. */
export const PACE_BLOB = join(firmwareDir, 'native/blob/pace.bin');
/** Binary bytes per Storage.write line (base64 of 512 bytes: a 700-character line). */
const BLOB_CHUNK = 512;

/** Text that writes `blob` to Storage file `name` (`native`, or `pace` for the PACE blob;
 * binary-safe: base64 decoded on the board, the file created at its full size by the first
 * write, the rest written at their offsets). Sent before the firmware and not saved: the blob is
 * a file of its own, run in place. */
export function nativeBlobUploadText(blob: Uint8Array, name = 'native'): string {
  const lines: string[] = [];
  for (let o = 0; o < blob.length; o += BLOB_CHUNK) {
    const b64 = Buffer.from(blob.subarray(o, o + BLOB_CHUNK)).toString('base64');
    lines.push(`require('Storage').write('${name}',atob('${b64}'),${o}${o === 0 ? ',' + blob.length : ''});`);
  }
  lines.push(`print('${name}',require('Storage').read('${name}').length);`);
  return lines.join('\n') + '\n';
}

/** The first line sent: a clean Storage, so that no write needs a compaction (see above). */
export const ERASE_STORAGE = `require('Storage').eraseAll();\n`;

/** The blobs `board` stores, as Storage files: `native`, and `pace` on a board with PACE. */
export function boardBlobs(board: BoardConfig): Array<{ name: string; blob: Uint8Array }> {
  const blobs = [{ name: 'native', blob: new Uint8Array(readFileSync(NATIVE_BLOB)) }];
  if (board.pace) blobs.push({ name: 'pace', blob: new Uint8Array(readFileSync(PACE_BLOB)) });
  return blobs;
}

/** Arguments for the espruino CLI: upload `file` as is (already pretokenised: no minifying, no
 * online compiler, no module lookups, no second tokenising), reset before sending, written
 * directly to flash (SAVE_ON_SEND=1) so the code is executed from flash and survives power-off. */
export function espruinoArgs(options: FlashOptions, file: string): string[] {
  return [
    '--port', options.port,
    '-b', String(options.baud),
    '--no-ble',
    '--config', 'RESET_BEFORE_SEND=true',
    '--config', 'SAVE_ON_SEND=1',
    '--config', 'MINIFICATION_LEVEL=',
    '--config', 'COMPILATION=false',
    '--config', 'PRETOKENISE=0',
    '--config', 'STORE_LINE_NUMBERS=false',
    file,
  ];
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

/** A firmware bundle, rebuilt when missing or older than firmware/src or protocol/src; by
 * default the portable one, with `device` a device bundle (of `entry`). */
export async function firmwareBundle(path = FIRMWARE_DIST, device?: BundleOptions, entry = FIRMWARE_ENTRY): Promise<string> {
  const stale = !existsSync(path)
    || statSync(path).mtimeMs < Math.max(newestSource(join(firmwareDir, 'src')), newestSource(join(firmwareDir, '../protocol/src')));
  if (stale) await bundle(entry, path, 'Firmware', device);
  return readFileSync(path, 'utf8');
}

/** The device bundle for `board` (--board as given, and the config it names): a shipped board's
 * dist/firmware-<name>.js, or one built for the bus of a board .json given by path. */
export function deviceBundleFor(boardArg: string, board: BoardConfig): Promise<string> {
  const path = boardArg.endsWith('.json')
    ? join(mkdtempSync(join(tmpdir(), 'flash-')), 'firmware.js')
    : deviceBundlePath(basename(boardPath(boardArg), '.json'));
  return firmwareBundle(path, deviceOptions(board.nfc.bus), deviceEntry(board));
}

/** What the board stores after the upload: the code (.bootcde), the native blob, and the PACE
 * blob when `pace` is given. */
export function storedFiles(text: string, blob: Uint8Array, pace?: Uint8Array): StoredFile[] {
  const files = [{ name: '.bootcde', bytes: Buffer.byteLength(text, 'latin1') }, { name: 'native', bytes: blob.length }];
  if (pace) files.push({ name: 'pace', bytes: pace.length });
  return files;
}

/** What `npm run flash` would store for a device bundle's `source` on `board` (for the budget
 * test and the bench's memory table; flash() itself keeps the code and blobs it uploads). */
export function boardStoredFiles(source: string, board: BoardConfig): StoredFile[] {
  const blobs = boardBlobs(board);
  return storedFiles(storedCode(source, board), blobs[0].blob, blobs[1]?.blob);
}

/** Refuses an upload whose stored files exceed the board's budget. */
export function checkBudget(board: BoardConfig, files: readonly StoredFile[]): number {
  const budget = BOARD_BUDGETS[board.board];
  if (!budget) throw new FlashError('unknown-board', `no flash budget for ${board.board} (tools/board-budgets.ts)`);
  const bytes = storedBytes(files);
  if (bytes > budget.limit) {
    const list = files.map((f) => `${f.name} ${f.bytes}`).join(', ');
    throw new FlashError('too-large', `${board.board} would store ${bytes} bytes (${list}), over its ${budget.limit}-byte budget (${budget.why})`);
  }
  return bytes;
}

export async function flash(
  options: FlashOptions,
  log: (line: string) => void = console.log,
  bundleSource?: string,
): Promise<{ text: string; code: string; file: string; args: string[] }> {
  const board = loadBoard(options.board);
  const source = bundleSource ?? (await deviceBundleFor(options.board, board));
  const text = uploadText(source, board);
  const violations = checkBundle(text);
  if (violations.length) throw new FlashError('gate', 'the upload text fails the Espruino gate:\n' + formatViolations(text, violations));
  const code = storedCode(source, board);
  const blobs = boardBlobs(board);
  const stored = checkBudget(board, storedFiles(code, blobs[0].blob, blobs[1]?.blob));
  const file = options.out ?? join(mkdtempSync(join(tmpdir(), 'flash-')), 'upload.js');
  // UTF-8, as the espruino CLI reads it; it sends chars 0..255 as single bytes.
  writeFileSync(file, code);
  // The blobs first, each a Storage file of its own (upload.native.js, upload.pace.js).
  const blobFiles = blobs.map(({ name, blob }, i) => {
    const blobFile = file.replace(/(\.js)?$/, `.${name}.js`);
    writeFileSync(blobFile, (i === 0 ? ERASE_STORAGE : '') + nativeBlobUploadText(blob, name));
    return blobFile;
  });
  const blobRuns = blobFiles.map((f) => espruinoArgs(options, f).map((a) => (a === 'SAVE_ON_SEND=1' ? 'SAVE_ON_SEND=0' : a)));
  const args = espruinoArgs(options, file);
  log(`board ${board.board} (${board.nfc.bus}${board.pace ? ', PACE' : ''}), ${text.length} bytes, ${code.length} pretokenised -> ${file}; ${stored} bytes stored with the ${blobs.map((b) => b.name).join(' and ')} blob${blobs.length > 1 ? 's' : ''}`);
  log(`espruino ${args.map((a) => (/[\s'"()]/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ')}`);
  blobs.forEach(({ name, blob }, i) => log(`${name} blob first (Storage file ${name}, ${blob.length} bytes): espruino ... ${blobFiles[i]}`));
  if (!options.dryRun) {
    const cli = join(firmwareDir, 'node_modules/.bin/espruino');
    const bin = existsSync(cli) ? cli : join(firmwareDir, '../node_modules/.bin/espruino');
    for (const a of [...blobRuns, args]) {
      const r = spawnSync(bin, a, { stdio: 'inherit' });
      if (r.status !== 0) throw new FlashError('espruino-cli', `espruino exited with ${r.status ?? r.signal}`);
    }
  }
  return { text, code, file, args };
}

if (process.argv[1] && /flash\.ts$/.test(process.argv[1])) {
  let options: FlashOptions;
  try {
    options = parseFlashArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    console.error('usage: npm run flash -w firmware -- --port /dev/ttyACM0 --board PICO [--baud 115200] [--dry-run] [--out upload.js]');
    process.exit(2);
  }
  flash(options).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
