// The committed table: its types, its path, and a stable layout (one line per list) so that a
// regeneration shows as a readable diff.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeResult } from './run-probe';
import type { SourceBoard } from './source-tables';

export const TABLE_PATH = join(import.meta.dirname, 'espruino-members.json');

export interface BoardTable {
  name: string;
  /** How the table was obtained and where it differs from the probed Linux build. */
  notes: string[];
  /** Global name -> typeof (pins are listed apart). */
  globals: Record<string, string>;
  pins: string[];
  /** On-board devices: LED1 -> 'B2'. */
  devices: Record<string, string>;
  usart: number;
  spi: number;
  i2c: number;
  variables: number;
  /** Flash for saved code and Storage (bytes). */
  savedCodeBytes: number;
  /** Global -> members reachable on its value (own and inherited). */
  statics: Record<string, string[]>;
  /** Built-in type -> members reachable on an instance. */
  instances: Record<string, string[]>;
  /** require()-able module -> members. */
  modules: Record<string, string[]>;
  /** Global object -> its type (Serial1 -> Serial, LED1 -> Pin). */
  types: Record<string, string>;
}

export interface MemberTable {
  about: string;
  interpreter: { version: string; commit: string; board: string };
  source: { repository: string; commit: string; boards: Record<string, SourceBoard> };
  probe: ProbeResult;
  boards: Record<string, BoardTable>;
}

export function readTable(path = TABLE_PATH): MemberTable {
  return JSON.parse(readFileSync(path, 'utf8')) as MemberTable;
}

/** JSON with every list of strings on one line. */
export function formatTable(table: MemberTable): string {
  return JSON.stringify(table, null, 1).replace(/\[\s+("(?:[^"\\]|\\.)*"(?:,\s+"(?:[^"\\]|\\.)*")*)\s+\]/g,
    (_m, inner: string) => '[' + inner.replace(/",\s+"/g, '", "') + ']') + '\n';
}
