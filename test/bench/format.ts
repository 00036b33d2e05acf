// The bench tables, as Markdown (they go into test/bench/README.md as printed).

import { DEVICE_COST, NATIVE_COUNTS, TS_INTERPRETED_US_PER_KB } from './device-cpu';
import { PHASES, type BenchResult } from './run-reading';

const f0 = (n: number): string => n.toFixed(0);
const f1 = (n: number): string => n.toFixed(1);
const pct = (n: number): string => (100 * n).toFixed(0);
const line = (cells: string[]): string => '| ' + cells.join(' | ') + ' |';
const table = (head: string[], rows: string[][]): string => [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');

export function formatTable(results: BenchResult[]): string {
  const head = ['document', 'chip Le', 'link (bus / RF kbit/s)', 'total ms', 'total ms (CPU low)', 'link+card ms', 'device CPU ms', 'CPU share %', 'overlap ms',
    ...PHASES.map((p) => p + ' ms'), 'APDUs', 'exchanges', 'UART B', 'air B', 'limit ms', 'PN532 limit ms', 'limit/achieved', 'PN532-limit/achieved', 'verified'];
  const rows = results.map((r) => [
    r.document, r.chip, r.link, f0(r.totalMs), f0(r.totalLowMs), f0(r.deviceMs), `${f0(r.deviceCpuMs.low)}–${f0(r.deviceCpuMs.high)}`,
    `${pct(r.cpuShare.low)}–${pct(r.cpuShare.high)}`, `${f0(r.overlapMs.low)}–${f0(r.overlapMs.high)}`,
    ...PHASES.map((p) => (p === 'PA host' ? f1(r.phases[p]) : f0(r.phases[p]))), String(r.apdus), String(r.exchanges),
    String(r.uartBytes), String(r.airBytes), f0(r.limitMs), f0(r.pn532LimitMs), r.ratio.toFixed(3), r.pn532Ratio.toFixed(3), r.verified ? 'yes' : 'NO',
  ]);
  return table(head, rows);
}

/** Per primitive: the blob on the Cortex-M4 (native-counts.json) and the TypeScript interpreted
 * (../shared/espruino/README.md), µs per KB at 84 MHz, low–high. */
export function formatPrimitives(): string {
  const rows: string[][] = [];
  for (const [name, c] of Object.entries(NATIVE_COUNTS.perKB)) {
    const ts = TS_INTERPRETED_US_PER_KB[name];
    rows.push([name, String(c.instructions), `${f0(c.us.low)}–${f0(c.us.high)}`, ts ? `${f0(ts.low / 1000)}–${f0(ts.high / 1000)} ms` : 'not measured',
      ts ? `${f0(ts.low / c.us.high)}–${f0(ts.high / c.us.low)}x` : '']);
  }
  return table(['primitive (per KB)', 'native Thumb instructions', 'native µs', 'TypeScript interpreted', 'speed-up'], rows);
}

/** PACE and Chip Authentication on pace.bin (issue #18): the curve work the device does, from the
 * instruction counts (native-counts.json perCall, npm run native:count), against the targets. */
export function formatPace(): string {
  const c = NATIVE_COUNTS.perCall;
  const n = (v: number): string => (v < 1 ? v.toFixed(3) : f0(v));
  const ms = (k: string): string => (c[k] ? `${n(c[k].us.low / 1000)}–${n(c[k].us.high / 1000)}` : 'not counted');
  const rows: string[][] = [];
  for (const curve of ['brainpoolP256r1', 'P256']) {
    rows.push([`PACE-GM, ${curve}: 5 scalar multiplications + 1 addition`, ms(`pace_gm_curves_${curve}`), curve === 'brainpoolP256r1' ? '≤ 300' : '']);
    rows.push([`Chip Authentication, ${curve}: 2 scalar multiplications`, ms(`chip_auth_curves_${curve}`), '≤ 150']);
    rows.push([`one scalar multiplication k·P, ${curve} (${c[`ec_mul_${curve}`]?.instructions ?? '?'} instructions)`, ms(`ec_mul_${curve}`), '']);
  }
  rows.push(['AES-128 block (nonce, SM IV)', ms('aes128_block'), '']);
  return table(['device work (pace.bin, 84 MHz)', 'device CPU ms (low–high)', 'target ms'], rows);
}

/** The interpreted JS per operation (device-cost.json). */
export function formatJsOps(): string {
  const rows = Object.entries(DEVICE_COST.ops).map(([op, c]) => [op, String(c.x86Instructions), `${f1(c.us.low / 1000)}–${f1(c.us.high / 1000)}`, (c as { what?: string }).what ?? '']);
  return table(['JS operation', 'x86 instructions (callgrind)', 'Pico ms', 'what'], rows);
}

/** The README's short table: per document and chip, the fastest HSU row and the 115,200 / 106 row. */
export function formatSummary(results: BenchResult[]): string {
  const pick = results.filter((r) => r.link.startsWith('HSU 115200') || r.link.startsWith('HSU 1288000'));
  const s2 = (ms: number): string => (ms / 1000).toFixed(2) + ' s';
  const rows = pick.map((r) => [r.document, r.chip, r.link, `${s2(r.totalLowMs)}–${s2(r.totalMs)}`, s2(r.deviceMs),
    `${pct(r.cpuShare.low)}–${pct(r.cpuShare.high)} %`, s2(r.limitMs), s2(r.pn532LimitMs), r.ratio.toFixed(3), r.pn532Ratio.toFixed(3)]);
  return table(['document', 'chip', 'link (PN532 bus / RF kbit/s)', 'total (CPU low–high)', 'link + card', 'device CPU share', 'link limit', 'PN532 limit', 'limit/achieved', 'PN532-limit/achieved'], rows);
}
