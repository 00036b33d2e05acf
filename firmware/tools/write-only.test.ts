import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { dropWriteOnly } from './write-only';

// exportsAsGlobal-shaped input: the bundle's one top function, its result in a global.
const wrap = (body: string) => `var Firmware=(function(){${body}\nreturn{run:run}})();`;
const run = (source: string) => runInNewContext(source + ';Firmware.run()') as unknown;
const RESERVED = /^(length|push|kept)$/;

describe('dropWriteOnly', () => {
  it('drops counters nobody reads, their keys, then the emptied object, and keeps what runs', () => {
    const src = wrap('var C=class{constructor(){this.s={a:0,b:0},this.v=1}f(x){if(x<0){this.s.a++;return 0}'
      + 'x>1?this.s.b++:this.s.b+=2;this.s.a+=x,this.v++;return this.v}};function run(){var c=new C;return c.f(-1)+c.f(2)+c.f(0)}');
    const out = dropWriteOnly(src, RESERVED);
    expect(out).toBe(wrap('var C=class{constructor(){this.v=1}f(x){if(x<0){return 0}'
      + 'this.v++;return this.v}};function run(){var c=new C;return c.f(-1)+c.f(2)+c.f(0)}'));
    expect(run(out)).toBe(run(src));
  });

  it('keeps a name that is read, reserved, a string or a setter, and writes whose value or making counts', () => {
    const kept = [
      'var o={a:1};function run(){o.a++;return o.a}', // read
      'var o={kept:1};function run(){o.kept++;return 1}', // reserved: the engine or a caller may read it
      'var o={a:1};function run(){o.a++;return o["a"]}', // a string (o[s])
      'var o={a:0};function run(){return o.a++}', // the write's value is used
      'var n=0,o={a:0};function f(){return n++}function run(){o.a=f();return n}', // the value calls
      'var C=class{set a(v){this.b=v}};function run(){var c=new C;c.a=1;return c.b}', // a setter
      'var o={a:0};function run(){o.a++;return Object.keys(o).length}', // enumerated: left alone
    ];
    for (const k of kept) {
      const src = wrap(k);
      expect(dropWriteOnly(src, RESERVED), k).toBe(src);
    }
  });
});
