// Soak: thousands of consecutive reads on one virtual reader (the bundled firmware, virtual
// time), checking that nothing accumulates on either side: the firmware's pending timers and pin
// watches, the clock's queue, the firmware context's JS heap (vm.measureMemory), the host
// process heap after a forced GC, and that every read is byte for byte the signed fixture (with
// the host SDK's passive authentication on every 10th).

import v8 from 'node:v8';
import vm from 'node:vm';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import { judgeRead } from './read-check';
import { buildReader, fixtureOf, requiredFiles, trustOf } from './run-scenario';
import { seededRandom } from './seeded-random';

/** A forced full GC, without starting node with --expose-gc. */
export function forceGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

/** JS heap of the other vm contexts (the firmware's), estimated by V8. */
export async function contextHeap(): Promise<number> {
  const emit = process.emitWarning;
  process.emitWarning = () => {}; // vm.measureMemory is "experimental"
  try {
    const m = await (vm as unknown as { measureMemory(o: object): Promise<{ other: { jsMemoryEstimate: number }[] }> })
      .measureMemory({ mode: 'detailed', execution: 'eager' });
    return m.other.reduce((n, c) => n + c.jsMemoryEstimate, 0);
  } finally {
    process.emitWarning = emit;
  }
}

export interface SoakSample {
  read: number;
  hostHeap: number;
  firmwareHeap: number;
  deviceTimers: number;
  deviceWatches: number;
  clockPending: number;
}

export interface SoakFigures {
  reads: number;
  verified: number;
  virtualSeconds: number;
  realSeconds: number;
  /** After the warm-up, and at the end. */
  first: SoakSample;
  last: SoakSample;
  /** Largest counts seen between reads. */
  maxDeviceTimers: number;
  maxDeviceWatches: number;
  maxClockPending: number;
  crashes: number;
  problems: string[];
}

function watchesOf(runtime: object): number {
  return (runtime as { pendingWatches: number }).pendingWatches;
}

export interface SoakOptions {
  board?: string;
  warmup?: number;
  /** Largest host heap growth accepted (bytes, after GC). */
  maxHostGrowth?: number;
  /** Largest firmware-context heap growth accepted (bytes). */
  maxFirmwareGrowth?: number;
}

