// Reads one after another on one device, on the real interpreter: what a read leaves behind must
// not pile up, or a kiosk's Pico runs out of variables after enough passports. The Pico's own
// bundle (firmware-pico.js, on native-oracle.ts: oracle-read.ts) reads EF.COM, EF.SOD and DG1 of
// utopia-jp2 READS times, each a new BAC session, from the played-back PN532 (scripted-read.ts);
// the fake reader records usage after a GC 20 ms after each result. The first read may leave
// things that are made once; from the second read on, the ends must stay within ONE_OFF_VARS: a
// leak of one variable per read adds READS - 2 over them, more than that. The shim's soak (test/faults/soak.test.ts: 100 reads) bounds V8's heaps
// and the firmware's timers; this is the interpreter's own count of variables.

import { describe, expect, it } from 'vitest';
import { interpreterRuns } from './availability';
import { runOracleRead } from './oracle-read';
import { PICO_TS_BUNDLE, recordRead } from './scripted-read';

const READS = 6;
/** 2026-12-03, 14 reads: after load 2,297; ends 3,016 (reads 1-5), then 3,017 (reads 6-14): one
 * variable once, not per read. */
const ONE_OFF_VARS = 1;

describe.skipIf(!interpreterRuns('repeated reads on the real interpreter'))('repeated reads on the real Espruino interpreter', () => {
  it(`firmware-pico.js reads utopia-jp2 ${READS} times: every read verified, no growth after the first`, async () => {
    // Recorded with the TypeScript-crypto twin: the oracle's answers are the same bytes.
    const scripted = recordRead('utopia-jp2', [1], { bundle: PICO_TS_BUNDLE, reads: READS });
    expect(scripted.finalMessages.map((m) => m.type === 'result' && m.ok)).toEqual(Array(READS).fill(true));
    const r = await runOracleRead(scripted, 'pico64', 240_000);
    expect(r.complaints).toEqual([]);
    expect(r.read, r.output.slice(-2000)).not.toBeNull();
    expect(r.read.failure).toBe('');
    expect(r.read.consumed).toBe(r.read.events);
    expect(r.read.finals).toBe(READS);
    expect(r.read.final).toBe(0x86);
    const own = r.load.fake + r.load.oracle;
    const ends = r.read.ends.map((used) => used - own);
    console.log(`real interpreter (pico64), firmware-pico.js, ${READS} reads of EF.COM/EF.SOD/DG1: after load ${r.load.after - r.load.oracle}, after each read ${ends.join(', ')} vars`);
    expect(ends).toHaveLength(READS);
    expect(ends[READS - 1] - ends[1], 'growth from the second read to the last').toBeLessThanOrEqual(ONE_OFF_VARS);
  }, 300_000);
});
