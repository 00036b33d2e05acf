// One bench reading: the bundled firmware in the Espruino shim on a VirtualClock, wired by a
// BoardConfig to the PN532 simulator, the virtual passport put down while the device polls, and
// the host side in the same process: the protocol's ReliableLink as the host SDK configures it,
// then the SDK's own parsers, passive authentication and Active Authentication check. The read
// includes Active Authentication (a challenge, INTERNAL AUTHENTICATE after DG15) as the SDK does. Modelled time is the virtual clock's;
// host CPU time is real (performance.now) around the host-side work.

import { randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import type { PassportOptions } from '@epassport/hardware/sim/passport/passport-options';
import { createVirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { FILE, PROTOCOL_VERSION, ReliableLink, type Message } from '@epassport/protocol';
import { parseDg1 } from '@epassport/host-sdk/lds/dg1';
import { parseDg2 } from '@epassport/host-sdk/lds/dg2';
import { parseEfCom } from '@epassport/host-sdk/lds/ef-com';
import { checkActiveAuthentication } from '@epassport/host-sdk/aa/active-authentication';
import { passiveAuthentication } from '@epassport/host-sdk/pa/passive-authentication';
import { parseSod } from '@epassport/host-sdk/pa/sod';
import { TrustStore } from '@epassport/host-sdk/pa/trust-store';
import { LINK_RETRANSMIT_MS, LINK_WINDOW } from '@epassport/host-sdk/session/link-session';
import { bundle } from '../../firmware/tools/bundler';
import { checkBundle } from '../../firmware/tools/espruino-gate';
import { countCrypto, cpuSeconds, type CryptoCounts } from './device-cpu';
import { ATS_106, ATS_424, busMicrosPerByte, type LinkConfig } from './link-config';
import { RecordingCard } from './recording-card';
import { linkLimitMs } from './link-limit';

/** 'AA': INTERNAL AUTHENTICATE (chip time dominates: DEFAULT_PROCESSING_MS.internalAuthenticate).
 * 'PA host' is the host's passive authentication and AA signature check, real CPU time. */
export const PHASES = ['connect', 'BAC', 'EF.COM', 'EF.SOD', 'DG1', 'DG2', 'DG15', 'AA', 'PA host'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  /** The firmware bundle to run (see firmwareBundle in firmware/test/device-host.ts). */
  bundlePath: string;
  /** Data groups requested (default 1, 2, 15). */
  dataGroups?: number[];
  /** More passport behaviour (e.g. extendedLength). */
  passport?: PassportOptions;
  /** µs per interpreted operator for the device CPU estimate. */
  microsPerOp?: number;
}

export interface BenchResult {
  document: string;
  /** The passport's READ BINARY: 'short' (Le <= 256) or 'extended' (extended length accepted). */
  chip: string;
  link: string;
  /** Passport placed -> verified result, ms: device part (virtual) + PA on the host (real). */
  totalMs: number;
  /** Passport placed -> the device's `result` at the host (virtual ms). */
  deviceMs: number;
  phases: Record<Phase, number>;
  apdus: number;
  uartBytes: number;
  airBytes: number;
  usbBytes: number;
  /** Bytes of the files read. */
  fileBytes: number;
  limitMs: number;
  ratio: number;
  hostCpuMs: number;
  crypto: CryptoCounts;
  deviceCpuS: number;
  verified: boolean;
  rfRate: number;
  busRate: string;
}

/** Bundles firmware/src/main.ts as the build does (into a temporary file); fails on the gate. */
export async function bundleFirmware(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-fw-')), 'firmware.js');
  const source = await bundle(join(import.meta.dirname, '../../firmware/src/main.ts'), out, 'Firmware');
  const v = checkBundle(source);
  if (v.length) throw new Error('bundle fails the Espruino gate: ' + v.map((x) => x.message).join('; '));
  return out;
}

/** Runs of the host-side work; the fastest counts. */
const PA_RUNS = 3;

/** The relying party's challenge (fixed: the bench is repeatable). */
const AA_CHALLENGE = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

const PHASE_OF_SFI: Record<number, Phase> = { 0x1e: 'EF.COM', 0x1d: 'EF.SOD', 1: 'DG1', 2: 'DG2', 15: 'DG15' };

function provideHwRand(device: ReturnType<typeof createVirtualDevice>): void {
  const install = device.runtime.evaluate('(function (f) { if (typeof E.hwRand !== "function") E.hwRand = f; })') as (f: () => number) => void;
  install(() => randomInt(0, 0xffffffff) | 0);
}

export function runReading(documentName: string, link: LinkConfig, options: BenchOptions): BenchResult {
  const fixture = loadFixture(documentName);
  const clock = new VirtualClock();
  const passport = new VirtualPassport(fixture.files, fixture.bac, { ats: link.rf === 106 ? ATS_106 : ATS_424, activeAuthKey: fixture.activeAuthPrivateKey, ...options.passport });
  const card = new RecordingCard(passport, clock);
  const device = createVirtualDevice({ clock, board: link.board, card: null, bundlePath: options.bundlePath, start: false });
  provideHwRand(device);
  device.start();

  // ---- host: the link as the SDK sets it up, timed
  let hostCpu = 0;
  let usbBytes = 0;
  const messages: { at: number; m: Message }[] = [];
  const hostLink = new ReliableLink((b) => {
    usbBytes += b.length;
    device.usb.write(b.slice());
  }, clock, { onMessage: (m) => messages.push({ at: clock.now(), m }) }, { window: LINK_WINDOW, retransmitMs: LINK_RETRANSMIT_MS });
  device.usb.onData((b) => {
    usbBytes += b.length;
    const t = performance.now();
    hostLink.receive(b);
    hostCpu += performance.now() - t;
  });
  const waitFor = (pred: (m: Message) => boolean, from: number): number => {
    let at = -1;
    clock.runUntil(() => {
      for (let i = from; i < messages.length; i++) if (pred(messages[i].m)) return (at = i) >= 0;
      return false;
    }, 120_000);
    return at;
  };
  hostLink.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  waitFor((m) => m.type === 'hello-reply', 0);

  // ---- the read: the device polls, then the passport is put down
  const dataGroups = options.dataGroups ?? [1, 2, 15];
  const from = messages.length;
  hostLink.send({ type: 'read', documentNumber: fixture.bac.documentNumber, dateOfBirth: fixture.bac.dateOfBirth, dateOfExpiry: fixture.bac.dateOfExpiry, checkDigits: '', dataGroups, cardTimeoutMs: 30_000, challenge: AA_CHALLENGE });
  waitFor((m) => m.type === 'progress' && m.phase === 'waiting-for-card', from);
  device.setCard(card);
  device.pn532.resetStats();
  usbBytes = 0;
  const t0 = clock.now();
  const end = waitFor((m) => m.type === 'result' || m.type === 'error', from);
  const final = messages[end];
  if (final.m.type !== 'result') throw new Error(`${documentName} on ${link.name}: the read ended with ${JSON.stringify(final.m)}`);
  const deviceMs = final.at - t0;
  const stats = { ...device.pn532.stats };
  device.stop();

  // ---- host side: files from the chunks, then the SDK's parsing and passive authentication.
  // Real CPU time, the best of PA_RUNS runs (other work on the machine only ever adds time).
  const files = new Map<number, Uint8Array>();
  for (let i = from; i < end; i++) {
    const m = messages[i].m;
    if (m.type === 'file-begin') files.set(m.fileId, new Uint8Array(m.length));
    else if (m.type === 'file-chunk') files.get(m.fileId)!.set(m.data, m.offset);
  }
  // The AA signature is not the document's: kept apart from the files (and the link limit).
  const aaSignature = files.get(FILE.AA_SIGNATURE);
  files.delete(FILE.AA_SIGNATURE);
  const trustStore = new TrustStore();
  trustStore.add(fixture.cscaCertificate);
  const dgs = new Map<number, Uint8Array>();
  for (const [id, bytes] of files) if (id >= 1 && id <= 16) dgs.set(id, bytes);
  let parseMs = Infinity;
  let paMs = Infinity;
  let verified = false;
  for (let run = 0; run < PA_RUNS; run++) {
    let t = performance.now();
    parseEfCom(files.get(FILE.COM)!);
    if (files.has(1)) parseDg1(files.get(1)!);
    if (files.has(2)) parseDg2(files.get(2)!);
    parseMs = Math.min(parseMs, performance.now() - t);
    t = performance.now();
    const report = passiveAuthentication({ sod: files.get(FILE.SOD), dataGroups: dgs, trustStore });
    const aa = checkActiveAuthentication({ dg15: dgs.get(15), dg14: dgs.get(14), challenge: AA_CHALLENGE, signature: aaSignature });
    paMs = Math.min(paMs, performance.now() - t);
    verified = report.verified && aa.status !== 'failed';
  }
  hostCpu += parseMs + paMs;

  // ---- phases from the card's log: a phase starts with its first command at the card
  const bounds: { phase: Phase; at: number }[] = [{ phase: 'connect', at: t0 }];
  const seen = new Set<Phase>(['connect']);
  for (const r of card.log) {
    const c = r.command;
    let p: Phase | null = null;
    if (c[1] === 0x84 && (c[0] & 0x0c) === 0) p = 'BAC';
    else if ((c[0] & 0x0c) === 0x0c && c[1] === 0xb0 && c[2] & 0x80) p = PHASE_OF_SFI[c[2] & 0x1f] ?? null;
    else if ((c[0] & 0x0c) === 0x0c && c[1] === 0x88) p = 'AA';
    if (p && !seen.has(p)) {
      seen.add(p);
      bounds.push({ phase: p, at: r.at });
    }
  }
  const phases = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  for (let i = 0; i < bounds.length; i++) phases[bounds[i].phase] = (i + 1 < bounds.length ? bounds[i + 1].at : final.at) - bounds[i].at;
  phases['PA host'] = paMs;

  let fileBytes = 0;
  for (const bytes of files.values()) fileBytes += bytes.length;
  const bus = busMicrosPerByte(link.board);
  const limitMs = linkLimitMs(fileBytes, link.rf, bus.micros);
  const sod = parseSod(files.get(FILE.SOD)!);
  const hashed = [...files.entries()].filter(([id]) => id >= 1 && id <= 16 && sod.lds.dataGroupHashes.has(id)).map(([, b]) => b.length);
  const crypto = countCrypto(card.log, sod.lds.hashAlgorithm, hashed);
  const totalMs = deviceMs + paMs;
  return {
    document: documentName,
    chip: options.passport?.extendedLength ? 'extended' : 'short',
    link: link.name,
    totalMs,
    deviceMs,
    phases,
    apdus: stats.apdus,
    uartBytes: stats.linkBytesToChip + stats.linkBytesFromChip,
    airBytes: stats.airBytesToCard + stats.airBytesFromCard,
    usbBytes,
    fileBytes,
    limitMs,
    ratio: limitMs / totalMs,
    hostCpuMs: hostCpu,
    crypto,
    deviceCpuS: cpuSeconds(crypto, options.microsPerOp),
    verified,
    rfRate: link.rf,
    busRate: `${bus.bus} ${bus.rate}`,
  };
}
