import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../test/support/requires-tool';
import { espruinoApi } from '../../firmware/tools/member-table/espruino-api';
import { interpreterPath } from '../../firmware/tools/member-table/run-probe';
import { VirtualClock } from '../sim/clock';
import { EspruinoRuntime } from './espruino-runtime';
import { visibleGlobals } from './strict-context';

function runtime(board = 'PICO') {
  const clock = new VirtualClock();
  return { clock, rt: new EspruinoRuntime({ clock, board }) };
}

/** Runs `code` as one timer event and returns the names of the errors it raised. */
function errorsOf(code: string): string[] {
  const { clock, rt } = runtime();
  rt.load(`setTimeout(function () { ${code}; }, 1);`);
  clock.advance(5);
  return rt.errors.map((e) => e.name);
}

describe('strict context: the globals are exactly the member table\'s', () => {
  for (const board of ['PICO', 'ESPRUINO_WIFI']) {
    it(`${board}: the bundle sees the table's globals and pins, nothing else`, () => {
      const { rt } = runtime(board);
      const seen = (rt.evaluate('Object.getOwnPropertyNames(this)') as string[]).slice().sort();
      expect(seen).toEqual(visibleGlobals(board));
      expect(seen.filter((n) => n.startsWith('__'))).toEqual([]);
    });
  }

  it('the shim\'s own Espruino objects offer only members the table has', () => {
    const { rt } = runtime();
    const api = espruinoApi(['PICO_R1_3']);
    const membersOf = (expr: string) => [...(rt.evaluate(`(function (o) { var n = {};
      for (var p = o; p && p !== Object.prototype && p !== Function.prototype; p = Object.getPrototypeOf(p))
        Object.getOwnPropertyNames(p).forEach(function (k) { n[k] = 1; });
      return Object.keys(n); })(${expr})`) as string[])].filter((n) => !n.startsWith('__')); // __name & co: the shim's bookkeeping
    for (const g of ['E', 'Serial1', 'USB', 'LoopbackA', 'I2C1', 'SPI1', 'console']) {
      expect(membersOf(g).filter((n) => !api.statics.get(g)!.has(n)), g).toEqual([]);
    }
    expect(membersOf('B6').filter((n) => !api.instances.get('Pin')!.has(n))).toEqual([]);
    for (const m of ['crypto', 'Storage']) {
      expect(membersOf(`require('${m}')`).filter((n) => !api.modules.get(m)!.has(n)), m).toEqual([]);
    }
  });

  it('a table global the shim does not model exists and fails loudly when called', () => {
    const { rt } = runtime();
    expect(rt.evaluate('typeof Graphics')).toBe('function');
    expect(() => rt.evaluate('analogRead(A0)')).toThrow(/analogRead is not modelled by the shim/);
    expect(rt.evaluate('HIGH + LOW')).toBe(1);
  });
});

describe('strict context: members from the table (issue #14)', () => {
  const missing: Record<string, string> = {
    'Uint8Array.from': 'Uint8Array.from([1])',
    'Uint8Array.of': 'Uint8Array.of(1)',
    'Object.freeze': 'Object.freeze({})',
    'Object.is': 'Object.is(1, 1)',
    'Promise.race': 'Promise.race([])',
    'Math.log2': 'Math.log2(8)',
    '[].keys()': '[1].keys()',
    '[].entries()': '[1].entries()',
    'Number.parseInt': 'Number.parseInt("1")',
    toPrecision: '(1.5).toPrecision(2)',
    'String.prototype.search': '"abc".search("b")',
    'alias const o = Object; o.freeze': 'var o = Object; o.freeze({})',
  };
  for (const [name, code] of Object.entries(missing)) {
    it(`${name} fails`, () => {
      expect(errorsOf(code)).toEqual(['TypeError']);
    });
  }

  it('V8\'s own algorithms still work: a /g replace replaces every match, split and match by RegExp', () => {
    const { rt } = runtime();
    expect(rt.evaluate(`['aaa'.replace(/a/g, 'b'), 'a1b2'.split(/[0-9]/).length, 'abcb'.match(/b/g).length].join()`)).toBe('bbb,3,2');
  });

  it('Number.MAX_SAFE_INTEGER and Number.EPSILON are undefined', () => {
    const { rt } = runtime();
    expect(rt.evaluate('[typeof Number.MAX_SAFE_INTEGER, typeof Number.EPSILON].join()')).toBe('undefined,undefined');
  });

  it('what Espruino has works: lastIndexOf on strings, padEnd, replaceAll, Math.sign, Object.fromEntries, DataView, globalThis', () => {
    const { rt } = runtime();
    const out = rt.evaluate(`['abca'.lastIndexOf('a'), 'a'.padEnd(3, '.'), 'aa'.replaceAll('a', 'b'), Math.sign(-3),
      JSON.stringify(Object.fromEntries([['k', 1]])), new DataView(new ArrayBuffer(2)).getUint16(0), typeof globalThis].join('|')`);
    expect(out).toBe('3|a..|bb|-1|{"k":1}|0|object');
  });
});

describe('no hoisting of function declarations, as on the device', () => {
  const relies = 'var r = later();\nfunction later() { return 1; }\nprint("ran " + r);\n';
  const ordered = 'function first() { return 2; }\nvar r = first();\nprint("ran " + r);\n';
  const inFunction = 'function outer() { return inner();\n function inner() { return 3; } }\nprint("ran " + outer());\n';

  it('the shim: a call before the declaration fails, at the top level and inside a function', () => {
    for (const src of [relies, inFunction]) {
      const { rt } = runtime();
      expect(() => rt.load(src)).toThrow(/uncaught TypeError/);
      expect(rt.consoleLines.filter((l) => l.startsWith('ran'))).toEqual([]);
    }
    const { rt } = runtime();
    rt.load(ordered);
    expect(rt.consoleLines).toContain('ran 2');
  });

  it('the rewrite keeps minified code valid: declarations back to back, in an if without braces', () => {
    const { rt } = runtime();
    rt.load('function a(){return 1}function b(){return a()+1}if(1)function c(){return 3}var r=b()+c();');
    expect(rt.evaluate('r')).toBe(5);
  });

  const present = requireTool('espruino', 'hoisting on the real interpreter');
  it.runIf(present)('the real interpreter: the same programs fail and pass alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoist-'));
    const run = (src: string) => {
      writeFileSync(join(dir, 'p.js'), src);
      // An uncaught error ends the interpreter with a non-zero status: its output is the evidence.
      return spawnSync(interpreterPath(), [join(dir, 'p.js')], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).stdout;
    };
    expect(run(relies)).toMatch(/Uncaught ReferenceError: "later" is not defined/);
    expect(run(relies)).not.toContain('ran');
    expect(run(inFunction)).toMatch(/Uncaught ReferenceError: "inner" is not defined/);
    expect(run(ordered)).toContain('ran 2');
  });
});
