// Smoke test of the bench (the bench itself stays out of `npm test`): one small reading through
// the whole chain. No timing thresholds: only what must hold whatever the speed.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { countCrypto, deviceCpuMs, readBlockJsUs } from './device-cpu';
import { formatTable } from './format';
import { busMicrosPerByte, standardConfigs, withFastBaud } from './link-config';
import { airMicrosPerByte } from './link-limit';
import { PHASES, bundleFirmware, runReading } from './run-reading';

let bundlePath = '';
beforeAll(async () => {
  bundlePath = await bundleFirmware();
});

describe('bench', () => {
  it('reads DG1 through the chain on the fastest HSU link: verified, and never faster than the link limit', () => {
    const link = standardConfigs().find((c) => c.name.startsWith('HSU 1288000'))!;
    expect(link.board.nfc).toMatchObject({ bus: 'hsu', fastBaud: 1_288_000 });
    const r = runReading('utopia-anna', link, { bundlePath, dataGroups: [1], passport: { extendedLength: true } });
    expect(r.verified).toBe(true);
    const f = loadFixture('utopia-anna').files;
    expect(r.fileBytes).toBe(f[0x1e].length + f[0x1d].length + f[1].length);
    // The link limit from its definition (link-limit.ts), not from the function that computed it:
    // per byte 9 etu of 32/fc on air at 424 kbit/s (fc = 13.56 MHz) + 10 bits at 1,288,000 baud.
    const microsPerByte = (9 * 32) / 13.56 + 10e6 / 1_288_000;
    expect(r.limitMs).toBeCloseTo((r.fileBytes * microsPerByte) / 1000, 6);
    expect(r.ratio).toBeGreaterThan(0);
    expect(r.ratio).toBeLessThan(1);
    // The phases tile the device time; DG2 and DG15 were not read.
    const device = PHASES.filter((p) => p !== 'PA host').reduce((n, p) => n + r.phases[p], 0);
    expect(device).toBeCloseTo(r.deviceMs, 6);
    expect(r.phases.DG2).toBe(0);
    expect(r.phases.BAC).toBeGreaterThan(0);
    expect(r.apdus).toBeGreaterThanOrEqual(5); // SELECT, GET CHALLENGE, MUTUAL AUTH, one READ per file at least
    expect(r.uartBytes).toBeGreaterThan(r.fileBytes);
    expect(r.airBytes).toBeGreaterThan(r.fileBytes);
    expect(r.crypto.des).toBeGreaterThan(0);
    expect(r.crypto.tdes).toBeGreaterThanOrEqual(Math.floor(r.fileBytes / 8));
    expect(formatTable([r])).toContain('| utopia-anna | extended | HSU 1288000 / 424 |');
    // Device CPU is in the total: > 0, and the total is the sum of its parts.
    expect(r.deviceCpuMs.low).toBeGreaterThan(0);
    expect(r.deviceCpuMs.high).toBeGreaterThanOrEqual(r.deviceCpuMs.low);
    expect(r.totalMs).toBeCloseTo(r.deviceMs + r.deviceCpuMs.high + r.phases['PA host'], 6);
    expect(r.totalMs).toBeGreaterThanOrEqual(r.deviceMs + r.nativeMs.high + r.jsMs.high - r.overlapMs.high + r.phases['PA host'] - 1e-6);
    expect(r.cpuShare.high).toBeGreaterThan(0);
    expect(r.cpuShare.high).toBeLessThan(1);
    // The PN532 limit adds framing to the link limit; neither is beaten.
    expect(r.pn532LimitMs).toBeGreaterThan(r.limitMs);
    expect(r.pn532Ratio).toBeLessThan(1);
    expect(r.exchanges).toBeGreaterThanOrEqual(r.apdus);
  });

  it('the pipeline only ever takes CPU time off, never more than the CPU; without it nothing overlaps', () => {
    const link = standardConfigs().find((c) => c.name.startsWith('HSU 1288000'))!;
    const on = runReading('utopia-anna', link, { bundlePath, dataGroups: [1, 15], passport: { extendedLength: false } });
    const off = runReading('utopia-anna', link, { bundlePath, dataGroups: [1, 15], passport: { extendedLength: false }, pipeline: false });
    expect(off.overlapMs.high).toBe(0);
    expect(on.overlapMs.high).toBeGreaterThan(0);
    expect(on.overlapMs.high).toBeLessThan(on.nativeMs.high + on.jsMs.high);
    expect(on.totalMs).toBeLessThan(off.totalMs);
    // never faster than the link limit, with or without
    expect(on.totalMs).toBeGreaterThan(on.limitMs);
  });

  it('a read with DG15 includes Active Authentication: its own phase, and the chip\'s answer verifies', () => {
    const link = standardConfigs().find((c) => c.name.startsWith('HSU 1288000'))!;
    const r = runReading('utopia-anna', link, { bundlePath, dataGroups: [1, 15], passport: { extendedLength: true } });
    expect(r.verified).toBe(true);
    expect(r.phases.AA).toBeGreaterThanOrEqual(250); // the chip's modelled RSA time alone (DEFAULT_PROCESSING_MS)
    const f = loadFixture('utopia-anna').files;
    expect(r.fileBytes).toBe(f[0x1e].length + f[0x1d].length + f[1].length + f[15].length); // the signature is not counted
  });

  it('counts the cryptography of secure messaging from the APDUs', () => {
    // A protected READ BINARY (MAC over SSC, header, DO97: 3 blocks + 2) and its answer with a
    // 16-byte cryptogram (MAC over SSC + DO87 19 B + DO99 4 B = 31 B: 4 + 2; 2 3DES blocks).
    const cmd = Uint8Array.from([0x0c, 0xb0, 0, 0, 0x0d, 0x97, 1, 0x10, 0x8e, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0]);
    const resp = Uint8Array.from([0x87, 0x11, 0x01, ...new Array(16).fill(7), 0x99, 2, 0x90, 0, 0x8e, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0]);
    const n = countCrypto([{ at: 0, command: cmd, response: resp }], 'sha256', [100]);
    expect(n.des).toBe(3 + 2 + 4 + 2);
    expect(n.tdes).toBe(2);
    expect(n.sha256).toBe(2); // 100 bytes + 80 + length: two 64-byte blocks
    expect(n.sha1).toBe(3); // the MRZ key and K_enc, K_mac
    // CPU grows with every kind of work, and the JS per block with the block size.
    const work = { crypto: n, readBlocks: [239], otherProtected: 0, plainApdus: 0, hostFrames: 1, usbOutBytes: 300, usbInBytes: 20, uartBytes: 300 };
    const base = deviceCpuMs(work).total.high;
    expect(base).toBeGreaterThan(0);
    expect(deviceCpuMs({ ...work, crypto: { ...n, tdes: n.tdes + 128 } }).total.high).toBeGreaterThan(base);
    expect(deviceCpuMs({ ...work, readBlocks: [239, 239] }).total.high).toBeGreaterThan(base);
    expect(deviceCpuMs({ ...work, hostFrames: 2 }).total.high).toBeGreaterThan(base);
    expect(readBlockJsUs(2048).high).toBeGreaterThan(readBlockJsUs(239).high);
  });

  it('link configurations: 106 via the ATS, HSU speeds via fastBaud, bus costs per byte', () => {
    expect(airMicrosPerByte(106)).toBeCloseTo(84.96, 1);
    expect(airMicrosPerByte(424)).toBeCloseTo(21.24, 1);
    expect(busMicrosPerByte(withFastBaud('pico', 115200)).micros).toBeCloseTo(86.8, 1);
    expect(busMicrosPerByte(standardConfigs().find((c) => c.name.startsWith('I2C'))!.board).micros).toBeCloseTo(22.5, 1);
    const names = standardConfigs().map((c) => c.name);
    expect(names).toEqual(['HSU 115200 / 106', 'HSU 921600 / 424', 'HSU 1288000 / 424', 'I2C 400k / 424', 'SPI 1M / 424']);
  });
});
