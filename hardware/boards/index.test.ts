import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../sim/clock';
import { EspruinoRuntime } from '../shim/espruino-runtime';
import { BOARD_PROFILES } from '../shim/board-profiles';
import { BOARD_NAMES, bootCode, loadBoard } from './index';

// The board files and their checks are tested in firmware/boards/index.test.ts; here, how the
// simulators use them.
describe('board definitions in the simulators', () => {
  it('re-exports the firmware\'s boards', () => {
    expect(BOARD_NAMES).toContain('pico');
    expect(loadBoard('PICO').board).toBe('PICO');
  });

  it('the shim knows every board a board file may name, with defaults on capable pins', () => {
    for (const name of BOARD_NAMES) expect(BOARD_PROFILES[loadBoard(name).board]).toBeDefined();
    for (const profile of Object.values(BOARD_PROFILES)) {
      for (const [fn, pin] of Object.entries(profile.defaults)) expect(profile.capable[fn], `${profile.id} ${fn}`).toContain(pin);
    }
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
