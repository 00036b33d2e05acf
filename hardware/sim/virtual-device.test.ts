import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeMessage, MessageDecoder, PROTOCOL_VERSION, type ReceivedMessage } from '@epassport/protocol';
import { bundle } from '../../firmware/tools/bundler';
import { BOARD_NAMES, loadBoard } from '../boards/index';
import { EspruinoRuntime } from '../shim/espruino-runtime';
import { VirtualClock } from './clock';
import { testFirmwareSource } from './test-firmware';
import { createVirtualDevice } from './virtual-device';

const here = dirname(fileURLToPath(import.meta.url));
const firmwareDir = join(here, '../../firmware');


function hello(device: ReturnType<typeof createVirtualDevice>, clock: VirtualClock): ReceivedMessage[] {
  const decoder = new MessageDecoder();
  const got: ReceivedMessage[] = [];
  device.usb.onData((b) => got.push(...decoder.push(b)));
  device.usb.write(encodeMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION }, 0));
  clock.runUntil(() => got.some((m) => m.message.type === 'hello-reply'), 5000);
  return got;
}

describe('virtual device: a firmware bundle, the shim and the PN532 simulator on each wiring', () => {
  it.each(BOARD_NAMES)('%s: hello -> hello-reply carrying the PN532 version read over its bus', async (name) => {
    const source = await testFirmwareSource();
    const clock = new VirtualClock();
    const board = loadBoard(name);
    const device = createVirtualDevice({ clock, board, bundleSource: source });
    const got = hello(device, clock);
    expect(device.errors).toEqual([]);
    expect(got.find((m) => m.message.type === 'hello-reply')!.message).toMatchObject({ type: 'hello-reply', board: board.board, nfcFirmware: 0x32010607 });
    expect(device.stats.linkBytesToChip).toBeGreaterThan(0);
    expect(device.runtime.warnings).toEqual([]);
  });

  it('holding RSTPD_N low and releasing it restarts the PN532 (back to LowVbat)', async () => {
    const clock = new VirtualClock();
    const device = createVirtualDevice({ clock, board: loadBoard('pico'), bundleSource: await testFirmwareSource() });
    hello(device, clock);
    expect(device.pn532.asleep).toBe(false);
    device.runtime.evaluate('digitalWrite(B5, 0); digitalWrite(B5, 1);');
    expect(device.pn532.asleep).toBe(true);
  });
});

// The real firmware, bundled from firmware/src/main.ts now. It is started exactly as on a board
// (bundle + boot line + power-on), so it must expose Firmware.start (the agreed contract). A bundle
// that fails to build or load fails here; it is not a reason to skip.
async function realFirmware(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'vdev-')), 'firmware.js');
  return bundle(join(firmwareDir, 'src/main.ts'), out, 'Firmware');
}

describe('virtual device with the real firmware (firmware/src/main.ts exposes Firmware.start)', () => {
  let realSource = '';
  beforeAll(async () => {
    realSource = await realFirmware();
  });

  it('loads in the shim and exposes Firmware.start', () => {
    const probe = new EspruinoRuntime({ clock: new VirtualClock() });
    probe.load(realSource);
    expect(probe.evaluate("typeof Firmware === 'object' && typeof Firmware.start === 'function'")).toBe(true);
  });

  it.each(['pico', 'pico-i2c', 'pico-spi'])('%s: answers hello over the protocol, no uncaught errors', (name) => {
    const clock = new VirtualClock();
    const device = createVirtualDevice({ clock, board: loadBoard(name), bundleSource: realSource });
    const got = hello(device, clock);
    expect(device.errors).toEqual([]);
    expect(got.map((m) => m.message.type)).toContain('hello-reply');
  });
});
