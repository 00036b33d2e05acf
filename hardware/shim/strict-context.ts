// Takes away from a vm context what V8 has and Espruino lacks, so that a firmware bundle that
// reaches for it fails in the shim (ReferenceError / TypeError) as it would on the board.
// Globals: everything not on the gate's allow-list goes (firmware/tools/espruino-gate.ts,
// ESPRUINO_GLOBALS). Members: the gate's FORBIDDEN_MEMBERS list, copied here.

import vm from 'node:vm';
// The gate lives in firmware/tools, which the firmware package does not export: imported by path.
import { ESPRUINO_GLOBALS } from '../../firmware/tools/espruino-gate';

/** Static members Espruino lacks (Constructor.name). */
export const FORBIDDEN_STATIC = [
  'Number.isNaN', 'Number.isInteger', 'Number.isFinite', 'Number.isSafeInteger', 'Math.trunc',
  'Math.sign', 'Math.cbrt', 'Math.hypot', 'Math.clz32', 'Math.fround', 'Math.imul', 'Array.from',
  'Array.of', 'Object.fromEntries', 'Object.getOwnPropertySymbols', 'Object.getOwnPropertyDescriptors',
  'String.raw', 'String.fromCodePoint', 'Promise.allSettled', 'Promise.any', 'Object.hasOwn', 'Object.groupBy',
] as const;

/** Members Espruino lacks on any built-in prototype. */
export const FORBIDDEN_PROTOTYPE = [
  'lastIndexOf', 'flat', 'flatMap', 'finally', 'replaceAll', 'matchAll', 'codePointAt', 'trimStart',
  'trimEnd', 'at', 'padEnd', 'normalize', 'localeCompare', 'toLocaleString', 'copyWithin', 'findLast',
  'findLastIndex', 'toSorted', 'toReversed', 'toSpliced', 'with',
] as const;

/** Globals the shim defines beyond the gate's list (the pins, and names Espruino has that the
 * gate lists under another spelling). Everything else the context has is deleted. */
export function allowedGlobals(pinNames: readonly string[]): string[] {
  return [...ESPRUINO_GLOBALS, ...pinNames, 'Serial6', 'BTN1', 'InternalError'];
}

const LOCKDOWN = `(function (g, allowed, statics, members) {
  var keep = {};
  for (var i = 0; i < allowed.length; i++) keep[allowed[i]] = true;
  var names = Object.getOwnPropertyNames(g);
  for (var j = 0; j < names.length; j++) {
    if (keep[names[j]]) continue;
    try { delete g[names[j]]; } catch (e) { /* non-configurable: left, checked by the tests */ }
  }
  var prototypes = [Object.prototype, Array.prototype, String.prototype, Number.prototype,
    Boolean.prototype, Function.prototype, Date.prototype, Error.prototype, Promise.prototype,
    ArrayBuffer.prototype, Object.getPrototypeOf(Uint8Array.prototype), Object.getPrototypeOf(Uint8Array),
    Uint8Array.prototype, Uint16Array.prototype, Uint32Array.prototype, Int8Array.prototype,
    Int16Array.prototype, Int32Array.prototype, Float32Array.prototype, Float64Array.prototype,
    Uint8ClampedArray.prototype];
  for (var k = 0; k < statics.length; k++) {
    var parts = statics[k].split('.');
    if (g[parts[0]]) delete g[parts[0]][parts[1]];
  }
  for (var p = 0; p < prototypes.length; p++) {
    for (var m = 0; m < members.length; m++) delete prototypes[p][members[m]];
  }
})`;

/** Runs the lockdown inside `context` (after the Espruino API has been installed). */
export function lockDown(context: vm.Context, pinNames: readonly string[]): void {
  const fn = vm.runInContext(LOCKDOWN, context) as (g: unknown, a: string[], s: readonly string[], m: readonly string[]) => void;
  const g = vm.runInContext('this', context);
  fn(g, allowedGlobals(pinNames), FORBIDDEN_STATIC, FORBIDDEN_PROTOTYPE);
}
