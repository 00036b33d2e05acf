// The bundled firmware reading utopia-anna with every native call executed as the committed
// blob's exact bytes on the emulated Cortex-M4 (shim native: 'emulator'), and the same read on
// the TypeScript fallback: the host must see the same bytes on USB.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '@epassport/hardware/boards/index';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { createVirtualDevice, type VirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { emulatorMissing } from '@epassport/hardware/shim/native-emulator';
import { requireTool, TOOLS } from '../../test/support/requires-tool';
import { FILE, type Message } from '@epassport/protocol';
import { bundle, FIRMWARE_ENTRY } from '../tools/bundler';
import { checkBundle } from '../tools/espruino-gate';
import { filesOf, firmwareBundle, Host, newPassport } from './device-host';

const emulator = requireTool(
  { name: 'Cortex-M4 emulator', install: TOOLS['python3-unicorn'].install, problem: () => emulatorMissing() ?? TOOLS['python3-unicorn'].problem() },
  'the bundled firmware reading with every native call on the emulated Cortex-M4',
);

interface Run {
  device: VirtualDevice;
  messages: Message[];
  usb: number[];
  wallMs: number;
}

let deviceBundle: Promise<string> | null = null;

/** The Pico's device bundle (NATIVE_ONLY, HSU only), as tools/device-bundles.ts builds it. */
function picoDeviceBundle(): Promise<string> {
  if (!deviceBundle) {
    const out = join(mkdtempSync(join(tmpdir(), 'fw-device-')), 'firmware-pico.js');
    deviceBundle = bundle(FIRMWARE_ENTRY, out, 'Firmware', { nativeOnly: true, bus: 'hsu' }).then((source) => {
      expect(checkBundle(source)).toEqual([]);
      return out;
    });
  }
  return deviceBundle;
}

async function readAnna(native?: 'emulator', bundlePath?: string, options: { flatLimit?: number; extendedLength?: boolean } = {}): Promise<Run> {
  const fixture = loadFixture('utopia-anna');
  const clock = new VirtualClock();
  const device = createVirtualDevice({
    // The Pico's wiring with extended reads allowed: the fragmented-heap case needs 2 KB answers.
    clock, board: { ...loadBoard('pico'), maxRead: 2048 }, card: newPassport(fixture, { extendedLength: options.extendedLength }),
    bundlePath: bundlePath ?? (await firmwareBundle()), native,
  });
  device.runtime.nativeCalls.flatLimit = options.flatLimit ?? Infinity;
  const usb: number[] = [];
  device.usb.onData((b) => usb.push(...b));
  const host = new Host(device, clock);
  const t0 = performance.now();
  host.hello();
  const messages = host.read({ ...fixture.bac, dataGroups: [1, 2, 15] });
  const wallMs = performance.now() - t0;
  device.stop();
  return { device, messages, usb, wallMs };
}

describe.skipIf(!emulator)('bundled firmware on the native blob (emulated Cortex-M4)', () => {
  it('reads utopia-anna verified with every crypto, CRC, COBS and PN532 checksum call on the blob, and the TS fallback sends the same bytes', async () => {
    const native = await readAnna('emulator');
    const fixture = loadFixture('utopia-anna');
    expect(native.device.errors).toEqual([]);
    expect(native.messages[native.messages.length - 1]).toMatchObject({ type: 'result', ok: true });
    const files = filesOf(native.messages);
    for (const id of [FILE.COM, FILE.SOD, 1, 2, 15]) expect(files.get(id)).toEqual(fixture.files[id]);
    const ends = native.messages.filter((m) => m.type === 'file-end');
    expect(ends.map((m) => m.type === 'file-end' && m.verdict)).toEqual(['not-checked', 'not-checked', 'match', 'match', 'match']);

    const counts = native.device.runtime.nativeCalls.counts;
    for (const entry of ['des_setkey', 'des_cbc', 'mac_update', 'mac_final', 'sha256_update', 'sha256_final', 'sha1_update', 'crc16', 'cobs_encode', 'cobs_decode', 'pn532_dcs', 'wipe', 'sm_unwrap']) {
      expect(counts[entry], entry).toBeGreaterThan(0);
    }
    // SM keys wiped natively at the end of the session (both key schedules and the MAC's).
    expect(counts.wipe).toBeGreaterThanOrEqual(2);
    const calls = native.device.runtime.nativeCalls;
    console.log(`native read: ${calls.total} calls in ${native.wallMs.toFixed(0)} ms wall`, JSON.stringify(counts), JSON.stringify(calls.instructions));

    const ts = await readAnna();
    expect(ts.device.runtime.nativeCalls.total).toBe(0);
    expect(ts.device.errors).toEqual([]);
    expect(Buffer.from(ts.usb).equals(Buffer.from(native.usb))).toBe(true);
    console.log(`TS read: ${ts.wallMs.toFixed(0)} ms wall`);
  }, 120_000);

  it('the Pico device bundle (NATIVE_ONLY: no TypeScript crypto in it) reads verified on the blob, and refuses to read without it', async () => {
    const path = await picoDeviceBundle();
    const native = await readAnna('emulator', path);
    expect(native.device.errors).toEqual([]);
    expect(native.messages[native.messages.length - 1]).toMatchObject({ type: 'result', ok: true });
    expect(native.device.runtime.nativeCalls.counts.des_cbc).toBeGreaterThan(0);
    // No blob in Storage: BAC cannot run, the read ends in an error instead of a silent fallback.
    const none = await readAnna(undefined, path);
    const last = none.messages[none.messages.length - 1];
    expect(last.type).toBe('error');
    expect(none.device.runtime.nativeCalls.total).toBe(0);
  }, 120_000);

  it('on a fragmented heap (no array above 400 bytes is flat) the seams copy extended-length answers through their stage: same USB bytes', async () => {
    const fragmented = await readAnna('emulator', undefined, { flatLimit: 400, extendedLength: true });
    const plain = await readAnna(undefined, undefined, { extendedLength: true });
    expect(fragmented.device.errors).toEqual([]);
    const counts = fragmented.device.runtime.nativeCalls.counts;
    // More decryptions than MAC'd messages: the long answers went through the stage in 256-byte
    // pieces (flat, one des_cbc call per answer: 16 calls for 30 messages).
    expect(counts.des_cbc).toBeGreaterThan(counts.mac_final);
    // The 808-byte SM ctx is not flat either: two 400-byte contexts and the TypeScript unwrap.
    expect(counts.sm_unwrap).toBe(0);
    // A link frame is built in the 521-byte frame buffer, not flat: its CRC-16 and COBS fall back
    // to the protocol's TypeScript (the 134-byte receive buffer is flat: acks decode natively).
    expect(counts.crc16 + counts.cobs_encode).toBe(counts.cobs_decode);
    expect(counts.cobs_encode).toBe(0);
    expect(Buffer.from(fragmented.usb).equals(Buffer.from(plain.usb))).toBe(true);
  }, 120_000);
});
