// The device bundles (what `npm run flash` stores: NATIVE_ONLY, one PN532 bus, no error prose,
// every internal name shortened) run a whole read in the shim with the native blob executed on
// the emulated Cortex-M4, and fail a wrong MRZ with the same code as the portable bundle.
import { randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '@epassport/hardware/boards/index';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { createVirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { FILE, type Message } from '@epassport/protocol';
import { bundle, FIRMWARE_ENTRY } from '../tools/bundler';
import { deviceOptions } from '../tools/device-bundles';
import { checkBundle } from '../tools/espruino-gate';
import { entryModuleBytes } from '../tools/size-map';
import { filesOf, Host, newPassport } from './device-host';

/** Espruino API calls only one transport makes. */
const BUS_CALLS = { hsu: 'rx:Pin(', i2c: 'readFrom', spi: 'order:"lsb"' } as const;
/** The transports' own modules (the bus calls above are in main.ts, a transport's class is not). */
const TRANSPORT_MODULES = { hsu: 'src/pn532/hsu.ts', i2c: 'src/pn532/i2c.ts', spi: 'src/pn532/spi.ts' } as const;

/** Which transport modules left text in a device build for `bus` ('': all three buses), by the
 * build's source map (tools/size-map.ts): a class kept but never constructed shows here. */
async function transportsIn(bus: string): Promise<string[]> {
  const modules = [...(await entryModuleBytes(FIRMWARE_ENTRY, bus))];
  // Source names are relative to the working directory: matched by their end.
  return Object.entries(TRANSPORT_MODULES).filter(([, m]) => modules.some(([name, n]) => name.endsWith(m) && n > 0)).map(([b]) => b);
}

async function deviceRig(boardName: string) {
  const board = loadBoard(boardName);
  const source = await bundle(FIRMWARE_ENTRY, join(mkdtempSync(join(tmpdir(), 'fw-device-')), 'firmware.js'), 'Firmware', deviceOptions(board.nfc.bus));
  const clock = new VirtualClock();
  const fixture = loadFixture('utopia-anna');
  const device = createVirtualDevice({ clock, board, card: newPassport(fixture), bundleSource: source, start: false, native: 'emulator' });
  const install = device.runtime.evaluate('(function (f) { if (typeof E.hwRand !== "function") E.hwRand = f; })') as (f: () => number) => void;
  install(() => randomInt(0, 0xffffffff) | 0);
  device.start();
  return { source, board, fixture, device, host: new Host(device, clock) };
}

const final = (m: Message) => m.type === 'result' || m.type === 'error';

describe.each(['pico', 'pico-i2c', 'pico-spi'])('device bundle for %s on the emulated native blob', (boardName) => {
  it('holds only its own transport, passes the gate, reads utopia-anna byte for byte; a wrong MRZ is access-denied without prose', async () => {
    const r = await deviceRig(boardName);
    expect(checkBundle(r.source)).toEqual([]);
    for (const [bus, call] of Object.entries(BUS_CALLS)) expect(r.source.includes(call)).toBe(bus === r.board.nfc.bus);

    r.host.hello();
    const bac = r.fixture.bac;
    let from = r.host.messages.length;
    r.host.startRead({ ...bac, dataGroups: [1, 2, 15] });
    r.host.waitFor(final, from);
    const messages = r.host.messages.slice(from);
    expect(messages[messages.length - 1]).toMatchObject({ type: 'result', ok: true });
    const files = filesOf(messages);
    for (const id of [FILE.COM, FILE.SOD, 1, 2, 15]) expect(files.get(id)).toEqual(r.fixture.files[id]);
    // The crypto ran in the blob: the TypeScript DES and SHA are not in this bundle.
    expect(r.device.runtime.nativeCalls.counts.des_cbc).toBeGreaterThan(0);
    expect(r.device.runtime.nativeCalls.counts.sha256_update).toBeGreaterThan(0);

    from = r.host.messages.length;
    r.host.startRead({ ...bac, documentNumber: bac.documentNumber === 'L898902C3' ? 'L898902C4' : 'L898902C3', dataGroups: [1] });
    r.host.waitFor(final, from);
    const last = r.host.messages[r.host.messages.length - 1];
    expect(last).toMatchObject({ type: 'error', message: '' });
    expect(['access-denied', 'invalid-mrz']).toContain((last as { code: string }).code);
    expect(r.device.errors).toEqual([]);
  }, 120_000);
});

describe('device bundles: one transport', () => {
  it('no other transport module leaves code in a one-bus build; the check sees all three in an every-bus build', async () => {
    // The failing case first: f9dd26c found SpiTransport (1.3 KB) in the HSU bundle, which the
    // bus-call check above missed (its setup call had gone, its class had not).
    expect(await transportsIn('')).toEqual(['hsu', 'i2c', 'spi']);
    for (const bus of ['hsu', 'i2c', 'spi']) expect(await transportsIn(bus)).toEqual([bus]);
  }, 60_000);
});
