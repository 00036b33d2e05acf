// Issue #14's memory table: what each board stores in flash (computed now from the built device
// bundles and blobs, as `npm run flash` would store them) and the variables its bundle takes on the
// real interpreter, from the last `npm run measure:memory` (firmware/test/real-interpreter/
// memory.json, dated in the table): after load, and at the peak of the scripted utopia-jp2 read.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOARD_BUDGETS, storedBytes } from '../../firmware/tools/board-budgets';
import { buildDeviceBundle, deviceBundles } from '../../firmware/tools/device-bundles';
import { boardStoredFiles } from '../../firmware/tools/flash';

const MEMORY_JSON = join(import.meta.dirname, '../../firmware/test/real-interpreter/memory.json');

interface Use { used: number; free: number }
interface Build {
  total: number;
  afterLoad: Record<string, Use>;
  scriptedRead?: { bundle: string; afterLoad: number; peakUsed: number; peakFree: number };
}
interface FirmwareRead { afterLoad: number; peakUsed: number; peakFree: number }
interface OracleRead {
  notMeasured?: string;
  measured?: string;
  maxRead?: number;
  shortBlocks?: FirmwareRead & { oracleVars: number };
  extendedBlocks?: FirmwareRead;
  crossCheck?: { pico64PeakUsed: number; measurePeakUsed: number };
  /** The same reads with the Pico's 13-byte blocks (espruino-pico32's layout). */
  pico32?: { notMeasured?: string | null; shortBlocks?: FirmwareRead; extendedBlocks?: FirmwareRead };
}
interface MemoryJson { measured: string; read: { fixture: string; dataGroups: number[] }; builds: Record<string, Build>; picoOracleRead?: OracleRead }

const n = (x: number | undefined): string => (x === undefined ? '–' : x.toLocaleString('en-US'));

/** Markdown table: one row per board file. */
export async function formatMemory(): Promise<string> {
  const m = JSON.parse(readFileSync(MEMORY_JSON, 'utf8')) as MemoryJson;
  const b64 = m.builds.pico64;
  const b32 = m.builds.pico32;
  const read = b64.scriptedRead;
  const rows: string[][] = [];
  for (const b of deviceBundles()) {
    const source = existsSync(b.path) ? readFileSync(b.path, 'utf8') : await buildDeviceBundle(b);
    const stored = storedBytes(boardStoredFiles(source, b.config));
    const budget = BOARD_BUDGETS[b.config.board];
    const key = `firmware-${b.board}.js (stored)`;
    rows.push([
      b.board,
      `${n(stored)} / ${n(budget.limit)}${stored > budget.limit ? ' **over**' : ''}`,
      `${n(b64.afterLoad[key]?.used)} (${n(b64.afterLoad[key]?.free)} free)`,
      `${n(b32?.afterLoad[key]?.used)} (${n(b32?.afterLoad[key]?.free)} free)`,
    ]);
  }
  const head = ['board', 'stored bytes / budget', `vars after load, 64-bit build (of ${n(b64.total)})`, 'vars after load, pico32 (13-byte blocks)'];
  const lines = [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
  const peak = read
    ? `Peak of the scripted ${m.read.fixture} read (EF.COM, EF.SOD, DG${m.read.dataGroups.join(', DG')}) on the 64-bit build, ` +
      `\`${read.bundle}\` (the Pico's bundle with the TypeScript crypto in place of the blob, which cannot run on x86): ` +
      `${n(read.afterLoad)} after load, ${n(read.peakUsed)} at the peak, **${n(read.peakFree)} free**.`
    : 'No scripted read in memory.json.';
  return `${lines.join('\n')}\n\nVariables measured ${m.measured.slice(0, 16).replace('T', ' ')} UTC (\`npm run measure:memory\`); stored bytes computed now. ${peak} ${picoPeak(m.picoOracleRead)}`;
}

/** The Pico bundle's own peak (measure-oracle.ts), or why there is none. */
function picoPeak(o: OracleRead | undefined): string {
  if (!o || !o.shortBlocks || !o.extendedBlocks || !o.crossCheck || !o.measured) {
    return `The Pico's own bundle (\`firmware-pico.js\`) was not measured at the peak${o?.notMeasured ? ` (${o.notMeasured})` : ''}: build the measurement interpreter (firmware/test/real-interpreter/build-measure-interpreter.sh). Issue #14's target: >= 1,250 free.`;
  }
  const s = o.shortBlocks;
  const e = o.extendedBlocks;
  const c = o.crossCheck;
  return `**The Pico's own bundle, \`firmware-pico.js\`, measured** (${o.measured.slice(0, 16).replace('T', ' ')} UTC): the same read with its native code paths, ` +
    `the blob answered by a JavaScript oracle on an 8,191-variable build of the same interpreter (same JsVar layout), the oracle's ${n(s.oracleVars)} variables subtracted: ` +
    `${n(s.afterLoad)} after load; short blocks ${n(s.peakUsed)} at the peak, **${n(s.peakFree)} free** of 5,100; ` +
    `from an extended-length chip in ${n(o.maxRead)}-byte blocks (the board's maxRead) ${n(e.peakUsed)}, **${n(e.peakFree)} free**. ` +
    `${pico32Peak(o)}Issue #14's target: >= 1,250 free. Cross-check, the TypeScript-crypto read on both builds, the same subtraction: ${n(c.pico64PeakUsed)} (5,100) / ${n(c.measurePeakUsed)} (8,191) at the peak.`;
}

/** The same with the Pico's 13-byte blocks, or why not. */
function pico32Peak(o: OracleRead): string {
  const p = o.pico32;
  if (!p || !p.shortBlocks || !p.extendedBlocks) return `With the Pico's 13-byte blocks: not measured${p?.notMeasured ? ` (${p.notMeasured})` : ''}. `;
  return `With the Pico's 13-byte blocks (espruino-pico32's layout, 8,191 variables): ${n(p.shortBlocks.afterLoad)} after load; ` +
    `short blocks ${n(p.shortBlocks.peakUsed)}, **${n(p.shortBlocks.peakFree)} free**; ${n(o.maxRead)}-byte blocks ${n(p.extendedBlocks.peakUsed)}, **${n(p.extendedBlocks.peakFree)} free**. `;
}
