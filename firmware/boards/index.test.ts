import { describe, expect, it } from 'vitest';
import { BOARD_NAMES, bootCode, boardPath, checkBoard, loadBoard } from './index';
import { BOARD_PINS } from './pins';

describe('board definitions', () => {
  it.each(BOARD_NAMES)('%s loads and passes its board\'s pin checks', (name) => {
    const b = loadBoard(name);
    expect(checkBoard(b)).toEqual([]);
    expect(b.irq).toBeTruthy();
    expect(b.reset).toBeTruthy();
  });

  it('accepts Espruino board ids and paths', () => {
    expect(loadBoard('PICO').nfc.bus).toBe('hsu');
    expect(loadBoard('ESPRUINO_WIFI').board).toBe('ESPRUINO_WIFI');
    expect(loadBoard(boardPath('pico-spi')).nfc.bus).toBe('spi');
    expect(() => loadBoard('nosuchboard')).toThrow(expect.objectContaining({ code: 'unknown-board' }));
  });

  it('finds wiring mistakes', () => {
    const good = loadBoard('pico');
    const bad = (patch: object) => checkBoard({ ...good, ...patch }).join('\n');
    expect(bad({ nfc: { ...good.nfc, tx: 'A2' } })).toMatch(/nfc.tx: A2 cannot/);
    expect(bad({ irq: 'Z9' })).toMatch(/irq: Z9 is not a pin/);
    expect(bad({ irq: 'B6' })).toMatch(/pins used twice: B6/);
    expect(bad({ board: 'ARDUINO' })).toMatch(/board must be one of/);
    expect(checkBoard({ ...loadBoard('espruino-wifi'), nfc: { bus: 'hsu', serial: 'Serial2', tx: 'A2', rx: 'A3', baud: 115200, fastBaud: 0 } }).join()).toMatch(/ESP8266/);
    const spi = loadBoard('pico-spi');
    expect(checkBoard({ ...spi, nfc: { ...spi.nfc, miso: 'A7', mosi: 'A6' } }).join('\n')).toMatch(/nfc.miso: A7 cannot/);
  });

  it('pace: only true or false; the Espruino WiFi has it, the Picos not; the boot line leaves it out', () => {
    expect(loadBoard('espruino-wifi').pace).toBe(true);
    for (const name of ['pico', 'pico-i2c', 'pico-spi']) expect(loadBoard(name).pace).toBeUndefined();
    const wifi = loadBoard('espruino-wifi');
    expect(checkBoard({ ...wifi, pace: 'yes' }).join()).toMatch(/pace must be true or false/);
    expect(checkBoard({ ...wifi, pipeline: 1 }).join()).toMatch(/pipeline must be true or false/);
    expect(checkBoard({ ...wifi, pace: false })).toEqual([]);
    for (const maxRead of [-1, 2049, 1.5, '256']) expect(checkBoard({ ...wifi, maxRead }).join()).toMatch(/maxRead must be a whole number/);
    for (const maxRead of [0, 256, 2048]) expect(checkBoard({ ...wifi, maxRead })).toEqual([]);
    for (const name of ['pico', 'pico-i2c', 'pico-spi']) expect(loadBoard(name).maxRead).toBe(1024);
    expect(loadBoard('espruino-wifi').maxRead).toBeUndefined();
    const line = bootCode(wifi);
    expect(line).not.toContain('pace');
    const { pace: _pace, ...wiring } = wifi;
    expect(line).toBe(`E.on('init',function(){Firmware.start(${JSON.stringify(wiring)});});`);
  });

  it('every capable pin is a pin of its board', () => {
    for (const board of Object.values(BOARD_PINS)) {
      for (const [fn, pins] of Object.entries(board.capable)) {
        for (const pin of pins) expect(board.pins, `${board.id} ${fn}`).toContain(pin);
      }
      for (const pin of Object.values(board.aliases)) expect(board.pins).toContain(pin);
    }
  });
});
