// Runs scenarios N times each and sums the runs into one row per scenario; formats the table.

import { runScenario, type RunResult } from './run-scenario';
import type { Scenario } from './scenario';

export interface MatrixRow {
  scenario: string;
  group: string;
  runs: number;
  /** Outcome name -> runs. */
  outcomes: Map<string, number>;
  verified: number;
  typedErrors: number;
  unexpected: number;
  dataLost: number;
  duplicated: number;
  wrongVerdicts: number;
  hangs: number;
  crashes: number;
  notIdle: number;
  /** Failing runs (any must-be-zero column), with their seeds, for reproduction. */
  failures: RunResult[];
  /** Virtual ms of the faulted reads, summed. */
  virtualMs: number;
}

/** Columns that must stay 0. */
export const MUST_BE_ZERO = ['unexpected', 'dataLost', 'duplicated', 'wrongVerdicts', 'hangs', 'crashes', 'notIdle'] as const;

export function failed(r: RunResult): boolean {
  return !r.expected || r.dataLost > 0 || r.duplicated > 0 || r.wrongVerdicts > 0 || r.hang || r.crashes > 0 || !r.idleAfter;
}

export async function runMatrix(scenarios: Scenario[], runs: number, baseSeed: number, onRow?: (row: MatrixRow) => void): Promise<MatrixRow[]> {
  const rows: MatrixRow[] = [];
  for (let si = 0; si < scenarios.length; si++) {
    const s = scenarios[si];
    const row: MatrixRow = {
      scenario: s.name, group: s.group, runs: 0, outcomes: new Map(), verified: 0, typedErrors: 0, unexpected: 0,
      dataLost: 0, duplicated: 0, wrongVerdicts: 0, hangs: 0, crashes: 0, notIdle: 0, failures: [], virtualMs: 0,
    };
    for (let i = 0; i < runs; i++) {
      const seed = (baseSeed + si * 7919 + i * 104729) >>> 0;
      const r = await runScenario(s, seed);
      row.runs++;
      row.outcomes.set(r.outcome, (row.outcomes.get(r.outcome) ?? 0) + 1);
      if (r.outcome === 'verified') row.verified++;
      else if (!['untyped', 'no-final', 'hang', 'unverified', 'abandoned'].includes(r.outcome)) row.typedErrors++;
      if (!r.expected) row.unexpected++;
      row.dataLost += r.dataLost;
      row.duplicated += r.duplicated;
      row.wrongVerdicts += r.wrongVerdicts;
      if (r.hang) row.hangs++;
      row.crashes += r.crashes;
      if (!r.idleAfter) row.notIdle++;
      row.virtualMs += r.virtualMs;
      if (failed(r)) row.failures.push(r);
    }
    rows.push(row);
    if (onRow) onRow(row);
  }
  return rows;
}

function outcomeText(row: MatrixRow): string {
  return [...row.outcomes.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => k + ' ' + n).join(', ');
}

export const TABLE_HEADER = ['scenario', 'runs', 'verified', 'typed err', 'outcomes', 'unexp', 'lost B', 'dup B', 'wrong', 'hangs', 'crash', 'not idle'];

export function tableLine(row: MatrixRow): string[] {
  return [row.scenario, String(row.runs), String(row.verified), String(row.typedErrors), outcomeText(row), String(row.unexpected),
    String(row.dataLost), String(row.duplicated), String(row.wrongVerdicts), String(row.hangs), String(row.crashes), String(row.notIdle)];
}

export function formatTable(rows: MatrixRow[]): string {
  const lines = [TABLE_HEADER, ...rows.map(tableLine)];
  const total = rows.reduce((t, r) => {
    t.runs += r.runs; t.verified += r.verified; t.typedErrors += r.typedErrors; t.unexpected += r.unexpected; t.dataLost += r.dataLost;
    t.duplicated += r.duplicated; t.wrongVerdicts += r.wrongVerdicts; t.hangs += r.hangs; t.crashes += r.crashes; t.notIdle += r.notIdle;
    return t;
  }, { runs: 0, verified: 0, typedErrors: 0, unexpected: 0, dataLost: 0, duplicated: 0, wrongVerdicts: 0, hangs: 0, crashes: 0, notIdle: 0 });
  lines.push(['TOTAL', String(total.runs), String(total.verified), String(total.typedErrors), '', String(total.unexpected), String(total.dataLost),
    String(total.duplicated), String(total.wrongVerdicts), String(total.hangs), String(total.crashes), String(total.notIdle)]);
  const widths = TABLE_HEADER.map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  return lines.map((l) => l.map((cell, c) => (c === 0 || c === 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n') + '\n';
}

export function describeFailure(r: RunResult): string {
  return `${r.scenario} seed=${r.seed} board=${r.board}: outcome ${r.outcome}${r.expected ? '' : ' (unexpected)'}, lost ${r.dataLost}, dup ${r.duplicated}, wrong ${r.wrongVerdicts}, hang ${r.hang}, crashes ${r.crashes}, idle after ${r.idleAfter}` +
    (r.notes.length ? '\n    ' + r.notes.slice(0, 6).join('\n    ') : '');
}
