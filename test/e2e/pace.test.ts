// PACE and Chip Authentication end to end through the bundle (issue #18): the firmware built from
// firmware/src/main-pace.ts runs in the shim with pace.bin on the emulated Cortex-M4, reads the
// PACE-only sample utopia-pace (BAC refused) with PACE-GM, runs Chip Authentication after DG14,
// and the SDK, over a real pty, says VERIFIED with chip authenticity chip-authentication. A
// clone (CA with another key) is NOT VERIFIED; a BAC chip still reads with BAC.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PassportReader } from '@epassport/host-sdk';
import { loadBoard } from '@epassport/hardware/boards/index';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import type { Card } from '@epassport/hardware/sim/card';
import { RealClock } from '@epassport/hardware/sim/clock';
import { emulatorMissing } from '@epassport/hardware/shim/native-emulator';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import type { PassportOptions } from '@epassport/hardware/sim/passport/passport-options';
import { createVirtualDevice, serveOnPty } from '@epassport/hardware/sim/virtual-device';
import { bundle } from '../../firmware/tools/bundler';
import { checkBundle } from '../../firmware/tools/espruino-gate';
import { requireTool } from '../support/requires-tool';
import { cscaPath, READ_TIMEOUT_MS } from '../support/virtual-reader';

const ROOT = join(import.meta.dirname, '../..');
let paceBundle: Promise<string> | null = null;
function paceFirmware(): Promise<string> {
  if (!paceBundle) {
    const out = join(mkdtempSync(join(tmpdir(), 'fw-pace-')), 'firmware-pace.js');
    paceBundle = bundle(join(ROOT, 'firmware/src/main-pace.ts'), out, 'Firmware').then((source) => {
      const v = checkBundle(source);
      if (v.length) throw new Error('PACE bundle fails the Espruino gate: ' + v.map((x) => x.message).join('; '));
      return out;
    });
  }
  return paceBundle;
}

const closers: Array<() => Promise<void>> = [];

async function reader(name: string, options: PassportOptions = {}) {
  const fixture = loadFixture(name);
  const passport = new VirtualPassport(fixture.files, fixture.bac, {
    chipAuthKey: fixture.chipAuthPrivateKey, bacRefusedSw: fixture.paceOnly ? 0x6d00 : undefined, activeAuthKey: fixture.activeAuthPrivateKey, ...options,
  });
  const device = createVirtualDevice({ clock: new RealClock(), board: loadBoard('espruino-wifi'), card: passport as Card, bundlePath: await paceFirmware(), native: 'emulator' });
  const server = await serveOnPty(device);
  closers.push(() => server.close());
  return { device, passport, fixture, reader: await PassportReader.open({ path: server.path }) };
}

/** The emulator runs one ec_mul (4.67 M Thumb instructions, ~56 ms on the board) in about a
 * second of wall time, and PACE does five without a message between them: the host's silence
 * limit is widened for the emulated chip only. */
const SLOW_EMULATOR = { silenceTimeoutMs: 30_000 };

const tools = requireTool(['pty', 'openssl'], 'e2e: PACE through the bundle') && emulatorMissing() === null;

describe.skipIf(!tools)('PACE and Chip Authentication through the bundle (pace.bin on the emulator)', () => {
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });

  it('utopia-pace (PACE only): PACE-GM, CA after DG14, VERIFIED with chip-authentication; the curves ran on pace.bin', async () => {
    const r = await reader('utopia-pace');
    try {
      const doc = await r.reader.read({ mrz: r.fixture.mrz }, { trust: cscaPath('utopia-pace'), ...SLOW_EMULATOR });
      expect(doc.chipAuthenticity).toBe('chip-authentication');
      expect(doc.verdict).toEqual({ verified: true, reasons: [] });
      expect(doc.dataGroups).toEqual([1, 2, 14]);
      const calls = r.device.runtime.nativeCalls;
      // PACE: pkMap = k*G, H, s*G, pkDh, K; CA: our key, the shared point. G' = s*G + H.
      expect([calls.counts.ec_mul, calls.counts.ec_add]).toEqual([7, 1]);
      expect(calls.counts.cmac_final).toBeGreaterThan(10);
    } finally {
      await r.reader.close();
    }
  }, READ_TIMEOUT_MS * 4);

  it('a clone (CA with another key than DG14): NOT VERIFIED, chip-not-authentic', async () => {
    const r = await reader('utopia-pace', { chipAuthFault: 'wrong-key' });
    try {
      const doc = await r.reader.read({ mrz: r.fixture.mrz }, { trust: cscaPath('utopia-pace'), ...SLOW_EMULATOR });
      expect(doc.chipAuthenticity).toBe('failed');
      expect(doc.verified).toBe(false);
    } finally {
      await r.reader.close();
    }
  }, READ_TIMEOUT_MS * 4);
});
