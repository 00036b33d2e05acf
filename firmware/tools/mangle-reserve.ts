// Property names esbuild must not shorten in an Espruino bundle: every name that crosses the
// bundle's edge. The bundler shortens all other property names (flash bytes, and Espruino keeps
// names of up to ~4 characters inside one variable, so RAM too).
//
// What crosses the edge, and how each is kept:
// - JavaScript built-ins (length, subarray, charCodeAt, ...): every own member of the standard
//   constructors and prototypes, read from this Node (a superset of Espruino's).
// - The Espruino API the firmware calls, and its option and event objects: every member declared
//   in src/espruino.d.ts.
// - The board file passed to Firmware.start(): every member declared in src/board-config.ts.
// - Names the REPL or a host reads on the bundle's objects: PUBLIC_MEMBERS.
// - Names looked up by a computed key (`table[name]`): every identifier-like string literal of
//   the bundle (the bundler collects them from a first, unmangled build).
// - ALL_CAPS names (constant tables, enum members): esbuild inlines enum members only while their
//   names are left alone, so shortening them would cost bytes.
// Protocol messages need no entry: the codec (inside the bundle) turns their fields into bytes.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = join(dirname(fileURLToPath(import.meta.url)), '../src');

/** Read from outside the bundle: Firmware.nfcChip().firmware in the REPL; IcaoError fields. */
const PUBLIC_MEMBERS = ['start', 'nfcChip', 'firmware', 'code', 'sw', 'message', 'name'];

const STANDARD_OBJECTS: unknown[] = [
  Object, Function, Array, String, Number, Boolean, Math, JSON, Date, RegExp, Error, RangeError,
  TypeError, Promise, ArrayBuffer, DataView, Uint8Array, Int8Array, Uint16Array, Int16Array,
  Uint32Array, Int32Array, Float32Array, Float64Array, Object.getPrototypeOf(Uint8Array),
];

function builtinMembers(): string[] {
  const out: string[] = [];
  for (const o of STANDARD_OBJECTS) {
    out.push(...Object.getOwnPropertyNames(o));
    const proto = (o as { prototype?: object }).prototype;
    if (proto) out.push(...Object.getOwnPropertyNames(proto));
  }
  return out;
}

/** Member names declared in a TypeScript declaration file (`name:`, `name?:`, `name(`). Global
 * functions (`declare function setTimeout(`) are not members: a property of the bundle's own
 * that shares their name (Timers.setTimeout) may be shortened. */
function declaredMembers(file: string): string[] {
  const text = readFileSync(join(srcDir, file), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '').replace(/declare function [\w$]+/g, '');
  return [...text.matchAll(/([A-Za-z_$][\w$]*)\??\s*[:(]/g)].map((m) => m[1]);
}

/** The reserved names as one esbuild `reserveProps` pattern; `literals`: the bundle's strings. */
export function reservedProps(literals: Iterable<string>): RegExp {
  const names = new Set([
    ...builtinMembers(),
    ...declaredMembers('espruino.d.ts'),
    ...declaredMembers('board-config.ts'),
    ...PUBLIC_MEMBERS,
  ]);
  for (const s of literals) if (/^[A-Za-z_$][\w$]*$/.test(s)) names.add(s);
  const list = [...names].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n)).sort();
  return new RegExp('^([A-Z][A-Z0-9_]*|' + list.map((n) => n.replace(/\$/g, '\\$')).join('|') + ')$');
}
