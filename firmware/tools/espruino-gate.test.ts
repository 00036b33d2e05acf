import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBundle } from './espruino-gate';
import { bundle } from './bundler';

const rules = (src: string) => checkBundle(src).map((v) => v.message);

describe('Espruino gate: each forbidden construct is rejected', () => {
  const forbidden: Record<string, string> = {
    'async function': 'async function f(){ return 1 }',
    'async arrow': 'var f = async () => 1;',
    await: 'async function f(p){ await p }',
    generator: 'function* g(){ yield 1 }',
    'for-of': 'var a=[1]; for (var x of a) {}',
    'object destructuring': 'var o={a:1}; var {a} = o;',
    'array destructuring': 'var [a, b] = [1, 2];',
    'default parameter': 'function f(a = 1){ return a }',
    'rest parameter': 'function f(...a){ return a }',
    spread: 'var a=[1]; var b=[...a];',
    'call spread': 'function f(){} var a=[1]; f(...a);',
    'object spread': 'var o={}; var p={...o};',
    Map: 'var m = new Map();',
    Set: 'var s = new Set();',
    WeakMap: 'var w = new WeakMap();',
    Symbol: 'var s = Symbol("x");',
    'BigInt global': 'var b = BigInt(1);',
    'BigInt literal': 'var b = 1n;',
    'exponent operator': 'var x = 2 ** 3;',
    'logical assignment &&=': 'var a = 1; a &&= 2;',
    'logical assignment ||=': 'var a = 0; a ||= 2;',
    'logical assignment ??=': 'var a = null; a ??= 2;',
    'nullish coalescing': 'var a = null; var b = a ?? 1;',
    'optional chaining': 'var o = {}; var x = o?.a;',
    'class field': 'class A { x = 1 }',
    'private field': 'class A { #x = 1; get(){ return this.#x } }',
    'static block': 'class A { static { } }',
    'class extends expression': 'function m(){ return Object } class A extends m() {}',
    Buffer: 'var b = Buffer.from("x");',
    TextEncoder: 'var t = new TextEncoder();',
    TextDecoder: 'var t = new TextDecoder();',
    'Node require': 'var p = require("path");',
    RangeError: 'throw new RangeError("x");',
    'dynamic require': 'var n = "crypto"; var c = require(n);',
    label: 'outer: for (var i = 0; i < 1; i++) { break outer; }',
    with: 'with ({}) {}',
    'strict mode': '"use strict"; var a = 1;',
    'tagged template': 'function t(){} var x = t`a`;',
    'new.target': 'function F(){ return new.target }',
    'RegExp literal': 'var r = /a(?=b)/;',
    'Number.isNaN': 'var x = Number.isNaN(1);',
    'Math.trunc': 'var x = Math.trunc(1.5);',
    lastIndexOf: 'var x = [1].lastIndexOf(1);',
    'Array.flat': 'var x = [[1]].flat();',
    'Promise.finally': 'Promise.resolve().finally(function(){});',
    'Promise.allSettled': 'Promise.allSettled([]);',
    'Array.from': 'var x = Array.from([1]);',
    'catch without binding': 'try {} catch {}',
    'ES module syntax': 'export var a = 1;',
    'hoisting: call before declaration': 'run(); function run(){ return 1 }',
    'hoisting: indirect call before declaration': 'function a(){ return b() } a(); function b(){ return 1 }',
  };
  for (const [name, src] of Object.entries(forbidden)) {
    it(`rejects ${name}`, () => {
      expect(checkBundle(src).length, src).toBeGreaterThan(0);
    });
  }
});

// Issue #14: members the hand-kept lists let through, and members they forbade that Espruino has.
// The gate now reads them from the generated table (member-table/espruino-members.json).
describe('Espruino gate: members Espruino lacks are rejected, also through an alias', () => {
  const missing: Record<string, string> = {
    'Uint8Array.from': 'var u = Uint8Array.from([1]);',
    'Uint8Array.of': 'var u = Uint8Array.of(1);',
    'Object.freeze': 'var o = Object.freeze({});',
    'Object.is': 'var b = Object.is(1, 1);',
    'Promise.race': 'Promise.race([]);',
    'Math.log2': 'var x = Math.log2(8);',
    '[].keys()': 'var k = [1].keys();',
    '[].entries()': 'var k = [1].entries();',
    'Number.parseInt': 'var n = Number.parseInt("1");',
    'Number.MAX_SAFE_INTEGER': 'var n = Number.MAX_SAFE_INTEGER;',
    'Number.EPSILON': 'var n = Number.EPSILON;',
    toPrecision: 'var s = (1.5).toPrecision(2);',
    'String.prototype.search': 'var i = "abc".search("b");',
    'alias: const o = Object; o.freeze': 'const o = Object; o.freeze({});',
    'alias of an alias': 'var p = Promise; var q = p; q.race([]);',
    'typed array instance .keys()': 'var u = new Uint8Array(2); u.keys();',
    'through Array.prototype': 'Array.prototype.lastIndexOf.call([1], 1);',
    'V8-only member on a value of unknown type': 'function f(x) { return x.toPrecision(2) }',
    'SHA512 on the Pico': 'var h = require("crypto").SHA512("a");',
  };
  for (const [name, src] of Object.entries(missing)) {
    it(`rejects ${name}`, () => {
      expect(checkBundle(src).map((v) => v.rule), src).toContain('member');
    });
  }
});

