// A read on the real interpreter (scripted-read.ts): the portable bundle, stored pretokenised as
// the flash tool stores code, reads EF.COM, EF.SOD and DG1 of utopia-jp2 from a played-back PN532
// (every UART write checked against the shim's recording, so BAC, the SM MACs and the READ
// BINARY sequence are byte-exact) and ends in a verified result, with no error or warning, and
// its peak does not grow past the one measured for this same read (MEASURE_GROUPS=1 npm run
// measure:memory, 2026-12-02) by more than GROWTH_VARS. Issue 14's target (>= 1,250 of 5,100
// free at the peak) is not met: see README.

import { describe, expect, it } from 'vitest';
import { interpreterRuns } from './availability';
import { runScriptedRead } from './run-scripted-read';
import { PORTABLE_BUNDLE, recordRead } from './scripted-read';

/** Variables a change may add to the read's peak before this fails: re-measure and commit. */
const GROWTH_VARS = 40;
/** Peak variables of this read (EF.COM, EF.SOD, DG1), 64-bit build, portable bundle. Re-measured
 * at 03:05 on 2026-12-02: 4,662 -> 4,733 (+71; after load 2,979 -> 3,026) with Active
 * Authentication and the foreign-chip paths (61a964f) in the bundle. */
const MEASURED_PEAK = 4733;

describe.skipIf(!interpreterRuns('a scripted read on the real interpreter'))('a scripted read on the real Espruino interpreter', () => {
  // KNOWN FAILURE (issue #14), pinned so that it turns red the day the read fits again: since
  // pipelining, PACE hooks and native sm_unwrap (3aa899f..6f74d5e) the portable bundle (TypeScript
  // crypto; no board stores it) runs out of the interpreter's 5,100 variables during EF.SOD:
  // 4,776 -> 5,081+ at the peak with the DES tables fix (d6925bb), after load 2,978. The device
  // bundles (native crypto) cannot run on x86, so no full read is measured on the interpreter now.
  // 2026-12-02 14:30 (667218d): still out of memory at write 68 (EF.SOD, short blocks of ~230
  // bytes here, not extended ones), last sample 5,068, after load 2,991. Traced: the live set
  // grows ~300 over c95476e from the start of the read (+86) through BAC (+206 at write 60); at
  // the failure the stack runs from the PN532's 'data' event through SM, the file reader, the
  // next command and its ACK (delivered inside Serial1.write by the fake reader).
  it.fails('utopia-jp2 EF.COM, EF.SOD, DG1: the recorded PN532 conversation, a verified result, no growth', () => {
    const scripted = recordRead('utopia-jp2', [1]);
    expect(scripted.finalMessage).toMatchObject({ type: 'result', ok: true });
    const r = runScriptedRead(scripted, 'pico64', 60_000, PORTABLE_BUNDLE, true);
    expect(r.complaints).toEqual([]);
    expect(r.read, r.output.slice(-2000)).not.toBeNull();
    expect(r.read.failure).toBe('');
    expect(r.read.consumed).toBe(r.read.events);
    expect(r.read.final).toBe(0x86); // result
    const peak = r.read.peak - r.load.fake;
    console.log(`real interpreter (pico64), portable bundle: ${r.load.after} vars after load, ${peak} at the read's peak, ${r.load.total - peak} free`);
    expect(peak).toBeLessThanOrEqual(MEASURED_PEAK + GROWTH_VARS);
  }, 120_000);

  it('a firmware that strays from the recording is caught (the check can fail)', () => {
    const scripted = recordRead('utopia-jp2', [1]);
    // One byte of the PN532's first response changed (its checksum fails): the firmware answers
    // with a NACK where the recording has its next command.
    scripted.files.pnd[10] ^= 0x01;
    const r = runScriptedRead(scripted, 'pico64', 60_000, PORTABLE_BUNDLE, true);
    expect(r.read && r.read.final === 0x86 && r.read.consumed === r.read.events && !r.read.failure).toBe(false);
  }, 90_000);
});
