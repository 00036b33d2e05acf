// What a bundle may use, read from the generated member table (espruino-members.json): for a
// set of boards, only what every one of them has. The gate and the shim's strict context both
// read it here; there is no second list.

import { readTable, type BoardTable } from './table-file';

/** The boards the firmware is built for: it may use only what both have. */
export const FIRMWARE_BOARDS = ['PICO_R1_3', 'ESPRUINOWIFI'] as const;

/** Shim board profile ids -> table board ids. */
export const TABLE_BOARD_OF: Readonly<Record<string, string>> = { PICO: 'PICO_R1_3', ESPRUINO_WIFI: 'ESPRUINOWIFI' };

export interface EspruinoApi {
  boards: readonly string[];
  /** Global name -> typeof its value (pins apart). */
  globals: ReadonlyMap<string, string>;
  pins: ReadonlySet<string>;
  /** Global -> members reachable on its value. */
  statics: ReadonlyMap<string, ReadonlySet<string>>;
  /** Built-in type (Array, String, Uint8Array, Pin, Serial, ...) -> members of an instance. */
  instances: ReadonlyMap<string, ReadonlySet<string>>;
  modules: ReadonlyMap<string, ReadonlySet<string>>;
  /** Global object -> its type (Serial1 -> Serial). */
  types: ReadonlyMap<string, string>;
  /** Every member of every global, instance type and module. */
  anyMember: ReadonlySet<string>;
}

const cache = new Map<string, EspruinoApi>();

function intersect(lists: string[][]): Set<string> {
  const [first, ...rest] = lists;
  return new Set(first.filter((n) => rest.every((l) => l.includes(n))));
}

function intersectMaps(boards: BoardTable[], pick: (b: BoardTable) => Record<string, string[]>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of Object.keys(pick(boards[0]))) {
    if (boards.every((b) => pick(b)[key])) out.set(key, intersect(boards.map((b) => pick(b)[key])));
  }
  return out;
}

export function espruinoApi(boardIds: readonly string[] = FIRMWARE_BOARDS): EspruinoApi {
  const key = boardIds.join(',');
  const hit = cache.get(key);
  if (hit) return hit;
  const table = readTable();
  const boards = boardIds.map((id) => {
    const b = table.boards[id];
    if (!b) throw new Error(`no board ${id} in the member table (has ${Object.keys(table.boards).join(', ')})`);
    return b;
  });
  const globals = new Map<string, string>();
  for (const g of intersect(boards.map((b) => Object.keys(b.globals)))) globals.set(g, boards[0].globals[g]);
  const types = new Map<string, string>();
  for (const [g, t] of Object.entries(boards[0].types)) if (globals.has(g) && boards.every((b) => b.types[g] === t)) types.set(g, t);
  const statics = intersectMaps(boards, (b) => b.statics);
  const instances = intersectMaps(boards, (b) => b.instances);
  const modules = intersectMaps(boards, (b) => b.modules);
  const anyMember = new Set<string>();
  for (const map of [statics, instances, modules]) for (const s of map.values()) s.forEach((n) => anyMember.add(n));
  const api: EspruinoApi = {
    boards: boardIds, globals, pins: intersect(boards.map((b) => b.pins)), statics, instances, modules, types, anyMember,
  };
  cache.set(key, api);
  return api;
}