describe('Espruino gate: members Espruino has are accepted', () => {
  const present: Record<string, string> = {
    'String lastIndexOf': 'var i = "abca".lastIndexOf("a");',
    padEnd: 'var s = "a".padEnd(3);',
    replaceAll: 'var s = "aa".replaceAll("a", "b");',
    'Math.sign': 'var x = Math.sign(-2);',
    'Object.fromEntries': 'var o = Object.fromEntries([["a", 1]]);',
    'alias: var m = Math; m.sign': 'var m = Math; var x = m.sign(1);',
    DataView: 'var d = new DataView(new ArrayBuffer(4)); d.getUint16(0);',
    globalThis: 'var g = globalThis;',
    'process.memory': 'var m = process.memory();',
    'require("Storage").read': 'var s = require("Storage").read("f");',
    'Uint8Array subarray/set': 'var u = new Uint8Array(4); u.subarray(1).set([1]);',
    'Serial1.setup, E.toUint8Array, pin.write': 'Serial1.setup(9600); E.toUint8Array("a"); B6.write(1);',
    'undefined (a keyword to Espruino)': 'var u = undefined; var t = u === undefined;',
  };
  for (const [name, src] of Object.entries(present)) {
    it(`accepts ${name}`, () => {
      expect(rules(src), src).toEqual([]);
    });
  }

  it('SHA512 where the board has it (Espruino WiFi only)', () => {
    expect(checkBundle('require("crypto").SHA512("a");', { boards: ['ESPRUINOWIFI'] })).toEqual([]);
  });

  it('resolves names by scope: a parameter named Math is not the global', () => {
    expect(rules('function f(Math) { return Math.myField }')).toEqual([]);
    expect(checkBundle('var x = Math.myField;').map((v) => v.rule)).toEqual(['member']);
  });

  it('a bundle property named like a V8-only built-in passes on unknown values, not on built-ins', () => {
    expect(rules('var o = { freeze: 1 }; function f(x) { return x.freeze }')).toEqual([]);
    expect(checkBundle('var o = { freeze: 1 }; var p = Object.freeze;').map((v) => v.rule)).toEqual(['member']);
  });
});

describe('Espruino gate: accepts what Espruino runs', () => {
  it('passes classes, arrows, typed arrays, templates and Espruino globals', () => {
    const src = `
      var T = new Uint8Array(16);
      class B { constructor(){ this.w = 0 } }
      class A extends B { constructor(){ super(); this.x = 1 } get y(){ return this.x } static z(){ return 2 } }
      class F extends Error {}
      function f(a, b){ return a + b }
      var g = (x) => x * 2;
      var s = \`v\${f(1, 2)}\`;
      try { g(1) } catch (e) { console.log(e) }
      Serial1.setup(115200, { rx: B7, tx: B6 }); USB.on("data", function(d){ E.toUint8Array(d) });
      setTimeout(function(){ later() }, 10);
      function later(){ return getTime() }
      var c = require("crypto");
    `;
    expect(rules(src)).toEqual([]);
  });

  it('rejects super() into a built-in (Espruino 2v29 throws), also through an alias', () => {
    const kinds = (src: string) => checkBundle(src).map((v) => v.rule);
    expect(rules('var T = class extends Error { constructor(m){ super(m); this.message = m } };')[0]).toMatch(/super\(\) in a subclass of the built-in Error/);
    expect(kinds('var $l = Error; var T = class extends $l { constructor(m){ super(m) } };')).toEqual(['syntax']);
    expect(kinds('class A extends Uint8Array { constructor(n){ super(n) } }')).toEqual(['syntax']);
    expect(rules('class B {} class A extends B { constructor(){ super() } }')).toEqual([]);
  });

  it('does not take property and method names for calls of a later function', () => {
    const src = 'var C = class { a(){ this.I() } I(){ return 1 } }; var o = { I: 1 }; var v = o.I; function I(){ return 2 }';
    expect(rules(src)).toEqual([]);
    expect(checkBundle('var o = { k: I() }; function I(){ return 2 }').map((v) => v.rule)).toEqual(['hoisting']);
  });

  it('names the construct and its place', () => {
    const v = checkBundle('var a = 1;\nvar m = new Map();');
    expect(v).toHaveLength(1);
    expect(v[0].rule).toBe('global');
    expect(v[0].message).toContain('Map');
  });
});

describe('esbuild with the Espruino target', () => {
  it('refuses to bundle a generator (cannot be lowered)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, 'export function* g() { yield 1 }\n');
    await expect(bundle(entry, join(dir, 'out.js'))).rejects.toThrow();
  });

  it('refuses default parameters and destructuring (esbuild cannot lower them with let/const kept)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, 'export const f = (a: number, b = 2) => { const { x } = { x: a + b }; return x };\n');
    await expect(bundle(entry, join(dir, 'out.js'))).rejects.toThrow(/default arguments|destructuring/);
  });

  it('lowers ??, ?., ** and class fields into code that passes the gate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, 'class A { n = 1; m: { k?: number } | null = null }\nconst a = new A();\nconsole.log((a.m?.k ?? 2) ** a.n);\n');
    const out = await bundle(entry, join(dir, 'out.js'));
    expect(rules(out)).toEqual([]);
  });

  it('the protocol package, bundled alone, passes the gate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-'));
    const out = await bundle(join(__dirname, '../../protocol/src/index.ts'), join(dir, 'protocol.js'), 'Protocol');
    expect(rules(out)).toEqual([]);
  });
});
