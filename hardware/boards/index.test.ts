import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../sim/clock';
import { EspruinoRuntime } from '../shim/espruino-runtime';
import { BOARD_NAMES, bootCode, checkBoard, loadBoard } from './index';

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

  it('the boot line calls Firmware.start with the board, at power-on only', () => {
    const clock = new VirtualClock();
    const rt = new EspruinoRuntime({ clock });
    const board = loadBoard('pico-i2c');
    rt.load('var Firmware = { start: function (c) { Firmware.got = c; } };\n' + bootCode(board));
    expect(rt.evaluate('Firmware.got')).toBeUndefined();
    rt.powerOn();
    expect(JSON.parse(rt.evaluate('JSON.stringify(Firmware.got)') as string)).toEqual(board);
  });
});
