// The Pico's own device bundle (dist/firmware-pico.js, native code paths) measured on the real
// interpreter: runOracleRead (oracle-read.ts) on the measurement interpreter
// (build-measure-interpreter.sh: the 64-bit build with 8,191 variables and the same JsVar layout),
// whose room the oracle's own variables (726 on a 5,100-variable build would leave the firmware
// less than a Pico has) no longer take from the firmware. At every sample the firmware's usage is
// the interpreter's less the fake reader's share and the oracle's, both measured when they load
// (the oracle allocates nothing per call: native-oracle.test.ts); so the firmware's peak is the
// peak usage less both shares, and a Pico's free variables at that peak are 5,100 less it.
// Checked: the same subtraction on a read with no oracle (firmware-pico-ts.js, fake share only)
// gives the same peak on this build as on the 5,100-variable one (`crossCheck`).
//
// Used by measure-memory.ts (`MEASURE_ONLY=oracle npm run measure:memory`: only this, ~10 minutes,
// written into memory.json's `picoOracleRead`, dated, the other figures left as they were).

import { interpreterProblem } from './espruino-runner';
import { runOracleRead } from './oracle-read';
import { runScriptedRead, type ReadFigures } from './run-scripted-read';
import { PICO_TS_BUNDLE, recordRead, type ScriptedRead } from './scripted-read';
import { loadBoard } from '@epassport/hardware/boards/index';

/** A Pico's variables (boards/PICO_R1_3.py). */
const PICO_VARIABLES = 5100;
const TIMEOUT_MS = 1_800_000;

/** One read's figures, the firmware's own (the fake's and the oracle's shares subtracted). */
export interface FirmwareRead {
  afterLoad: number;
  peakUsed: number;
  /** On a Pico: 5,100 less peakUsed. */
  peakFree: number;
  peakAtEvent: number;
  startedUsed: number;
  endUsed: number;
  oracleVars: number;
  fakeReaderVars: number;
  samples: number;
  wallSeconds: number;
}

/** Why a read's figures are not a measurement, or '' when they are. */
function readProblem(r: ReadFigures): string {
  if (!r.read) return 'no result: ' + (r.complaints.join('; ') || r.output.slice(-300));
  if (r.read.failure) return r.read.failure + (r.complaints.length ? ' (' + r.complaints.join('; ') + ')' : '');
  if (r.read.final !== 0x86) return 'final message ' + r.read.final;
  if (r.read.consumed !== r.read.events) return `${r.read.consumed} of ${r.read.events} events`;
  return r.complaints.join('; ');
}

function firmwareFigures(r: ReadFigures, oracleVars: number): FirmwareRead {
  const own = r.load.fake + oracleVars;
  const peakUsed = r.read.peak - own;
  return {
    afterLoad: r.load.after - oracleVars,
    peakUsed,
    peakFree: PICO_VARIABLES - peakUsed,
    peakAtEvent: r.read.peakAt,
    startedUsed: r.read.started - own,
    endUsed: r.read.end - own,
    oracleVars,
    fakeReaderVars: r.load.fake,
    samples: r.read.samples,
    wallSeconds: Math.round(r.wallMs / 1000),
  };
}

/** firmware-pico.js reading `scripted` on the oracle, on a measurement interpreter. */
async function measureOracleRead(scripted: ScriptedRead, build: 'pico64-measure' | 'pico32-measure' = 'pico64-measure'): Promise<FirmwareRead> {
  const r = await runOracleRead(scripted, build, TIMEOUT_MS);
  const problem = readProblem(r);
  if (problem) throw new Error(`firmware-pico.js on the oracle: ${problem}\n${r.output.slice(-1500)}`);
  return firmwareFigures(r, r.load.oracle);
}

/** firmware-pico-ts.js reading `scripted` with no oracle on `build`: the fake's share only. */
export async function measureTsRead(scripted: ScriptedRead, build: 'pico64' | 'pico64-measure'): Promise<FirmwareRead> {
  const r = await runScriptedRead(scripted, build, TIMEOUT_MS, PICO_TS_BUNDLE, true);
  const problem = readProblem(r);
  if (problem) throw new Error(`firmware-pico-ts.js on ${build}: ${problem}\n${r.output.slice(-1500)}`);
  return firmwareFigures(r, 0);
}

