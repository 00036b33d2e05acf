import { describe, expect, it } from 'vitest';
import { deriveBoard, TABLE_BOARDS } from './derive';
import { requireTool } from '../../../test/support/requires-tool';
import { runProbe, v8Names } from './run-probe';
import { readTable } from './table-file';

const table = readTable();

describe('the committed member table', () => {
  // CI must have the interpreter (the file fails there without it); elsewhere a counted skip.
  const present = requireTool('espruino', 'the member table against a fresh probe of the interpreter');
  it.runIf(present)('equals a fresh probe of the interpreter', { timeout: 60_000 }, async () => {
    const candidates = new Set(v8Names());
    for (const b of Object.values(table.source.boards)) for (const names of Object.values(b.tables)) names.forEach((n) => candidates.add(n));
    for (const n of ['keys', 'entries', 'values', 'search', 'toPrecision', 'is', 'freeze', 'race', 'log2']) candidates.add(n);
    const fresh = await runProbe(candidates);
    expect(fresh).toEqual(table.probe);
  });

  it('derives each board from the probe and the source tables as committed', () => {
    for (const id of TABLE_BOARDS) expect(deriveBoard(table, id)).toEqual(table.boards[id]);
  });

  it('names the interpreter and the source commit it came from', () => {
    expect(table.interpreter.version).toMatch(/^2v\d+/);
    expect(table.source.commit.startsWith(table.interpreter.commit)).toBe(true);
  });
});

describe('board differences, from the boards\' build files', () => {
  const pico = table.boards.PICO_R1_3;
  const wifi = table.boards.ESPRUINOWIFI;
  const linux = table.boards.LINUX_PICO64;
  it('SHA384/SHA512 only on the Espruino WiFi; AES on both boards (TLS), not on the Linux build', () => {
    expect(pico.modules.crypto).not.toContain('SHA512');
    expect(wifi.modules.crypto).toContain('SHA512');
    expect(pico.modules.crypto).toEqual(expect.arrayContaining(['SHA1', 'SHA256', 'AES']));
    expect(linux.modules.crypto).not.toContain('AES');
  });
  it('saved-code flash: 3 x 16 KB on the Pico, 64 KB on the WiFi', () => {
    expect(pico.savedCodeBytes).toBe(49152);
    expect(wifi.savedCodeBytes).toBe(65536);
  });
  it('pins, LEDs and peripheral counts', () => {
    expect(pico.pins).toHaveLength(36);
    expect(pico.pins).toContain('B7');
    expect(pico.pins).not.toContain('B11');
    expect(pico.devices).toMatchObject({ LED1: 'B2', LED2: 'B12', BTN1: 'C13' });
    expect(pico.types.LED1).toBe('Pin');
    expect([pico.usart, pico.spi, pico.i2c]).toEqual([6, 3, 3]);
    expect(Object.keys(pico.globals)).toEqual(expect.arrayContaining(['Serial1', 'Serial6', 'I2C3', 'SPI3']));
    expect(linux.pins[0]).toBe('D0');
  });
  it('Storage is a built-in module on every board', () => {
    for (const id of TABLE_BOARDS) expect(table.boards[id].modules.Storage).toEqual(expect.arrayContaining(['read', 'write', 'list', 'erase']));
  });
});
