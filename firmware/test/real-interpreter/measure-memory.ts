// npm run measure:memory: the firmware's memory on the real Espruino interpreter, written to
// firmware/test/real-interpreter/memory.json (read by hardware/shim/memory-model.ts's test and by
// the README tables). Several minutes: a whole utopia-jp2 read runs the TypeScript crypto in the
// interpreter, and the pico32 build runs under qemu-i386.
//
// Measured, per build (pico64: 17-byte blocks; pico32: the Pico's 13-byte blocks):
// - after load: each device bundle as tools/flash.ts stores it (pretokenised, with its boot line),
//   and the portable bundle; process.memory() after a GC, nothing started;
// - the scripted read (scripted-read.ts) of utopia-jp2 (EF.COM, EF.SOD, DG1, DG2, DG15) with
//   dist/firmware-pico-ts.js, the Pico's HSU device bundle with the TypeScript crypto (the device
//   bundles need the native blob, which cannot run on x86): usage sampled at every UART and USB
//   write, the fake's own share measured and subtracted. Device-bundle peak = its after-load +
//   (read peak - pico-ts after-load): the read's dynamic memory, with the TypeScript crypto's
//   tables and key schedules in place of the blob's contexts; and the same less what the
//   TypeScript crypto's typed arrays hold at the peak (crypto-share.ts, in the shim);
// - the same read from a chip that answers extended-length READ BINARY (2,048-byte blocks, the
//   file reader's default whenever the chip takes them), for what such a block costs at the peak;
// - firmware-pico.js itself (native code paths) reading the same, on native-oracle.ts, on the
//   measurement interpreter (measure-oracle.ts; 8,191 variables, the oracle's and the fake's shares
//   subtracted): the Pico's measured peak. Without that interpreter one line says it was not
//   measured. MEASURE_ONLY=oracle: only this, merged into memory.json as `picoOracleRead`.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBoard } from '@epassport/hardware/boards/index';
import { deviceBundlePath, deviceBundles } from '../../tools/device-bundles';
import { storedCode } from '../../tools/flash';
import { pretokenise } from '../../tools/pretokenise';
import { LINE_PREFIX, complaints, interpreterProblem, openSession, type Build } from './espruino-runner';
import { runScriptedRead } from './run-scripted-read';
import { PICO_MEMORY, TypedArrayLedger } from '@epassport/hardware/shim/memory-model';
import { PICO_TS_BUNDLE, PORTABLE_BUNDLE, recordRead } from './scripted-read';
import { cryptoShare } from './crypto-share';
import { oracleReads } from './measure-oracle';

export const MEMORY_JSON = join(import.meta.dirname, 'memory.json');
const FIXTURE = 'utopia-jp2';
/** MEASURE_GROUPS=1 for a quick run (EF.COM, EF.SOD, DG1 only). */
const GROUPS = (process.env.MEASURE_GROUPS ?? '1,2,15').split(',').map(Number);

function afterLoad(build: Build, code: string): { used: number; free: number } {
  const s = openSession(build);
  try {
    s.writeFile('fw', code);
    const r = s.run(`eval(require('Storage').read('fw'));var m=process.memory();print('${LINE_PREFIX}'+m.usage+' '+m.free);`, 120_000);
    const problems = complaints(r.output);
    if (problems.length || !r.lines[0]) throw new Error(`load on ${build}: ${problems.join('; ') || r.output.slice(-500)}`);
    const [used, free] = r.lines[0].split(' ').map(Number);
    return { used, free };
  } finally {
    s.close();
  }
}

/** Variables one `new Uint8Array(n)` takes, without the array slot that keeps it (one more). */
function typedArrayCost(build: Build): Record<string, number> {
  const sizes = [13, 64, 256, 1024, 4096];
  const s = openSession(build);
  try {
    // A first allocation warms up (the function's first call, the arrays' first elements).
    const r = s.run(`var keep=[],out=[],d=0;function u(){return process.memory().usage;}
[1].concat(${JSON.stringify(sizes)}).forEach(function(n){var a=u();keep.push(new Uint8Array(n));d=u()-a-1;out.push(n+':'+d);});
out.shift();print('${LINE_PREFIX}'+out.join(' '));`);
    return Object.fromEntries(r.lines[0].split(' ').map((p) => p.split(':')).map(([n, v]) => [n, Number(v)]));
  } finally {
    s.close();
  }
}