/** The line printed when the measurement interpreter is missing (nothing is measured then). */
function notMeasuredLine(problem: string): string {
  return `not measured: firmware-pico.js's peak on the native oracle (${problem}; build it with ` +
    'firmware/test/real-interpreter/build-measure-interpreter.sh /path/to/Espruino-checkout)';
}

/** memory.json's `picoOracleRead`: firmware-pico.js on the oracle from a short-block chip and from
 * an extended-length chip (the board's maxRead), and the cross-check. `tsOnPico64` is the
 * pico64 (5,100) peak of the same short-block TS read when the caller has it already. Without the
 * measurement interpreter: `{ notMeasured }`, and one line printed. */
export async function oracleReads(fixture: string, groups: number[], tsOnPico64?: Pick<FirmwareRead, 'peakUsed' | 'afterLoad'>): Promise<Record<string, unknown>> {
  const problem = interpreterProblem('pico64-measure');
  if (problem) {
    console.log(notMeasuredLine(problem));
    return { notMeasured: problem };
  }
  const maxRead = loadBoard('pico').maxRead;
  const short = recordRead(fixture, groups, { bundle: PICO_TS_BUNDLE });
  const extended = recordRead(fixture, groups, { bundle: PICO_TS_BUNDLE, extendedLength: true });
  const t0 = Date.now();
  const shortBlocks = await measureOracleRead(short);
  console.log('firmware-pico.js on the oracle, short blocks', JSON.stringify(shortBlocks));
  const extendedBlocks = await measureOracleRead(extended);
  console.log(`firmware-pico.js on the oracle, extended-length chip (maxRead ${maxRead})`, JSON.stringify(extendedBlocks));
  // The Pico's 13-byte blocks (espruino-pico32's layout, under qemu-i386: ~8 minutes a read).
  const problem32 = interpreterProblem('pico32-measure');
  let pico32: Record<string, unknown> = { notMeasured: problem32 };
  if (!problem32) {
    const shortBlocks32 = await measureOracleRead(short, 'pico32-measure');
    console.log('firmware-pico.js on the oracle, 13-byte blocks, short blocks', JSON.stringify(shortBlocks32));
    const extendedBlocks32 = await measureOracleRead(extended, 'pico32-measure');
    console.log(`firmware-pico.js on the oracle, 13-byte blocks, extended-length chip (maxRead ${maxRead})`, JSON.stringify(extendedBlocks32));
    pico32 = { shortBlocks: shortBlocks32, extendedBlocks: extendedBlocks32 };
  } else console.log(`not measured: firmware-pico.js with 13-byte blocks (${problem32})`);
  const tsMeasure = await measureTsRead(short, 'pico64-measure');
  const tsPico = tsOnPico64 ?? await measureTsRead(short, 'pico64');
  const crossCheck = {
    what: 'firmware-pico-ts.js, short blocks, no oracle: peak less the fake reader\'s share on both builds',
    pico64PeakUsed: tsPico.peakUsed,
    measurePeakUsed: tsMeasure.peakUsed,
    difference: tsMeasure.peakUsed - tsPico.peakUsed,
    pico64AfterLoad: tsPico.afterLoad,
    measureAfterLoad: tsMeasure.afterLoad,
  };
  console.log('cross-check', JSON.stringify(crossCheck));
  return {
    measured: new Date().toISOString(),
    interpreter: 'measure-interpreter/espruino: Espruino 2v29.277 64-bit, 8,191 variables, the JsVar layout of 5,100 (build-measure-interpreter.sh)',
    bundle: 'firmware-pico.js (pretokenised) on native-oracle.ts',
    method: 'usage at every UART/USB write (after a GC) less the fake reader\'s and the oracle\'s shares, measured at load; free = 5,100 less the peak',
    maxRead,
    shortBlocks,
    extendedBlocks,
    /** The same reads on measure-interpreter/espruino-pico32: the Pico's 13-byte blocks. */
    pico32,
    crossCheck,
    wallSeconds: Math.round((Date.now() - t0) / 1000),
  };
}
