import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBoard } from '../boards/index';
import { EspruinoRuntime } from '@epassport/hardware/shim/espruino-runtime';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { boardBlobs, checkBudget, ERASE_STORAGE, espruinoArgs, flash, NATIVE_BLOB, nativeBlobUploadText, PACE_BLOB, parseFlashArgs, storedFiles, uploadText } from './flash';
import { pretokenise } from './pretokenise';

const STUB = 'var Firmware=(()=>{function start(c){Firmware.board=c}return{start:start}})();';

describe('flash tool', () => {
  it('parses --port, --board, --baud, --dry-run, --out', () => {
    expect(parseFlashArgs(['--port', '/dev/ttyACM0', '--board', 'PICO'])).toEqual({ port: '/dev/ttyACM0', board: 'PICO', baud: 115200, dryRun: false, out: undefined });
    expect(parseFlashArgs(['-p', '/dev/ttyACM1', '--board', 'pico-spi', '-b', '9600', '--out', 'x.js'])).toMatchObject({ port: '/dev/ttyACM1', baud: 9600, out: 'x.js' });
    expect(parseFlashArgs(['--board', 'PICO', '--dry-run']).dryRun).toBe(true);
    expect(() => parseFlashArgs(['--board', 'PICO'])).toThrow(/--port is required/);
    expect(() => parseFlashArgs(['--port', '/dev/x'])).toThrow(/--board is required/);
    expect(() => parseFlashArgs(['--port', '/dev/x', '--board', 'PICO', '--baud', 'fast'])).toThrow(/--baud/);
    expect(() => parseFlashArgs(['--port'])).toThrow(/needs a value/);
    expect(() => parseFlashArgs(['--port', '/dev/x', '--board', 'PICO', '--save'])).toThrow(/unknown option --save/);
  });

  it('the espruino CLI uploads the file unchanged, then saves', () => {
    const args = espruinoArgs({ port: '/dev/ttyACM0', board: 'PICO', baud: 115200, dryRun: false }, '/tmp/u.js');
    expect(args.slice(0, 4)).toEqual(['--port', '/dev/ttyACM0', '-b', '115200']);
    expect(args.join(' ')).toContain('--config MINIFICATION_LEVEL= --config COMPILATION=false');
    expect(args).toContain('SAVE_ON_SEND=1'); // straight to flash: the code runs from flash, not RAM
    expect(args).not.toContain('save()');
    expect(args[args.length - 1]).toBe('/tmp/u.js');
  });

  it('the upload text is the bundle plus a boot line that starts it with the board at power-on (run in the shim)', () => {
    const board = loadBoard('pico-i2c');
    const text = uploadText(STUB + '\n\n', board);
    expect(text.startsWith(STUB + '\n')).toBe(true);
    expect(text.trimEnd().split('\n').pop()).toBe(`E.on('init',function(){Firmware.start(${JSON.stringify(board)});});`);
    const rt = new EspruinoRuntime({ clock: new VirtualClock() });
    rt.load(text);
    expect(rt.evaluate('Firmware.board')).toBeUndefined();
    rt.powerOn();
    expect(JSON.parse(rt.evaluate('JSON.stringify(Firmware.board)') as string)).toEqual(board);
    expect(rt.errors).toEqual([]);
  });

  it('a dry run writes the gated upload file and touches no port', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'flash-test-')), 'upload.js');
    const lines: string[] = [];
    const r = await flash({ port: '', board: 'ESPRUINO_WIFI', baud: 115200, dryRun: true, out }, (l) => lines.push(l), STUB);
    expect(readFileSync(out, 'utf8')).toBe(r.code); // pretokenised, as stored
    expect(r.code).toBe(pretokenise(r.text));
    expect(r.text).toContain('"board":"ESPRUINO_WIFI"');
    expect(lines[1]).toMatch(/^espruino --port "" -b 115200 .*SAVE_ON_SEND=1.*upload\.js$/);
  });

  it('a board with "pace": true also stores the PACE blob: its upload file, its log line, its bytes in the budget', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'flash-test-')), 'upload.js');
    const lines: string[] = [];
    const res = await flash({ port: '', board: 'espruino-wifi', baud: 115200, dryRun: true, out }, (l) => lines.push(l), STUB);
    const pace = readFileSync(PACE_BLOB);
    expect(readFileSync(out.replace(/\.js$/, '.pace.js'), 'utf8')).toBe(nativeBlobUploadText(new Uint8Array(pace), 'pace'));
    // Storage erased first (no compaction needed), then native, then pace, then the code.
    expect(readFileSync(out.replace(/\.js$/, '.native.js'), 'utf8')).toBe(ERASE_STORAGE + nativeBlobUploadText(new Uint8Array(readFileSync(NATIVE_BLOB))));
    expect(lines[0]).toMatch(/\(hsu, PACE\).*stored with the native and pace blobs$/);
    expect(lines).toContain(`pace blob first (Storage file pace, ${pace.length} bytes): espruino ... ${out.replace(/\.js$/, '.pace.js')}`);
    // The board file's flag is for the tools: the boot line passes the wiring without it.
    expect(res.text).toContain('"board":"ESPRUINO_WIFI"');
    expect(res.text).not.toContain('"pace"');
    const wifi = loadBoard('espruino-wifi');
    expect(wifi.pace).toBe(true);
    expect(boardBlobs(wifi).map((b) => b.name)).toEqual(['native', 'pace']);
    expect(boardBlobs(loadBoard('pico')).map((b) => b.name)).toEqual(['native']);
    const files = storedFiles('x'.repeat(100), new Uint8Array(8), new Uint8Array(pace));
    expect(files).toEqual([{ name: '.bootcde', bytes: 100 }, { name: 'native', bytes: 8 }, { name: 'pace', bytes: pace.length }]);
    expect(checkBudget(wifi, files)).toBe(132 + 40 + Math.ceil((32 + pace.length) / 4) * 4);
  });

  it('refuses an upload that fails the Espruino gate', async () => {
    await expect(flash({ port: '', board: 'PICO', baud: 115200, dryRun: true }, () => {}, 'var m = new Map();')).rejects.toMatchObject({ code: 'gate' });
  });
});
