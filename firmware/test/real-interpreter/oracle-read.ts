// The Pico's own device bundle (dist/firmware-pico.js, native code paths) on the real interpreter,
// with native-oracle.ts standing in for the Thumb-2 blob: the oracle bundled for Espruino, a
// Storage file `native` with the blob's header, and a scripted read (scripted-read.ts) run as
// runScriptedRead runs it, with the oracle loaded first and its own variables measured and
// subtracted like the fake reader's.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../../tools/bundler';
import { deviceBundlePath } from '../../tools/device-bundles';
import { checkBundle, formatViolations } from '../../tools/espruino-gate';
import { pretokenise } from '../../tools/pretokenise';
import { openSession, type Build, type EspruinoSession } from './espruino-runner';
import { ENTRY_COUNT } from './native-oracle';
import { playRead, type ReadFigures } from './run-scripted-read';
import { RANDOM_SOURCE, type ScriptedRead } from './scripted-read';

export const PICO_BUNDLE = deviceBundlePath('pico');
const ORACLE_ENTRY = join(import.meta.dirname, 'native-oracle.ts');

/** The oracle bundled for Espruino (global NativeOracle: install, release), gate-checked. */
export async function oracleSource(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'oracle-bundle-'));
  try {
    const text = await bundle(ORACLE_ENTRY, join(dir, 'native-oracle.js'), 'NativeOracle', { mangleAll: false });
    const violations = checkBundle(text);
    if (violations.length) throw new Error('the oracle does not pass the Espruino gate:\n' + formatViolations(text, violations));
    return text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Storage file `native` a bundle checks (ABI.md "The blob"): magic EPN1, ABI version 1, the
 * length, no SP tables, one 4-byte word per entry (never executed: the oracle answers the calls). */
export function blobHeader(): string {
  const size = 16 + 4 * ENTRY_COUNT;
  const words = [1, size, 0];
  for (let i = 0; i < ENTRY_COUNT; i++) words.push(0);
  return 'EPN1' + words.map((v) => String.fromCharCode(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff)).join('');
}

/** Stores the oracle and the blob header in a session. */
export async function storeOracle(session: EspruinoSession): Promise<void> {
  session.writeFile('oracle', await oracleSource());
  session.writeFile('native', blobHeader());
}

/** Loads the oracle as the first thing of a script: `oracleVars` is what it holds. */
export const LOAD_ORACLE = `var o0 = process.memory().usage;
eval(require('Storage').read('oracle'));
NativeOracle.install();
var oracleVars = process.memory().usage - o0;
`;

/** As run-scripted-read.ts's script, with the oracle first, and its release() ahead of the
 * fake's sampling at every UART and USB write (the oracle then holds no array of the firmware). */
function mainScript(board: object, trace: boolean): string {
  return RANDOM_SOURCE + (trace ? 'var FAKE_TRACE=1;' : '') + LOAD_ORACLE + `
var m0 = process.memory().usage;
eval(require('Storage').read('fw'));
var m1 = process.memory();
eval(require('Storage').read('fake'));
(function () {
  var uart = Serial1.write, usb = USB.write, release = NativeOracle.release;
  Serial1.write = function (d) { release(); uart(d); };
  USB.write = function (d) { release(); usb(d); };
})();
var m2 = process.memory().usage;
print('@@ load ' + JSON.stringify({ before: m0, after: m1.usage, free: m1.free, fake: m2 - m1.usage, total: m1.total, oracle: oracleVars }));
o0 = m0 = m1 = m2 = oracleVars = undefined;
Firmware.start(${JSON.stringify(board)});
FakeReader.begin();
`;
}

/** Figures of an oracle read; `load.oracle` is the oracle's own share (in before/after too). */
export type OracleReadFigures = ReadFigures & { load: ReadFigures['load'] & { oracle: number } };

/** Runs `scripted` with dist/firmware-pico.js, stored pretokenised as runScriptedRead stores its
 * bundles, on the oracle. */
export async function runOracleRead(scripted: ScriptedRead, build: Build, timeoutMs: number, trace = false): Promise<OracleReadFigures> {
  const session = openSession(build);
  try {
    await storeOracle(session);
    const fw = pretokenise(readFileSync(PICO_BUNDLE, 'latin1'));
    return (await playRead(session, build, scripted, fw, mainScript(scripted.board, trace), timeoutMs)) as OracleReadFigures;
  } finally {
    session.close();
  }
}
