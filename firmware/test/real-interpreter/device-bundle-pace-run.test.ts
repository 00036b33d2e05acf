// The Espruino WiFi's device bundle (built from main-pace.ts: PACE, Chip Authentication, BAC as
// fallback; boards/espruino-wifi.json "pace": true) runs on the real interpreter, as
// device-bundle-run.test.ts runs the Pico's: stored as the flash tool stores it (pretokenised), it
// loads, answers hello, probes the PN532 over HSU and starts the read; Linux has no native blob
// (NATIVE_ONLY: no PACE without pace.bin, no BAC without native.bin), so the read ends in an
// error message, with no uncaught error or warning on the way. Prints its variables after load
// (the interpreter has the Pico's 5,100; an Espruino WiFi has 7,148).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MSG } from '@epassport/protocol';
import { deviceBundlePath } from '../../tools/device-bundles';
import { interpreterRuns } from './availability';
import { runScriptedRead } from './run-scripted-read';
import { recordRead, type ScriptedRead } from './scripted-read';

let recorded: ScriptedRead | null = null;
/** utopia-jp2's EF.COM, EF.SOD and DG1 recorded in the shim, once, when a test runs. */
const scripted = (): ScriptedRead => (recorded ??= recordRead('utopia-jp2', [1]));

describe.skipIf(!interpreterRuns("the Espruino WiFi's PACE device bundle running on the real interpreter"))("the Espruino WiFi's PACE device bundle on the real Espruino interpreter", () => {
  it('loads, answers hello, probes the PN532 over HSU and ends the read without the blobs in an error message, no complaint', async () => {
    const path = deviceBundlePath('espruino-wifi');
    // id-PACE-ECDH-GM's bytes (pace/card-access.ts): the PACE bundle, not a BAC one.
    expect(readFileSync(path, 'latin1')).toContain('[4,0,127,0,7,2,2,4,2]');
    const r = await runScriptedRead(scripted(), 'pico64', 120_000, path, true);
    expect(r.complaints).toEqual([]);
    expect(r.load, r.output.slice(-1500)).not.toBeNull();
    console.log(`espruino-wifi (PACE) after load on pico64: ${r.load.after} variables used, ${r.load.free} free of ${r.load.total}`);
    expect(r.read, r.output.slice(-1500)).not.toBeNull();
    expect(r.read!.failure).toBe('');
    expect(r.read!.final).toBe(MSG.ERROR);
    expect(r.read!.consumed).toBeGreaterThan(10); // the probe's PN532 exchanges ran
  }, 180_000);
});
