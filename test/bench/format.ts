// The bench table, as Markdown (it goes into test/bench/README.md as printed).

import { PHASES, type BenchResult } from './run-reading';

const f0 = (n: number): string => n.toFixed(0);
const f1 = (n: number): string => n.toFixed(1);

export function formatTable(results: BenchResult[]): string {
  const head = ['document', 'chip Le', 'link (bus / RF kbit/s)', 'total ms', ...PHASES.map((p) => p + ' ms'), 'APDUs', 'UART B', 'air B',
    'limit ms', 'limit/achieved', 'host CPU ms', 'device CPU s (est.)', 'verified'];
  const rows = results.map((r) => [
    r.document, r.chip, r.link, f0(r.totalMs), ...PHASES.map((p) => (p === 'PA host' ? f1(r.phases[p]) : f0(r.phases[p]))), String(r.apdus),
    String(r.uartBytes), String(r.airBytes), f0(r.limitMs), r.ratio.toFixed(2), f1(r.hostCpuMs), f1(r.deviceCpuS), r.verified ? 'yes' : 'NO',
  ]);
  const line = (cells: string[]): string => '| ' + cells.join(' | ') + ' |';
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
