// Independent conformance: Debian's libnfc (nfc-list, pn53x-tamashell) drives the simulated
// PN532 over a real pseudo-terminal, on a RealClock. libnfc checks framing, ACKs, TFI, command
// codes, checksums and the target data layout; it cannot check timing (a pty has no baud rate).

import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servePn532OnPty, type PtyPn532 } from './serve-pty';
import { EchoCard, EmrtdStubCard, TypeBStubCard } from '../test-cards';
import type { Card } from '../card';
import { requireTool } from '../../../test/support/requires-tool';

const withNfcList = requireTool(['pty', 'nfc-list'], 'libnfc nfc-list against the simulated PN532');
const withNfcPoll = requireTool(['pty', 'nfc-poll'], 'libnfc nfc-poll against the simulated PN532');
const withTamashell = requireTool(['pty', 'nfc-list', 'pn53x-tamashell'], 'libnfc pn53x-tamashell against the simulated PN532');

/** Runs a libnfc tool against the pty; killed (SIGKILL) if it outlives `timeoutMs`. */
function run(tool: string, args: string[], path: string, timeoutMs = 30_000, logLevel = '0'): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(
      tool,
      args,
      { env: { ...process.env, LIBNFC_DEVICE: `pn532_uart:${path}`, LIBNFC_LOG_LEVEL: logLevel }, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code: unknown = err ? (err as { code?: unknown }).code : 0;
        resolve({ code: typeof code === 'number' ? code : -1, out: stdout + stderr });
      },
    );
  });
}

let served: PtyPn532 | null = null;
async function serve(card: Card | null): Promise<PtyPn532> {
  served = await servePn532OnPty({ card });
  return served;
}

afterEach(async () => {
  await served?.close();
  served = null;
});

describe.skipIf(!withNfcPoll)('libnfc nfc-poll against the simulated PN532 (InAutoPoll)', () => {
  it('polls the type A card with InAutoPoll and reports it', { timeout: 60_000 }, async () => {
    const { path, sim } = await serve(new EmrtdStubCard());
    const r = await run('nfc-poll', [], path, 30_000, '3');
    // libnfc's own trace shows the InAutoPoll frame: PollNr 20, Period 2 (300 ms), seven target types.
    expect(r.out).toMatch(/TX: 00 00 ff 0b f5 d4 60 14 02 20 10 03 11 12 04 03/i);
    expect(r.out).toMatch(/ISO\/IEC 14443A \(106 kbps\) target:/);
    expect(r.out).toMatch(/UID \(NFCID\d\): 08 {2}3c {2}5a {2}91/);
    expect(r.out).toMatch(/ATS: 75 {2}77 {2}81 {2}02 {2}80/);
    expect(sim.stats.errorFrames).toBe(0);
  });
});

describe.skipIf(!withNfcList)('libnfc nfc-list against the simulated PN532', () => {
  it('lists the type A card with its ATS', { timeout: 60_000 }, async () => {
    const { path, sim } = await serve(new EmrtdStubCard());
    const r = await run('nfc-list', [], path);
    expect(r.out).toContain('1 ISO14443A passive target(s) found');
    expect(r.out).toMatch(/ATQA \(SENS_RES\): 00 {2}04/);
    expect(r.out).toMatch(/UID \(NFCID\d\): 08 {2}3c {2}5a {2}91/);
    expect(r.out).toMatch(/SAK \(SEL_RES\): 20/);
    expect(r.out).toMatch(/ATS: 75 {2}77 {2}81 {2}02 {2}80/);
    expect(r.code).toBe(0);
    // libnfc closes with PowerDown; a second run wakes the chip with its preamble again.
    expect(sim.chip.power).toBe('power-down');
    const again = await run('nfc-list', [], path);
    expect(again.out).toContain('1 ISO14443A passive target(s) found');
    expect(sim.stats.badFrames).toBe(0);
    expect(sim.stats.errorFrames).toBe(0);
  });

  it('lists a type B card (ATQB, ATTRIB done by the chip)', { timeout: 60_000 }, async () => {
    const { path } = await serve(new TypeBStubCard());
    const r = await run('nfc-list', [], path);
    expect(r.out).toContain('1 ISO14443B passive target(s) found');
    expect(r.out).toMatch(/PUPI: 1a {2}2b {2}3c {2}4d/);
  });

  it('finds nothing in an empty field', { timeout: 60_000 }, async () => {
    const { path } = await serve(null);
    const r = await run('nfc-list', [], path);
    expect(r.out).toContain('NFC device: ');
    expect(r.out).not.toContain('passive target(s) found');
  });
});

describe.skipIf(!withTamashell)('libnfc pn53x-tamashell against the simulated PN532', () => {
  it('selects the eMRTD application through InDataExchange and gets 90 00', { timeout: 60_000 }, async () => {
    const { path } = await serve(new EmrtdStubCard());
    const dir = mkdtempSync(join(tmpdir(), 'tamashell-'));
    const script = join(dir, 'select.cmd');
    writeFileSync(script, ['4A 01 00', '40 01 00 A4 04 0C 07 A0 00 00 02 47 10 01', '40 01 00 B0 00 00 10', ''].join('\n'));
    try {
      const r = await run('pn53x-tamashell', [script], path);
      const rx = r.out.split('\n').filter((l) => l.startsWith('Rx:')).map((l) => l.replace(/^Rx:\s*/, '').trim().split(/\s+/).join(' '));
      expect(rx).toEqual(['01 01 00 04 20 04 08 3c 5a 91 06 75 77 81 02 80', '00 90 00', '00 6d 00']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('carries a 258-byte R-APDU, and libnfc itself fetches the MI continuation of a 502-byte one', { timeout: 60_000 }, async () => {
    const { path } = await serve(new EchoCard());
    const dir = mkdtempSync(join(tmpdir(), 'tamashell-'));
    const script = join(dir, 'read.cmd');
    writeFileSync(script, ['4A 01 00', '40 01 00 B0 00 00 00', '40 01 00 B0 00 00 00 01 F4', ''].join('\n'));
    try {
      const r = await run('pn53x-tamashell', [script], path, 30_000, '3');
      const rx = r.out.split('\n').filter((l) => l.startsWith('Rx:')).map((l) => l.replace(/^Rx:\s*/, '').trim().split(/\s+/));
      expect(rx[1].length).toBe(1 + 258);
      expect(rx[1].slice(-2).join(' ')).toBe('90 00');
      // LAB (fact sheet §4): D5 41 40 <262 B>, then libnfc sends D4 40 01 on its own, gets
      // D5 41 00 <240 B> and then gives up: its buffer holds 264 bytes.
      const bus = r.out.split('\n').filter((l) => /libnfc\.bus\.uart\t(RX|TX): /.test(l)).map((l) => l.replace(/^.*(RX|TX): /, '$1 ').trim());
      const first = bus.findIndex((l) => l.startsWith('RX 40 ') && l.split(' ').length === 1 + 1 + 262);
      expect(first).toBeGreaterThan(0);
      const cont = bus.indexOf('TX 00 00 ff 03 fd d4 40 01 eb 00', first);
      expect(cont).toBeGreaterThan(first);
      const second = bus.findIndex((l, i) => i > cont && l.startsWith('RX 00 ') && l.split(' ').length === 1 + 1 + 240);
      expect(second).toBeGreaterThan(cont);
      expect(r.out).toContain('Communication Buffer Too Small');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
