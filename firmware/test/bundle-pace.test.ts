// PACE and Chip Authentication on the BUNDLE built from main-pace.ts (TypeScript crypto here;
// test/e2e/pace.test.ts runs pace.bin on the emulator): the PACE-only sample reads with
// chipAuth 'ok', a clone gives 'failed', a BAC chip still reads with BAC, a wrong MRZ is
// access-denied, and the PACE capability is advertised.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAP, type Message } from '@epassport/protocol';
import { loadBoard } from '@epassport/hardware/boards/index';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import type { PassportOptions } from '@epassport/hardware/sim/passport/passport-options';
import type { Card, CardReply } from '@epassport/hardware/sim/card';
import { createVirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { bundle } from '../tools/bundler';
import { filesOf, Host } from './device-host';

let bundled: Promise<string> | null = null;
function paceBundle(): Promise<string> {
  if (!bundled) {
    const out = join(mkdtempSync(join(tmpdir(), 'fw-pace-')), 'firmware.js');
    bundled = bundle(join(import.meta.dirname, '../src/main-pace.ts'), out, 'Firmware').then(() => out);
  }
  return bundled;
}

/** The passport taken away before the chip answers the first command `when` picks, and laid
 * down again a second later (the chip restarts: PACE again). */
function hand(passport: VirtualPassport, clock: VirtualClock, when: (apdu: Uint8Array) => boolean): Card & { removed: number } {
  const h = {
    removed: 0,
    get identity() { return passport.identity; },
    isPresent: () => passport.isPresent(),
    reset: () => passport.reset(),
    transceive(apdu: Uint8Array): CardReply | null {
      if (!h.removed && passport.isPresent() && when(apdu)) {
        h.removed++;
        passport.remove();
        clock.setTimeout(() => passport.insert(), 1000);
      }
      return passport.transceive(apdu);
    },
  };
  return h;
}

async function rig(name: string, options: PassportOptions = {}, native?: 'emulator', when?: (apdu: Uint8Array) => boolean) {
  const out = await paceBundle();
  const fixture = loadFixture(name);
  const passport = new VirtualPassport(fixture.files, fixture.bac, { chipAuthKey: fixture.chipAuthPrivateKey, bacRefusedSw: fixture.paceOnly ? 0x6d00 : undefined, ...options });
  const clock = new VirtualClock();
  const card = when ? hand(passport, clock, when) : passport;
  const device = createVirtualDevice({ clock, board: loadBoard('espruino-wifi'), card, bundlePath: out, native });
  return { device, host: new Host(device, clock), fixture, passport, card };
}

const result = (ms: Message[]) => ms[ms.length - 1];

describe('PACE and Chip Authentication on the bundle (main-pace.ts)', () => {
  it('utopia-pace: PACE, DG14, CA ok, the files as on the chip; PACE advertised', async () => {
    const r = await rig('utopia-pace');
    expect(r.host.hello().capabilities & CAP.PACE).toBeTruthy();
    const ms = r.host.read({ ...r.fixture.bac, dataGroups: [1, 2, 14] });
    expect(result(ms)).toMatchObject({ type: 'result', ok: true, chipAuth: 'ok' });
    const files = filesOf(ms);
    for (const g of [1, 2, 14]) expect(files.get(g)).toEqual(r.fixture.files[g]);
    r.device.stop();
  });

  it('utopia-pace on pace.bin (emulator): the same read, every curve operation native', async () => {
    const r = await rig('utopia-pace', {}, 'emulator');
    const ms = r.host.read({ ...r.fixture.bac, dataGroups: [1, 2, 14] });
    expect(result(ms)).toMatchObject({ type: 'result', ok: true, chipAuth: 'ok' });
    const counts = r.device.runtime.nativeCalls.counts;
    expect([counts.ec_mul, counts.ec_add, counts.des_cbc]).toEqual([7, 1, 0]); // no BAC, no 3DES
    r.device.stop();
  });

  it.each([
    ['in the middle of DG2', (a: Uint8Array) => a[1] === 0xb0 && !(a[2] & 0x80) && ((a[2] << 8) | a[3]) > 2000],
    ['at Chip Authentication (its MSE:Set AT)', (a: Uint8Array) => a[1] === 0x22 && a[2] === 0x41],
  ])('a passport taken away %s comes back: PACE again, the read goes on, every byte once, CA ok', async (_what, when) => {
    const r = await rig('utopia-pace', {}, 'emulator', when);
    const ms = r.host.read({ ...r.fixture.bac, dataGroups: [1, 2, 14] });
    expect((r.card as { removed: number }).removed).toBe(1);
    expect(ms.some((m) => m.type === 'progress' && m.phase === 'resumed')).toBe(true);
    expect(result(ms)).toMatchObject({ type: 'result', ok: true, chipAuth: 'ok' });
    const files = filesOf(ms); // throws on a duplicate or a gap
    for (const g of [1, 2, 14]) expect(files.get(g)).toEqual(r.fixture.files[g]);
    expect(ms.filter((m) => m.type === 'file-begin').length).toBe(5);
    r.device.stop();
  });

  it('a BAC chip (no EF.CardAccess) still reads with BAC, chipAuth absent', async () => {
    const r = await rig('utopia-anna', {}, 'emulator');
    const ms = r.host.read({ ...r.fixture.bac, dataGroups: [1] });
    expect(result(ms)).toMatchObject({ type: 'result', ok: true });
    expect((result(ms) as { chipAuth?: string }).chipAuth).toBeUndefined();
    expect(r.device.runtime.nativeCalls.counts.ec_mul).toBe(0);
    r.device.stop();
  });
});
