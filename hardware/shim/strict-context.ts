// Makes a vm context offer what one Espruino board offers, read from the generated member table
// (firmware/tools/member-table/espruino-members.json, the gate's table too; no second list):
// - globals: every global the table does not list for the board is deleted; a table global the
//   shim does not model is a stub that throws "not modelled by the shim" (so `typeof` and name
//   lookups behave as on the board, and a call fails loudly);
// - members: on V8's own built-ins (Object, Math, Array.prototype, %TypedArray%.prototype, ...),
//   every own member the table does not list for that built-in is deleted.
// The shim's own Espruino classes (Pin, Serial, I2C, SPI, E) are written from the same API.

import vm from 'node:vm';
// The table lives in firmware/tools, which the firmware package does not export: imported by path.
import { espruinoApi, TABLE_BOARD_OF, type EspruinoApi } from '../../firmware/tools/member-table/espruino-api';

/** Kept although the table lacks them: V8 cannot delete them (non-configurable); the shim
 * reports errors by them (Espruino errors have `.type`, not `.name`: a known difference); V8's own
 * replace/split/match read a RegExp's flag getters (without them /g replaces once). */
const KEPT_GLOBALS = ['undefined'];
const REGEXP_FLAGS = ['flags', 'global', 'ignoreCase', 'multiline', 'sticky', 'unicode', 'unicodeSets', 'dotAll', 'hasIndices'];
const KEPT_MEMBERS: Record<string, string[]> = {
  Error: ['name'], TypeError: ['name'], SyntaxError: ['name'], ReferenceError: ['name'], RegExp: REGEXP_FLAGS,
};

/** V8 built-ins whose members are checked: table type -> how to reach its prototype. */
const PROTOTYPES: Record<string, string> = {
  Object: 'Object.prototype', Array: 'Array.prototype', String: 'String.prototype', Number: 'Number.prototype',
  Boolean: 'Boolean.prototype', Function: 'Function.prototype', Date: 'Date.prototype', RegExp: 'RegExp.prototype',
  Promise: 'Promise.prototype', Error: 'Error.prototype', TypeError: 'TypeError.prototype',
  SyntaxError: 'SyntaxError.prototype', ReferenceError: 'ReferenceError.prototype', ArrayBuffer: 'ArrayBuffer.prototype',
  DataView: 'DataView.prototype', Uint8Array: 'Object.getPrototypeOf(Uint8Array.prototype)',
};
const TYPED_ARRAYS = ['Uint8Array', 'Uint8ClampedArray', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array',
  'Int32Array', 'Float32Array', 'Float64Array'];

export function tableBoard(profileId: string): string {
  const id = TABLE_BOARD_OF[profileId];
  if (!id) throw new Error(`no member table board for shim board ${profileId}`);
  return id;
}

/** Every global the bundle sees on this board: the table's globals and the board's pins. */
export function visibleGlobals(profileId: string): string[] {
  const api = espruinoApi([tableBoard(profileId)]);
  return [...api.globals.keys(), ...api.pins, ...KEPT_GLOBALS].filter((g) => g !== 'arguments').sort();
}

// A built-in with an own member V8 will not delete (Number.EPSILON, Uint8Array.BYTES_PER_ELEMENT:
// non-configurable) is replaced by a wrapper that calls and constructs the original and carries
// only the table's members; its prototype stays V8's, so instanceof and species still hold.
const LOCKDOWN = `(function (g, allowed, builtIns, prototypes, stubs) {
  var construct = Reflect.construct;
  var define = function (o, k, v) { Object.defineProperty(o, k, { value: v, writable: true, configurable: true, enumerable: false }); };
  var keep = {};
  for (var i = 0; i < allowed.length; i++) keep['$' + allowed[i]] = true;
  var names = Object.getOwnPropertyNames(g);
  for (var j = 0; j < names.length; j++) if (!keep['$' + names[j]]) delete g[names[j]];
  var clean = function (o, members) {
    var ok = {}, left = 0;
    for (var m = 0; m < members.length; m++) ok['$' + members[m]] = true;
    var own = Object.getOwnPropertyNames(o);
    for (var k = 0; k < own.length; k++) if (!ok['$' + own[k]] && !delete o[own[k]]) left++;
    return left;
  };
  var wrap = function (orig, members) {
    var w = function () { return new.target ? construct(orig, arguments, new.target) : orig.apply(this, arguments); };
    for (var m = 0; m < members.length; m++) {
      var k = members[m];
      if (k !== 'prototype' && k !== 'length' && Object.prototype.hasOwnProperty.call(orig, k)) define(w, k, orig[k]);
    }
    w.prototype = orig.prototype;
    define(orig.prototype, 'constructor', w);
    return w;
  };
  for (var b = 0; b < builtIns.length; b++) {
    var name = builtIns[b][0], value = g[name];
    if (!value) continue;
    if (clean(value, builtIns[b][1]) > 0 && typeof value === 'function') define(g, name, wrap(value, builtIns[b][1]));
  }
  for (var p = 0; p < prototypes.length; p++) clean(prototypes[p][0], prototypes[p][1]);
  for (var s = 0; s < stubs.length; s++) {
    if (!Object.prototype.hasOwnProperty.call(g, stubs[s][0])) define(g, stubs[s][0], stubs[s][1]);
  }
})`;

/** The globals of a fresh V8 context (made once: a context costs milliseconds). */
let v8Globals: string[] | undefined;

/** A stand-in for a table global the shim does not model, made inside the context. */
const NOT_MODELLED = `(function (name, type) {
  if (name === 'HIGH') return 1;
  if (name === 'LOW') return 0;
  if (type !== 'function') return {};
  return function () { throw new Error(name + ' is not modelled by the shim'); };
})`;

/** Runs the lockdown inside `context`, after the shim's Espruino API has been installed. */
export function lockDown(context: vm.Context, profileId: string): void {
  const api: EspruinoApi = espruinoApi([tableBoard(profileId)]);
  const g = vm.runInContext('this', context) as Record<string, unknown>;
  // V8's built-ins: the globals a fresh context has (the shim's own are checked by their tests).
  v8Globals ??= vm.runInNewContext('Object.getOwnPropertyNames(this)') as string[];
  const builtIns: Array<[string, string[]]> = [];
  for (const name of v8Globals) {
    if (name === 'globalThis') continue; // the global object itself: its globals are handled above
    const members = api.statics.get(name);
    if (members) builtIns.push([name, [...members]]);
  }
  const prototypes: Array<[object, string[]]> = [];
  const withKept = (t: string, members: ReadonlySet<string>) => [...members, ...(KEPT_MEMBERS[t] ?? [])];
  for (const [type, path] of Object.entries(PROTOTYPES)) {
    const members = api.instances.get(type);
    if (members) prototypes.push([vm.runInContext(path, context) as object, withKept(type, members)]);
  }
  // Each typed array's own prototype holds only `constructor` and BYTES_PER_ELEMENT.
  for (const t of TYPED_ARRAYS) {
    const members = api.instances.get(t);
    if (members) prototypes.push([vm.runInContext(`${t}.prototype`, context) as object, [...members]]);
  }
  const allowed = visibleGlobals(profileId);
  const stubs: Array<[string, unknown]> = allowed
    .filter((n) => !(n in g))
    .map((n) => [n, (vm.runInContext(NOT_MODELLED, context) as (n: string, t: string) => unknown)(n, api.globals.get(n) ?? 'object')]);
  const fn = vm.runInContext(LOCKDOWN, context) as (...a: unknown[]) => void;
  fn(g, allowed, builtIns, prototypes, stubs);
}
