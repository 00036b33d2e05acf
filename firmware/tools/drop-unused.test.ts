import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { dropUnused } from './drop-unused';
import { buildDeviceBundle, deviceBundles } from './device-bundles';

// exportsAsGlobal-shaped input: the bundle's one top function, its result in a global.
const wrap = (body: string) => `var Firmware=(function(){${body}\nreturn{run:run}})();`;
const run = (source: string) => runInNewContext(source + ';Firmware.run()') as unknown;

describe('dropUnused', () => {
  it('drops unused tables, helpers and classes, also those only a dropped one used, and keeps what runs', () => {
    const src = wrap('var T=new Uint8Array([1,2,3]),K=7,S="|a|b";function hex(n){return n.toString(16)+S}'
      + 'function onlyHex(){return hex(T[0])}var C=class{m(){return 1}};var used=new Int32Array(2);'
      + 'function run(){used[0]=K;return used[0]}');
    const out = dropUnused(src);
    expect(out).toBe(wrap('var K=7;var used=new Int32Array(2);function run(){used[0]=K;return used[0]}'));
    expect(run(out)).toBe(run(src));
  });

  it('keeps anything whose making may have an effect, and any name spelled again anywhere', () => {
    const kept = [
      'var a=f();', // a call
      'var b=new Map;', // not a typed array
      'var c=new Uint8Array(g());', // an argument that calls
      'var d=class extends Object{};', // heritage is evaluated
      'var e=class{static x=f()};', // a static member runs
      'var h={[f()]:1};', // a computed key runs
    ];
    for (const k of kept) {
      const src = wrap('function f(){return 1}function g(){return 2}' + k + 'function run(){return 1}');
      expect(dropUnused(src).includes(k), k).toBe(true);
    }
    // i is spelled again (run's own i): kept, though the top one is unused (conservative).
    const shadowed = wrap('function i(){}function run(){var i=1;return i}');
    expect(dropUnused(shadowed)).toBe(shadowed);
  });

  it('with the reserved names, drops class methods and getters nothing calls, and what only they used', () => {
    const reserved = /^(reset|toString)$/;
    const src = wrap('var K=[1];var C=class{constructor(){this.a=1}m(){return this.g}get g(){return this.a}n(){return K}'
      + 'u(){return 2}get v(){return 3}reset(){}toString(){return"c"}s(){return 4}k(){return 5}set w(x){}w(){}};'
      + 'function run(){var c=new C;return c.u()+c.v+c["s"]+String(c)+c.k.length}');
    const out = dropUnused(src, reserved);
    expect(out).toBe(wrap('var C=class{constructor(){this.a=1}u(){return 2}get v(){return 3}reset(){}toString(){return"c"}s(){return 4}k(){return 5}set w(x){}w(){}};'
      + 'function run(){var c=new C;return c.u()+c.v+c["s"]+String(c)+c.k.length}'));
    expect(run(out)).toBe(run(src));
    // Without the reserved names (a bundle whose names were not all shortened) no member goes.
    expect(dropUnused(src)).toBe(src);
  });

  it('the Pico device bundle holds neither the TypeScript DES tables nor the SM failure texts', async () => {
    const pico = deviceBundles().find((b) => b.board === 'pico')!;
    const dir = mkdtempSync(join(tmpdir(), 'drop-unused-'));
    const source = await buildDeviceBundle({ ...pico, path: join(dir, 'firmware-pico.js') });
    rmSync(dir, { recursive: true });
    expect(source).not.toContain('[57,49,41,33,25,17,9,1'); // DES PC-1 (crypto/des.ts)
    expect(source).not.toContain('TLV truncated'); // secure-messaging.ts FAILURES
    expect(source).not.toContain('toString(16)'); // hex4 / hex2 of the stripped messages
  });
});
