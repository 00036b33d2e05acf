// The Espruino WiFi's DEVICE bundle (boards/espruino-wifi.json "pace": true: built from
// main-pace.ts with the device options, NATIVE_ONLY, as `npm run flash` stores it) on the
// emulated blobs `native` and `pace`: the PACE-only sample reads VERIFIED with chip authenticity
// chip-authentication (the host SDK's own verdict over the streamed files), a BAC-only sample
// reads VERIFIED through the BAC fallback, and without the PACE blob the bundle does BAC only.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAP, type Message } from '@epassport/protocol';
import { assembleDocument } from '@epassport/host-sdk/document/assemble';
import { TrustStore } from '@epassport/host-sdk/pa/trust-store';
import type { FileRecord } from '@epassport/host-sdk/passport-document';
import { loadFixture, type Fixture } from '@epassport/hardware/fixtures/index';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { emulatorMissing } from '@epassport/hardware/shim/native-emulator';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import { createVirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { requireTool, TOOLS } from '../../test/support/requires-tool';
import { bundle } from '../tools/bundler';
import { buildDeviceBundle, deviceBundles, PACE_ENTRY } from '../tools/device-bundles';
import { checkBundle } from '../tools/espruino-gate';
import { filesOf, Host } from './device-host';

const emulator = requireTool(
  { name: 'Cortex-M4 emulator', install: TOOLS['python3-unicorn'].install, problem: () => emulatorMissing() ?? TOOLS['python3-unicorn'].problem() },
  'the Espruino WiFi device bundle with PACE on the emulated blobs',
);

const wifi = deviceBundles().find((b) => b.board === 'espruino-wifi')!;
let built: Promise<string> | null = null;

/** The WiFi device bundle, built as `npm run build` builds dist/firmware-espruino-wifi.js. */
function wifiBundle(): Promise<string> {
  if (!built) built = buildDeviceBundle({ ...wifi, path: join(mkdtempSync(join(tmpdir(), 'fw-wifi-')), 'firmware-espruino-wifi.js') });
  return built;
}

/** A WiFi board with the fixture's passport (a PACE-only one refuses BAC with 6D00); `withoutPace`
 * erases Storage file `pace` before power-on (a board flashed without the PACE blob). */
async function rig(name: string, withoutPace = false) {
  const fixture = loadFixture(name);
  const passport = new VirtualPassport(fixture.files, fixture.bac, { chipAuthKey: fixture.chipAuthPrivateKey, bacRefusedSw: fixture.paceOnly ? 0x6d00 : undefined });
  const clock = new VirtualClock();
  const device = createVirtualDevice({ clock, board: wifi.config, card: passport, bundleSource: await wifiBundle(), native: 'emulator', start: false });
  if (withoutPace) device.runtime.evaluate(`require('Storage').erase('pace')`);
  device.start();
  return { device, host: new Host(device, clock), fixture };
}

/** What the host SDK concludes from the read: passive authentication against the fixture's CSCA,
 * the device's Chip Authentication outcome, the verdict. */
function hostVerdict(messages: Message[], fixture: Fixture, dataGroups: number[]) {
  const files = new Map<number, FileRecord>();
  const bytes = filesOf(messages);
  for (const m of messages) {
    if (m.type === 'file-end') files.set(m.fileId, { fileId: m.fileId, name: String(m.fileId), bytes: bytes.get(m.fileId)!, deviceVerdict: m.verdict, deviceDigest: m.digest });
  }
  const trust = new TrustStore();
  trust.add(fixture.cscaCertificate);
  const last = messages[messages.length - 1];
  return assembleDocument({
    files, dg1: undefined, faces: [], parseErrors: [], requestedGroups: dataGroups, defaultGroups: dataGroups, challenge: null, aaResponse: undefined,
    chipAuth: last.type === 'result' ? last.chipAuth : undefined, trustStore: trust, stats: { bytesRead: 0, apdus: 0, elapsedMs: 0, damagedFrames: 0 },
  });
}

const result = (ms: Message[]) => ms[ms.length - 1];

describe.skipIf(!emulator)('Espruino WiFi device bundle with PACE (main-pace.ts, NATIVE_ONLY) on the emulated blobs', () => {
  it('is built from main-pace.ts, passes the gate, and holds no TypeScript AES, EC or DES', async () => {
    expect(wifi.config.pace).toBe(true);
    expect(wifi.entry).toBe(PACE_ENTRY);
    const source = await wifiBundle();
    expect(checkBundle(source)).toEqual([]);
    // Marks of the TypeScript crypto: P-256's field prime (the EC reference's tables), AES's
    // xtime mask 0x7f7f7f7f, DES's S-boxes. All in the portable PACE bundle, none in this one.
    const marks = ['ffffffff00000001000000000000000000000000ffffffffffffffffffffffff', '2139062143', 'e4d12fb83a6c5907'];
    const portable = await bundle(PACE_ENTRY, join(mkdtempSync(join(tmpdir(), 'fw-pace-')), 'firmware-pace.js'), 'Firmware');
    for (const m of marks) expect(portable, m).toContain(m);
    for (const m of marks) expect(source, m).not.toContain(m);
  }, 60_000);

  it('utopia-pace (PACE only): PACE-GM and Chip Authentication on pace.bin, VERIFIED with chip-authentication', async () => {
    const r = await rig('utopia-pace');
    expect(r.host.hello().capabilities & CAP.PACE).toBeTruthy();
    const ms = r.host.read({ ...r.fixture.bac, dataGroups: [1, 2, 14] });
    expect(result(ms)).toMatchObject({ type: 'result', ok: true, chipAuth: 'ok' });
    const doc = hostVerdict(ms, r.fixture, [1, 2, 14]);
    expect(doc.chipAuthenticity).toBe('chip-authentication');
    expect(doc.verdict).toEqual({ verified: true, reasons: [] });
    const counts = r.device.runtime.nativeCalls.counts;
    // PACE: pkMap, H, s*G, pkDh, K; CA: our key, the shared point; G' = s*G + H. No BAC: no DES.
    expect([counts.ec_mul, counts.ec_add, counts.des_cbc]).toEqual([7, 1, 0]);
    expect(counts.sha256_update).toBeGreaterThan(0);
    expect(r.device.errors).toEqual([]);
    r.device.stop();
  }, 120_000);

  it('utopia-anna (BAC only, no EF.CardAccess): falls back to BAC and reads VERIFIED', async () => {
    const r = await rig('utopia-anna');
    const ms = r.host.read({ ...r.fixture.bac, dataGroups: [1, 2, 15] });
    expect(result(ms)).toMatchObject({ type: 'result', ok: true });
    expect((result(ms) as { chipAuth?: string }).chipAuth).toBeUndefined();
    expect(hostVerdict(ms, r.fixture, [1, 2, 15]).verdict).toEqual({ verified: true, reasons: [] });
    const counts = r.device.runtime.nativeCalls.counts;
    expect(counts.ec_mul).toBe(0);
    expect(counts.des_cbc).toBeGreaterThan(0);
    expect(r.device.errors).toEqual([]);
    r.device.stop();
  }, 120_000);

  it('without the PACE blob: no PACE advertised, a BAC chip still reads, a PACE-only chip ends in a typed error', async () => {
    const bac = await rig('utopia-anna', true);
    expect(bac.host.hello().capabilities & CAP.PACE).toBe(0);
    const ms = bac.host.read({ ...bac.fixture.bac, dataGroups: [1] });
    expect(result(ms)).toMatchObject({ type: 'result', ok: true });
    expect(bac.device.runtime.nativeCalls.counts.ec_mul).toBe(0);
    bac.device.stop();

    const pace = await rig('utopia-pace', true);
    const refused = pace.host.read({ ...pace.fixture.bac, dataGroups: [1] });
    const last = result(refused);
    // BAC's refusal, typed: the chip answers GET CHALLENGE 6D00 (no BAC on a PACE-only chip).
    expect(last).toMatchObject({ type: 'error', code: 'unsupported', sw: 0x6d00, message: '' });
    expect(refused.some((m) => m.type === 'file-begin')).toBe(false);
    expect(pace.device.runtime.nativeCalls.counts.ec_mul).toBe(0);
    expect(pace.device.errors).toEqual([]);
    pace.device.stop();
  }, 120_000);
});
