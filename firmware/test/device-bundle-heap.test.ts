// The Pico device bundle has no TypeScript SM unwrap (NATIVE_ONLY): every protected answer is
// opened by sm_unwrap, in the stage (short answers, never flat themselves) or in a flat copy. On a
// fragmented heap, where a 2 KB extended-length answer has no flat copy, the answer is dropped
// (its SSC step taken) and answered as 6700: the read goes on in short blocks and still verifies.
import { randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '@epassport/hardware/boards/index';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { createVirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { FILE } from '@epassport/protocol';
import { bundle, FIRMWARE_ENTRY } from '../tools/bundler';
import { deviceOptions } from '../tools/device-bundles';
import { filesOf, Host, newPassport } from './device-host';

let picoSource: Promise<string> | null = null;

async function readAnna(flatLimit: number, maxRead = 2048) {
  picoSource ??= bundle(FIRMWARE_ENTRY, join(mkdtempSync(join(tmpdir(), 'fw-heap-')), 'firmware.js'), 'Firmware', deviceOptions('hsu'));
  const source = await picoSource;
  const clock = new VirtualClock();
  const fixture = loadFixture('utopia-anna');
  const device = createVirtualDevice({
    clock, board: { ...loadBoard('pico'), maxRead }, card: newPassport(fixture, { extendedLength: true }), bundleSource: source, start: false, native: 'emulator',
  });
  const install = device.runtime.evaluate('(function (f) { if (typeof E.hwRand !== "function") E.hwRand = f; })') as (f: () => number) => void;
  install(() => randomInt(0, 0xffffffff) | 0);
  device.runtime.nativeCalls.flatLimit = flatLimit;
  device.start();
  const host = new Host(device, clock);
  host.hello();
  const messages = host.read({ ...fixture.bac, dataGroups: [1, 2, 15] });
  device.stop();
  return { fixture, device, messages, counts: device.runtime.nativeCalls.counts };
}

describe('Pico device bundle: every SM answer opened natively', () => {
  it('reads utopia-anna (extended length) verified with no array above 900 bytes flat, in short blocks, as with a whole heap', async () => {
    const whole = await readAnna(Infinity);
    const frag = await readAnna(900);
    for (const r of [whole, frag]) {
      expect(r.device.errors).toEqual([]);
      expect(r.messages[r.messages.length - 1]).toMatchObject({ type: 'result', ok: true });
      const files = filesOf(r.messages);
      for (const id of [FILE.COM, FILE.SOD, 1, 2, 15]) expect(files.get(id)).toEqual(r.fixture.files[id]);
    }
    // Whole heap: DG2 in 2 KB extended blocks. Fragmented: the first 2 KB answer could not be
    // copied flat, so DG2 came in 239-byte blocks: many more answers, every one through sm_unwrap.
    expect(frag.counts.sm_unwrap).toBeGreaterThan(whole.counts.sm_unwrap + 40);
  }, 120_000);

  it('pico.json\'s maxRead (1,024) reads an extended-length chip in 1 KB blocks, verified: more answers than 2 KB blocks, fewer than short ones', async () => {
    const board = loadBoard('pico').maxRead;
    expect(board).toBe(1024);
    const runs = [await readAnna(Infinity, 2048), await readAnna(Infinity, board), await readAnna(Infinity, 256)];
    for (const r of runs) {
      expect(r.device.errors).toEqual([]);
      expect(r.messages[r.messages.length - 1]).toMatchObject({ type: 'result', ok: true });
      const files = filesOf(r.messages);
      for (const id of [FILE.COM, FILE.SOD, 1, 2, 15]) expect(files.get(id)).toEqual(r.fixture.files[id]);
    }
    const [whole, pico, short] = runs.map((r) => r.counts.sm_unwrap);
    expect(pico).toBeGreaterThan(whole);
    expect(short).toBeGreaterThan(pico);
  }, 120_000);
});