export async function soak(reads: number, onProgress?: (done: number) => void, options: SoakOptions = {}): Promise<SoakFigures> {
  const gc = forceGc();
  const fixture = fixtureOf('utopia-anna');
  const random = seededRandom(0x50a4);
  const passport = new VirtualPassport(fixture.files, fixture.bac, {});
  const r = await buildReader(options.board ?? 'pico', fixture, passport, random);
  const x = { served: fixture.files, signed: fixture.files, trust: trustOf(fixture), required: requiredFiles([1, 2, 15]) };
  r.host.hello();
  // V8's code and feedback for the firmware context settle after ~600 reads (measured).
  const warmup = options.warmup ?? Math.min(600, Math.max(1, Math.floor(reads / 3)));
  const started = performance.now();
  const t0 = r.clock.now();
  const problems: string[] = [];
  let verified = 0;
  let maxDeviceTimers = 0;
  let maxDeviceWatches = 0;
  let maxClockPending = 0;
  const sample = async (read: number): Promise<SoakSample> => {
    gc();
    return {
      read, hostHeap: process.memoryUsage().heapUsed, firmwareHeap: await contextHeap(),
      deviceTimers: r.device.runtime.pendingTimers, deviceWatches: watchesOf(r.device.runtime), clockPending: r.clock.pending,
    };
  };
  let first: SoakSample | null = null;
  for (let i = 0; i < reads; i++) {
    if (i === warmup) first = await sample(i);
    const from = r.host.messages.length;
    const messages = r.host.read(fixture.bac, [1, 2, 15], 60_000);
    // The host keeps no history: only this read's messages.
    r.host.messages.splice(0, from + messages.length);
    // Bytes against the signed fixture on every read; the full passive authentication on every 10th.
    const v = judgeRead(messages, { ...x, passiveAuthentication: i % 10 === 0 });
    if (v.outcome === 'verified' && v.dataLost === 0 && v.duplicated === 0) verified++;
    else if (problems.length < 10) problems.push(`read ${i}: ${v.outcome} ${v.notes.join('; ')}`);
    maxDeviceTimers = Math.max(maxDeviceTimers, r.device.runtime.pendingTimers);
    maxDeviceWatches = Math.max(maxDeviceWatches, watchesOf(r.device.runtime));
    maxClockPending = Math.max(maxClockPending, r.clock.pending);
    if (onProgress) onProgress(i + 1);
  }
  first ??= await sample(0);
  const last = await sample(reads);
  const figures: SoakFigures = {
    reads, verified, virtualSeconds: (r.clock.now() - t0) / 1000, realSeconds: (performance.now() - started) / 1000,
    first, last, maxDeviceTimers, maxDeviceWatches, maxClockPending, crashes: r.device.errors.length, problems,
  };
  if (verified !== reads) problems.push(`${reads - verified} of ${reads} reads did not verify`);
  if (figures.crashes) problems.push(`${figures.crashes} uncaught firmware errors: ${r.device.errors[0].message}`);
  if (last.deviceTimers > first.deviceTimers) problems.push(`firmware timers grew ${first.deviceTimers} -> ${last.deviceTimers}`);
  if (last.deviceWatches > first.deviceWatches) problems.push(`pin watches grew ${first.deviceWatches} -> ${last.deviceWatches}`);
  if (last.clockPending > first.clockPending) problems.push(`clock events grew ${first.clockPending} -> ${last.clockPending}`);
  const hostGrowth = last.hostHeap - first.hostHeap;
  const fwGrowth = last.firmwareHeap - first.firmwareHeap;
  if (hostGrowth > (options.maxHostGrowth ?? 8 * 1024 * 1024)) problems.push(`host heap grew ${(hostGrowth / 1048576).toFixed(1)} MB`);
  if (fwGrowth > (options.maxFirmwareGrowth ?? 1024 * 1024)) problems.push(`firmware context heap grew ${(fwGrowth / 1024).toFixed(0)} KB`);
  r.device.stop();
  return figures;
}

const mb = (n: number): string => (n / 1048576).toFixed(2) + ' MB';

export function formatSoak(f: SoakFigures): string {
  return [
    `soak: ${f.reads} consecutive reads, ${f.verified} verified byte for byte; ${f.virtualSeconds.toFixed(0)} s virtual, ${f.realSeconds.toFixed(1)} s real (${(f.realSeconds * 1000 / f.reads).toFixed(1)} ms per read)`,
    `  host heap (after GC)        read ${f.first.read}: ${mb(f.first.hostHeap)}   read ${f.last.read}: ${mb(f.last.hostHeap)}   (${mb(f.last.hostHeap - f.first.hostHeap)})`,
    `  firmware context heap       read ${f.first.read}: ${mb(f.first.firmwareHeap)}   read ${f.last.read}: ${mb(f.last.firmwareHeap)}   (${((f.last.firmwareHeap - f.first.firmwareHeap) / 1024).toFixed(1)} KB)`,
    `  firmware timers between reads: ${f.first.deviceTimers} -> ${f.last.deviceTimers} (max ${f.maxDeviceTimers}); pin watches ${f.first.deviceWatches} -> ${f.last.deviceWatches} (max ${f.maxDeviceWatches}); clock events ${f.first.clockPending} -> ${f.last.clockPending} (max ${f.maxClockPending})`,
    `  uncaught firmware errors: ${f.crashes}`,
    f.problems.length ? '  PROBLEMS: ' + f.problems.join('; ') : '  nothing grew',
  ].join('\n');
}
