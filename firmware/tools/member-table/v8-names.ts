// The names a JavaScript engine's built-ins answer to (V8, as in this Node): the candidates the
// probe checks, and the names the gate will not wave through on a value it cannot type.

import vm from 'node:vm';

let cached: string[] | null = null;

/** Every own property name of V8's language built-ins (a fresh context: no Node additions). */
export function v8Names(): string[] {
  if (cached) return cached;
  cached = vm.runInNewContext(`(function () {
    var names = {};
    var add = function (o) { Object.getOwnPropertyNames(o).forEach(function (n) { names[n] = 1; }); };
    Object.getOwnPropertyNames(globalThis).forEach(function (k) {
      names[k] = 1;
      var v = globalThis[k];
      if (v && (typeof v === 'object' || typeof v === 'function')) { add(v); if (v.prototype) add(v.prototype); }
    });
    add(Object.getPrototypeOf(Uint8Array.prototype));
    return Object.keys(names);
  })()`) as string[];
  return cached;
}

