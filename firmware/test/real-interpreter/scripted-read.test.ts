// A read on the real interpreter (scripted-read.ts): a bundle, stored pretokenised as the flash
// tool stores code, reads utopia-jp2 whole (EF.COM, EF.SOD, DG1, DG2, DG15; short blocks, as the
// recording has them) from a played-back PN532 (every UART write checked against the shim's
// recording of the same bundle, so BAC, the SM MACs and the READ BINARY sequence are byte-exact)
// and ends in a verified result, with no error or warning, and its peak does not grow past the
// one measured for this same read by more than GROWTH_VARS.
// The bundle is dist/firmware-pico-ts.js: the Pico's HSU device bundle (one transport, no error
// prose, pooled constants) with the TypeScript crypto in place of the blob, which cannot run on
// x86; its TypeScript crypto holds ~200 variables more at the peak than the blob's contexts (the
// Pico's own bundle is measured in measure-oracle.ts: 1,498 free in short blocks). About two
// minutes: the TypeScript 3DES and SHA-256 run in the interpreter.

import { describe, expect, it } from 'vitest';
import { interpreterRuns } from './availability';
import { runScriptedRead } from './run-scripted-read';
import { PICO_TS_BUNDLE, PORTABLE_BUNDLE, recordRead } from './scripted-read';

/** Variables a change may add to the read's peak before this fails: re-measure and commit. Runs
 * of the same tree differ by up to ~80 (20:05 4,578, 20:09 4,658): how many frames are in flight and
 * whether a pipelined command goes out before an ack arrives depend on the machine's load. */
const GROWTH_VARS = 100;
/** Peak variables of the full read, 64-bit build, firmware-pico-ts.js, the fake reader's own
 * share subtracted. Measured 2026-12-03 13:13 (npm run measure:memory, sources of f9d6aff): after
 * load 2,829, peak 4,271 (829 free). 09:50 and 09:58 (this read, scripted-read.ts; finished file
 * readers let go of their sinks): after load 2,831, peak 4,279 and 4,277 (821 free; DG15's
 * file-begin); before that 2026-12-02 20:09 (npm run measure:memory after adbfd0b): after load
 * 2,810, peak 4,658 (442 free; at DG2's end, DG15's file-begin); 17:19 (1b2fc23): 4,770; 16:50
 * (a3a7574): 4,874. Before a3a7574 the full read ran out of memory; EF.COM, EF.SOD and DG1 alone:
 * 4,767 (9559fad), 4,692 (a3a7574). */
const MEASURED_PEAK = 4271;

describe.skipIf(!interpreterRuns('a scripted read on the real interpreter'))('a scripted read on the real Espruino interpreter', () => {
  it("utopia-jp2 whole by the Pico's bundle (TypeScript crypto): the recorded PN532 conversation, a verified result, no growth", async () => {
    const scripted = recordRead('utopia-jp2', [1, 2, 15], { bundle: PICO_TS_BUNDLE });
    expect(scripted.finalMessage).toMatchObject({ type: 'result', ok: true, files: [1, 2, 15, 29, 30] });
    const r = await runScriptedRead(scripted, 'pico64', 480_000, PICO_TS_BUNDLE, true);
    expect(r.complaints).toEqual([]);
    expect(r.read, r.output.slice(-2000)).not.toBeNull();
    expect(r.read.failure).toBe('');
    expect(r.read.consumed).toBe(r.read.events);
    expect(r.read.final).toBe(0x86); // result, as the shim's host received
    const peak = r.read.peak - r.load.fake;
    console.log(`real interpreter (pico64), firmware-pico-ts.js, utopia-jp2 whole: ${r.load.after} vars after load, ${peak} at the read's peak, ${r.load.total - peak} free`);
    expect(peak).toBeLessThanOrEqual(MEASURED_PEAK + GROWTH_VARS);
  }, 600_000);

  // The portable bundle (every bus, full error prose; no board stores it), EF.COM, EF.SOD and DG1:
  // out of memory in EF.SOD from 3aa899f..6f74d5e (pipelining, PACE hooks, native sm_unwrap) until
  // a3a7574 (its read was a pinned known failure); completes again since the reader stopped
  // keeping finished readers and answers on the stack. Its peak is printed, not held to a figure.
  it('the portable bundle, EF.COM, EF.SOD and DG1: a verified result', async () => {
    const scripted = recordRead('utopia-jp2', [1]);
    const r = await runScriptedRead(scripted, 'pico64', 60_000, PORTABLE_BUNDLE, true);
    expect(r.complaints).toEqual([]);
    expect(r.read, r.output.slice(-2000)).not.toBeNull();
    expect(r.read.failure).toBe('');
    expect(r.read.consumed).toBe(r.read.events);
    expect(r.read.final).toBe(0x86);
    const peak = r.read.peak - r.load.fake;
    console.log(`real interpreter (pico64), portable bundle, EF.COM/EF.SOD/DG1: ${r.load.after} vars after load, ${peak} at the read's peak, ${r.load.total - peak} free`);
  }, 120_000);

  it('a firmware that strays from the recording is caught (the check can fail)', async () => {
    const scripted = recordRead('utopia-jp2', [1], { bundle: PICO_TS_BUNDLE });
    // One byte of the PN532's first response changed (its checksum fails): the firmware answers
    // with a NACK where the recording has its next command.
    scripted.files.pnd[10] ^= 0x01;
    const r = await runScriptedRead(scripted, 'pico64', 60_000, PICO_TS_BUNDLE, true);
    expect(r.read && r.read.final === 0x86 && r.read.consumed === r.read.events && !r.read.failure).toBe(false);
  }, 90_000);
});
