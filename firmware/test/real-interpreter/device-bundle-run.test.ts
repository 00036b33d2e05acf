// The Pico's device bundle (pooled constants, stripped prose: tools/device-bundles.ts) runs on the
// real interpreter, not only loads: Espruino parses a function body when it first runs it, so
// bundle-load.test.ts alone would not see a body the tokeniser or the interpreter refuses. With
// the played-back PN532 of scripted-read.ts it answers hello, probes the PN532 and starts the
// read; there is no native blob on Linux (NATIVE_ONLY), so the read ends in an error message,
// with no uncaught error or warning on the way.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MSG } from '@epassport/protocol';
import { deviceBundlePath } from '../../tools/device-bundles';
import { interpreterRuns } from './availability';
import { runScriptedRead } from './run-scripted-read';
import { recordRead, type ScriptedRead } from './scripted-read';

let recorded: ScriptedRead | null = null;
/** utopia-jp2's EF.COM, EF.SOD and DG1 recorded in the shim, once, when a test runs. */
const scripted = (): ScriptedRead => (recorded ??= recordRead('utopia-jp2', [1]));

describe.skipIf(!interpreterRuns("the Pico's device bundle running on the real interpreter"))("the Pico's device bundle on the real Espruino interpreter", () => {
  const pico = deviceBundlePath('pico');

  it('answers hello, probes the PN532 over HSU and ends the read without the blob in an error message, no complaint', async () => {
    const r = await runScriptedRead(scripted(), 'pico64', 120_000, pico, true);
    expect(r.complaints).toEqual([]);
    expect(r.read, r.output.slice(-1500)).not.toBeNull();
    expect(r.read!.failure).toBe('');
    expect(r.read!.final).toBe(MSG.ERROR);
    expect(r.read!.consumed).toBeGreaterThan(10); // the probe's PN532 exchanges ran
  }, 180_000);

  it('a body that fails only when it runs is caught (the check can fail)', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'fw-run-')), 'firmware-pico.js');
    const source = readFileSync(pico, 'latin1');
    expect(source).toContain('LoopbackA.setConsole(');
    writeFileSync(broken, source.replace('LoopbackA.setConsole(', 'LoopbackA.noSuchMember('), 'latin1');
    const r = await runScriptedRead(scripted(), 'pico64', 120_000, broken, true);
    expect(r.complaints.join('\n')).toMatch(/Uncaught|Error/);
  }, 180_000);
});
