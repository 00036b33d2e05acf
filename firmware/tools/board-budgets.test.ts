// Everything a board stores (the device bundle with its boot line, pretokenised, as Storage file
// .bootcde; the native blob as Storage file native; the PACE blob as Storage file pace where the
// board file says "pace": true) must fit that board's budget (board-budgets.ts, taken from
// Espruino's board definitions). Reads the bundles `npm run build` wrote; builds any missing.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { BOARD_BUDGETS, STORAGE_FILE_HEADER, storedBytes } from './board-budgets';
import { buildDeviceBundle, deviceBundles } from './device-bundles';
import { boardStoredFiles, checkBudget, NATIVE_BLOB } from './flash';

const blob = new Uint8Array(readFileSync(NATIVE_BLOB));

async function stored(b: ReturnType<typeof deviceBundles>[number]): Promise<number> {
  const source = existsSync(b.path) ? readFileSync(b.path, 'utf8') : await buildDeviceBundle(b);
  const files = boardStoredFiles(source, b.config); // .bootcde, native, and pace on a board with PACE
  const bytes = storedBytes(files);
  console.log(`${b.board}: stores ${bytes} bytes (${files.map((f) => `${f.name} ${f.bytes}`).join(', ')}) of ${BOARD_BUDGETS[b.config.board].limit}`);
  return bytes;
}

describe('flash budget per board', () => {
  for (const b of deviceBundles()) {
    const budget = BOARD_BUDGETS[b.config.board];
    it(`${b.board} (${b.config.board}, ${b.bus}): bundle + boot line + native blob fit the board's ${budget.savedCodeBytes}-byte saved-code area`, async () => {
      expect(await stored(b)).toBeLessThanOrEqual(budget.savedCodeBytes);
    });
    it(`${b.board}: stored set within the ${budget.limit}-byte budget`, async () => {
      expect(await stored(b)).toBeLessThanOrEqual(budget.limit);
    });
  }

  it('the check fails: the 61,373-byte bundle of 2026-12-01 does not fit a Pico', () => {
    const pico = deviceBundles().find((b) => b.board === 'pico')!.config;
    expect(() => checkBudget(pico, [{ name: '.bootcde', bytes: 61373 }, { name: 'native', bytes: blob.length }])).toThrow(/over its 40960-byte budget/);
  });

  it('counts each Storage file with its 32-byte header, padded to 4 bytes', () => {
    expect(STORAGE_FILE_HEADER).toBe(32);
    expect(storedBytes([{ name: 'a', bytes: 1 }])).toBe(36);
    expect(storedBytes([{ name: 'a', bytes: 4 }, { name: 'b', bytes: 5 }])).toBe(36 + 40);
    const pico = deviceBundles().find((b) => b.board === 'pico')!.config;
    expect(checkBudget(pico, [{ name: '.bootcde', bytes: 40960 - 32 }])).toBe(40960);
    expect(() => checkBudget(pico, [{ name: '.bootcde', bytes: 40960 - 31 }])).toThrow(/too|over/);
  });

  it('budgets from the board definitions: Pico 3 x 16 KB pages, Espruino WiFi one 64 KB page', () => {
    expect(BOARD_BUDGETS.PICO.savedCodeBytes).toBe(49152);
    expect(BOARD_BUDGETS.ESPRUINO_WIFI.savedCodeBytes).toBe(65536);
    for (const b of Object.values(BOARD_BUDGETS)) expect(b.limit).toBeLessThanOrEqual(b.savedCodeBytes);
  });
});