/** MEASURE_ONLY=oracle: firmware-pico.js on the oracle only, into the memory.json there is. */
async function oracleOnly(): Promise<void> {
  const figures = await oracleReads(FIXTURE, GROUPS);
  if (figures.notMeasured) return;
  const json = JSON.parse(readFileSync(MEMORY_JSON, 'utf8')) as Record<string, unknown>;
  json.picoOracleRead = figures;
  writeFileSync(MEMORY_JSON, JSON.stringify(json, null, 2) + '\n');
  console.log(`wrote picoOracleRead into ${MEMORY_JSON}`);
}

async function main(): Promise<void> {
  if (process.env.MEASURE_ONLY === 'oracle') return oracleOnly();
  const builds = (process.argv[2] ? process.argv[2].split(',') : ['pico64', 'pico32']) as ('pico64' | 'pico32')[];
  for (const b of builds) {
    const problem = interpreterProblem(b);
    if (problem) throw new Error(problem);
  }
  console.log(`recording the ${FIXTURE} read in the shim`);
  // The shim's typed-array ledger over the same read, at the same points (a GC before each).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run measure:memory)');
  const ledger = new TypedArrayLedger();
  const blockBytes = { pico64: 17, pico32: 13 };
  const ledgerPeak = { pico64: 0, pico32: 0 };
  const scripted = recordRead(FIXTURE, GROUPS, {
    bundle: PICO_TS_BUNDLE,
    hooks: {
      beforeLoad: (runtime) => ledger.install((code) => runtime.evaluate(code)),
      sample: () => {
        gc();
        for (const b of ['pico64', 'pico32'] as const) {
          ledgerPeak[b] = Math.max(ledgerPeak[b], ledger.estimateVars({ ...PICO_MEMORY, blockBytes: blockBytes[b], afterLoad: 0, other: 0 }));
        }
      },
    },
  });
  if (scripted.finalMessage.type !== 'result' || !scripted.finalMessage.ok) throw new Error('the recorded read did not end in a verified result');
  const result: Record<string, unknown> = {
    measured: new Date().toISOString(),
    interpreter: 'Espruino 2v29.277 for Linux (../shared/espruino), 5,100 variables',
    method: 'firmware/test/real-interpreter/measure-memory.ts',
    read: { fixture: FIXTURE, dataGroups: GROUPS, uartWrites: scripted.writes, uartAnswers: scripted.answers },
    builds: {},
  };
  const out = result.builds as Record<string, Record<string, unknown>>;
  let modelOther = 0;
  let tsPico64: { peakUsed: number; afterLoad: number } | undefined;
  for (const build of builds) {
    const loads: Record<string, { used: number; free: number }> = {};
    loads['firmware.js (portable, pretokenised)'] = afterLoad(build, pretokenise(readFileSync(PORTABLE_BUNDLE, 'latin1')));
    loads['firmware-pico-ts.js (pretokenised)'] = afterLoad(build, pretokenise(readFileSync(PICO_TS_BUNDLE, 'latin1')));
    for (const d of deviceBundles()) {
      loads[`firmware-${d.board}.js (stored)`] = afterLoad(build, storedCode(readFileSync(deviceBundlePath(d.board), 'latin1'), loadBoard(d.board)));
    }
    out[build] = { total: 5100, typedArrayVars: typedArrayCost(build), afterLoad: loads };
    console.log(build, JSON.stringify(out[build]));
    // The read on pico64 only: espruino-pico32 under qemu-i386 ends a long run with "EXITING."
    // when its stdin is at end of file. Variable counts of objects are the same on both builds.
    if (build !== 'pico64') continue;
    const t0 = Date.now();
    const r = await runScriptedRead(scripted, build, 1_800_000, PICO_TS_BUNDLE, true);
    if (!r.read || r.read.failure || r.read.final !== 0x86 || r.read.consumed !== r.read.events || r.complaints.length) {
      throw new Error(`${build}: the scripted read failed: ${JSON.stringify(r.read)} ${r.complaints.join('; ')}\n${r.output.slice(-1500)}`);
    }
    const peak = r.read.peak - r.load.fake;
    const dynamic = peak - r.load.after;
    const pico = loads['firmware-pico.js (stored)'];
    modelOther = dynamic - ledgerPeak[build];
    tsPico64 = { peakUsed: peak, afterLoad: r.load.after };
    // The same read from an extended-length chip (recorded afresh: other commands, other answers).
    const ext = await runScriptedRead(recordRead(FIXTURE, GROUPS, { bundle: PICO_TS_BUNDLE, extendedLength: true }), build, 1_800_000, PICO_TS_BUNDLE, true);
    const extOk = ext.read && !ext.read.failure && ext.read.final === 0x86 && ext.read.consumed === ext.read.events && !ext.complaints.length;
    const extPeak = ext.read ? ext.read.peak - ext.load.fake : 0;
    const share = cryptoShare(PICO_TS_BUNDLE, GROUPS, false, gc);
    const shareExt = cryptoShare(PICO_TS_BUNDLE, GROUPS, true, gc);
    out[build].scriptedRead = {
      bundle: 'firmware-pico-ts.js (pretokenised)',
      afterLoad: r.load.after,
      fakeReaderVars: r.load.fake,
      peakUsed: peak,
      peakFree: r.load.total - peak,
      peakAtEvent: r.read.peakAt,
      startedUsed: r.read.started - r.load.fake,
      readDynamicVars: dynamic,
      endUsed: r.read.end - r.load.fake,
      samples: r.read.samples,
      wallSeconds: Math.round((Date.now() - t0) / 1000),
      shimTypedArrayVarsAtPeak: ledgerPeak[build],
    };
    out[build].scriptedReadExtended = extOk
      ? { afterLoad: ext.load.after, peakUsed: extPeak, peakFree: ext.load.total - extPeak, peakAtEvent: ext.read.peakAt, readDynamicVars: extPeak - ext.load.after, overShortBlocks: extPeak - ext.load.after - dynamic }
      : { failure: ext.read ? ext.read.failure || 'final ' + ext.read.final : 'no result', complaints: ext.complaints };
    out[build].tsCryptoTypedArrayVars = { shortBlocks: share, extendedBlocks: shareExt };
    const extDynamic = extOk ? extPeak - ext.load.after : NaN;
    out[build].picoDeviceBundleEstimate = {
      afterLoadFree: pico.free,
      peakUsed: pico.used + dynamic,
      peakFree: r.load.total - pico.used - dynamic,
      // Without the TypeScript crypto's typed arrays (the Pico runs the blob).
      peakFreeWithoutTsCrypto: r.load.total - pico.used - dynamic + share.tsCryptoVars,
      extendedPeakFree: r.load.total - pico.used - extDynamic,
      extendedPeakFreeWithoutTsCrypto: r.load.total - pico.used - extDynamic + shareExt.tsCryptoVars,
    };
    console.log(build, JSON.stringify(out[build]));
  }
  // hardware/shim/memory-model.ts PICO_MEMORY: the Pico's blocks (pico32), the after-load there of
  // the bundle whose read was measured, and what the shim's typed-array ledger does not see at
  // the read's peak.
  const pico32 = out.pico32?.afterLoad as Record<string, { used: number }> | undefined;
  result.model = {
    total: 5100, blockBytes: 13, typedArrayHeader: PICO_MEMORY.typedArrayHeader,
    afterLoad: pico32 ? pico32['firmware-pico-ts.js (pretokenised)'].used : null,
    other: modelOther,
  };
  result.picoOracleRead = await oracleReads(FIXTURE, GROUPS, tsPico64);
  writeFileSync(MEMORY_JSON, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${MEMORY_JSON}`);
}

// Exit at once: the shim's emulated blob (crypto-share.ts) may leave a handle open.
main().then(() => process.exit(0), (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
