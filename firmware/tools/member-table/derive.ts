// Board tables from the probe of the Linux build and the boards' wrapper tables: a member that
// the Linux build's tables list and the board's do not is removed, one the board's list and the
// Linux build's do not is added; everything else is as the interpreter reported it.

import type { BoardTable, MemberTable } from './table-file';

export type { MemberTable } from './table-file';

export const PROBED_BOARD = 'LINUX_PICO64';
export const TABLE_BOARDS = ['PICO_R1_3', 'ESPRUINOWIFI', PROBED_BOARD] as const;

const TYPED_ARRAYS = ['Uint8Array', 'Uint8ClampedArray', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint24Array',
  'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array'];
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const PIN = /^D[0-9]+$/;

type Tables = Record<string, string[]>;

function union(tables: Tables, sources: string[]): Set<string> {
  const s = new Set<string>();
  for (const t of sources) for (const n of tables[t] ?? []) s.add(n);
  return s;
}

/** `probed` with the difference between the two builds' wrapper tables `sources` applied. */
function adjust(probed: string[], sources: string[], linux: Tables, board: Tables): string[] {
  const l = union(linux, sources);
  const b = union(board, sources);
  const out = new Set(probed.filter((n) => IDENTIFIER.test(n) && !(l.has(n) && !b.has(n))));
  for (const n of b) if (!l.has(n)) out.add(n);
  return [...out].sort();
}

function instanceSources(type: string): string[] {
  if (TYPED_ARRAYS.includes(type)) return ['ArrayBufferView_proto', 'Object_proto'];
  if (type.endsWith('Error')) return [type + '_proto', 'Error_proto', 'Object_proto'];
  return [type + '_proto', 'Object_proto'];
}

export function deriveBoard(table: MemberTable, id: string): BoardTable {
  const probe = table.probe;
  const src = table.source.boards[id];
  const linux = table.source.boards[PROBED_BOARD].tables;
  const board = src.tables;
  const notes: string[] = [];
  if (id === PROBED_BOARD) notes.push(`probed on ${probe.board} ${probe.version}`);
  else notes.push(`derived: the ${PROBED_BOARD} probe changed by the difference of Espruino's wrapper tables for ${id}`);

  const globals: Record<string, string> = {};
  const statics: Record<string, string[]> = {};
  const types: Record<string, string> = {};
  const names = new Set(board.global);
  if (id === PROBED_BOARD) for (const g of Object.keys(probe.globals)) if (!PIN.test(g)) names.add(g);
  for (const g of [...names].sort()) {
    const probedType = probe.globals[g];
    const type = probe.types[g] ?? (src.devices[g] || g === 'BTN' || g === 'LED' ? 'Pin' : undefined);
    const sources = type ? instanceSources(type) : [g, 'Function_proto', 'Object_proto'];
    if (type && g !== 'arguments') types[g] = type;
    if (probedType !== undefined) {
      globals[g] = probedType;
      if (probe.statics[g]) statics[g] = adjust(probe.statics[g], sources, linux, board);
      else if (type === 'Pin') statics[g] = adjust(probe.instances.Pin, sources, linux, board);
    } else {
      // Not in the Linux build: its members are what the board's tables list.
      const isClass = board[g + '_proto'] !== undefined;
      globals[g] = type ? 'object' : isClass ? 'function' : board[g] ? 'object' : 'unknown';
      statics[g] = [...union(board, type ? instanceSources(type) : isClass ? [g, 'Function_proto', 'Object_proto'] : [g, 'Object_proto'])].sort();
      if (id !== PROBED_BOARD) notes.push(`${g}: not in the Linux build, from the wrapper tables only`);
    }
  }
  // The global object's members are the board's globals and pins, not the Linux build's.
  for (const g of ['global', 'globalThis']) {
    if (!statics[g]) continue;
    const s = new Set(statics[g].filter((n) => !(n in probe.globals)));
    for (const n of [...Object.keys(globals), ...src.pins]) s.add(n);
    statics[g] = [...s].sort();
  }
  const dropped = Object.keys(probe.globals).filter((g) => !PIN.test(g) && !names.has(g));
  if (dropped.length) notes.push(`Linux-only globals left out: ${dropped.join(', ')}`);

  const instances: Record<string, string[]> = {};
  for (const [t, members] of Object.entries(probe.instances)) {
    if (t !== 'Object' && t !== 'Array' && t !== 'String' && t !== 'Number' && t !== 'Boolean' && t !== 'Function' && !names.has(t)) continue;
    instances[t] = adjust(members, instanceSources(t), linux, board);
  }
  const modules: Record<string, string[]> = {};
  for (const m of src.modules) {
    const sources = [m, 'Function_proto', 'Object_proto'];
    modules[m] = probe.modules[m] ? adjust(probe.modules[m], sources, linux, board) : [...union(board, sources)].sort();
    if (!probe.modules[m] && id !== PROBED_BOARD) notes.push(`module ${m}: not in the Linux build, from the wrapper tables only`);
  }
  if (id === PROBED_BOARD) checkProbeAgainstSource(table, notes);
  return {
    name: src.name, notes, globals, pins: src.pins, devices: src.devices, usart: src.usart, spi: src.spi, i2c: src.i2c,
    variables: src.variables, savedCodeBytes: src.savedCodeBytes, statics, instances, modules, types,
  };
}

/** The Linux build's own wrapper tables against what its interpreter reported: any name the tables
 * list and the probe did not find is noted (the derivation for the other boards relies on them). */
function checkProbeAgainstSource(table: MemberTable, notes: string[]): void {
  const linux = table.source.boards[PROBED_BOARD].tables;
  const probe = table.probe;
  const missing: string[] = [];
  for (const g of linux.global) if (!(g in probe.globals)) missing.push(g);
  for (const [t, members] of Object.entries(probe.instances)) {
    for (const n of union(linux, instanceSources(t))) if (!members.includes(n)) missing.push(`${t}#${n}`);
  }
  if (missing.length) notes.push(`in the wrapper tables, not found by the probe: ${missing.join(', ')}`);
}
