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
import { COMMAND_MS } from '@epassport/hardware/sim/pn532/index';
import { countCrypto, DEVICE_COST, deviceCpuMs, NATIVE_COUNTS, readBlockJsUs, readBlocks, type CryptoCounts, type Range } from './device-cpu';
import { ATS_106, ATS_424, busMicrosPerByte, type LinkConfig } from './link-config';
import { RecordingCard, type ApduRecord } from './recording-card';
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
  /** Model block N's unwrap, MAC check, decryption and hash as overlapping the fetch of block N+1
   * (default true; false: everything one after the other). */
  pipeline?: boolean;
}

export interface BenchResult {
  document: string;
  /** The passport's READ BINARY: 'short' (Le <= 256) or 'extended' (extended length accepted). */
  chip: string;
  link: string;
  /** Passport placed -> verified result, ms: link and card (virtual) + device CPU (high, minus
   * what the pipeline overlaps) + PA on the host (real). */
  totalMs: number;
  /** The same with device CPU at its low estimate. */
  totalLowMs: number;
  /** Device CPU in the total, ms (native + interpreted JS, low..high), after the overlap. */
  deviceCpuMs: Range;
  /** Of which native code / interpreted JS (before the overlap). */
  nativeMs: Range;
  jsMs: Range;
  /** What the pipeline overlapped (0 without it), low..high. */
  overlapMs: Range;
  /** Device CPU / total, low..high. */
  cpuShare: Range;
  /** Link limit + the PN532's per-exchange framing and command time (see README). */
  pn532LimitMs: number;
  pn532Ratio: number;
  /** PN532 data exchanges (APDUs plus MI continuation parts). */
  exchanges: number;
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
  let usbIn = 0;
  const messages: { at: number; m: Message }[] = [];
  const hostLink = new ReliableLink((b) => {
    usbBytes += b.length;
    usbIn += b.length;
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
  usbIn = 0;
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
  const rb = readBlocks(card.log);
  const cpu = deviceCpuMs({
    crypto, readBlocks: rb.blocks, otherProtected: rb.otherProtected, plainApdus: rb.plain, hostFrames: end - from + 1,
    usbOutBytes: usbBytes - usbIn, usbInBytes: usbIn, uartBytes: stats.linkBytesToChip + stats.linkBytesFromChip,
  });
  const overlap = options.pipeline === false ? { low: 0, high: 0 } : pipelineOverlapMs(card.log);
  const cpuMs = { low: cpu.total.low - overlap.low, high: cpu.total.high - overlap.high };
  const totalMs = deviceMs + cpuMs.high + paMs;
  const totalLowMs = deviceMs + cpuMs.low + paMs;
  const exchanges = card.log.reduce((n, r) => n + Math.max(1, Math.ceil((r.response?.length ?? 0) / MI_PART)), 0);
  const pn532LimitMs = limitMs + (exchanges * (PN532_EXCHANGE_BUS_BYTES * bus.micros / 1000 + COMMAND_MS));
  return {
    document: documentName,
    chip: options.passport?.extendedLength ? 'extended' : 'short',
    link: link.name,
    totalMs,
    totalLowMs,
    deviceCpuMs: cpuMs,
    nativeMs: cpu.native,
    jsMs: cpu.js,
    overlapMs: overlap,
    cpuShare: { low: cpuMs.low / totalLowMs, high: cpuMs.high / totalMs },
    pn532LimitMs,
    pn532Ratio: pn532LimitMs / totalMs,
    exchanges,
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
    verified,
    rfRate: link.rf,
    busRate: `${bus.bus} ${bus.rate}`,
  };
}

/** InDataExchange hands an R-APDU over in parts of at most 262 bytes (PN532 UM §7.3.8 via
 * /work/shared/pn532-facts.md §4); each part is an exchange of its own. */
const MI_PART = 262;
/** Bus bytes of one exchange that no protocol can avoid: the host's InDataExchange frame without
 * its APDU (00 00 FF LEN LCS D4 40 Tg DCS 00 = 10), the ACK (6) and the answer's frame without
 * its data (00 00 FF LEN LCS D5 41 Status DCS 00 = 10): UM0701-02 §6.2.1 frame format, as in
 * pn532-facts.md §3. The chip's own time per command is the simulator's COMMAND_MS (1 ms; the
 * facts sheet has no documented figure, so this is the model's assumption). */
const PN532_EXCHANGE_BUS_BYTES = 26;

/** Device CPU the pipeline hides: after READ BINARY body block N's answer, the firmware wraps and sends
 * N+1 first (the MAC needs only SSC+2), then unwraps N (MAC check, 3DES, hash, file reader) while
 * the PN532 and the card work; the gain per block is that CPU or the next exchange's time, the
 * smaller. The exchange time is the gap between the two commands at the card (no CPU in it). */
function pipelineOverlapMs(log: ApduRecord[]): Range {
  const kb = NATIVE_COUNTS.perKB;
  const wrapAndSend = { low: 0, high: 0 };
  for (const k of ['sm-wrap', 'pn532-exchange'] as const) {
    wrapAndSend.low += DEVICE_COST.ops[k].us.low;
    wrapAndSend.high += DEVICE_COST.ops[k].us.high;
  }
  const out = { low: 0, high: 0 };
  const blocks = readBlocks(log).blocks;
  let bi = 0;
  for (let i = 0; i + 1 < log.length; i++) {
    const c = log[i].command;
    const next = log[i + 1].command;
    const isRead = (x: Uint8Array): boolean => (x[0] & 0x0c) === 0x0c && (x[1] === 0xb0 || x[1] === 0xb1);
    // What the firmware sends ahead (file-reader.ts nextCommand): a body block (B0 by offset, not
    // the first read by short EF identifier, not odd B1) after a body block of the same file.
    const isBody = (x: Uint8Array): boolean => (x[0] & 0x0c) === 0x0c && x[1] === 0xb0 && (x[2] & 0x80) === 0;
    if (!isRead(c)) continue;
    const n = blocks[bi++] ?? 0;
    if (!isBody(c) || !isBody(next)) continue;
    // The exchange of block N+1: from its command to the one after it (or as long as block N's).
    const gap = i + 2 < log.length ? log[i + 2].at - log[i + 1].at : log[i + 1].at - log[i].at;
    for (const side of ['low', 'high'] as const) {
      const js = readBlockJsUs(n)[side] - wrapAndSend[side];
      const nat = (n / 1024) * (kb['3des_cbc_decrypt'].us[side] + kb.retail_mac_update.us[side] + kb.sha256_update.us[side]);
      out[side] += Math.min((js + nat) / 1000, gap);
    }
  }
  return out;
}
