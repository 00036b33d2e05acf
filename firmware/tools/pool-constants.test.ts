import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { poolConstants } from './pool-constants';
import { pretokenise } from './pretokenise';

// exportsAsGlobal-shaped input: the bundle's one top function, its result in a global.
const wrap = (body: string) => `var Firmware=(function(){${body}\nreturn{run:run}})();`;
const run = (source: string) => runInNewContext(source + ';Firmware.run()') as unknown;

describe('poolConstants', () => {
  const body = 'function e(c){return{code:c,"malformed-data":1}}'
    + 'function run(){var out=[];for(var i=0;i<3;i++){out.push(e("malformed-data").code);switch(out[i]){case"malformed-data":out.push("malformed-data")}}'
    + 'out.push(typeof out=="object",e("ok").code,e("ok").code,"malformed-data".length);return out.join()}';

  it('stores a repeated literal once, keeps what the code computes, and saves stored bytes', () => {
    const src = wrap(body);
    const out = poolConstants(src);
    expect(out.match(/"malformed-data"/g)).toHaveLength(2); // the declaration and the object key
    expect(out).toContain('"malformed-data":1'); // object keys stay literals
    expect(out).toMatch(/case [a-zA-Z_$]+:/); // a name after a keyword gets its space
    expect(run(out)).toBe(run(src));
    expect(pretokenise(out).length).toBeLessThan(pretokenise(src).length);
  });

  it('leaves literals alone where a variable would cost bytes (short or rare)', () => {
    const src = wrap('function run(){return["ok","ok","x","x","x","long enough",!2].join()}');
    expect(poolConstants(src)).toBe(src);
  });

  it('takes a letter no function around a use declares and no global is, else a fresh $ name', () => {
    // Every letter is taken around the uses (g by a global): the pool gets a fresh name.
    const letters = 'abcdefhijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$'.split('');
    const src = wrap('var $a=1,' + letters.map((c) => c + '=0').join(',') + ';function run(){var $b="inner",g0=typeof g;'
      + 'return ["waiting-for-card","waiting-for-card","waiting-for-card",$a,$b,g0].join()}');
    const out = poolConstants(src);
    expect(out).toMatch(/var \$c="waiting-for-card"/);
    expect(run(out)).toBe(run(src));
    // A letter declared only in a function that holds no use is free.
    const src2 = wrap('function other(a){return a}function run(){return ["file-not-found","file-not-found","file-not-found",other(1)].join()}');
    const out2 = poolConstants(src2);
    expect(out2).toMatch(/var a="file-not-found"/);
    expect(run(out2)).toBe(run(src2));
    // Not a letter the function around a use binds, by parameter, declaration or catch.
    const src3 = wrap('function run(a){var b;try{throw 1}catch(c){return ["file-not-found","file-not-found","file-not-found",a,b,c].join()}}');
    expect(poolConstants(src3)).toMatch(/var d="file-not-found"/);
  });

  it('reads a built-in once, unless a binding shadows it or it is a shorthand key', () => {
    const src = wrap('function run(){var a=new Uint8Array(2),b=new Uint8Array(3),c=Uint8Array.prototype,d={Uint8Array};'
      + 'function s(Math){return Math}return [a instanceof Uint8Array,b.length,c===Uint8Array.prototype,d.Uint8Array===Uint8Array,s(5),Math.max(1,2),Math.min(1,2),Math.abs(-1)].join()}');
    const out = poolConstants(src);
    expect(out).toMatch(/^var Firmware=\(function\(\)\{var [a-zA-Z_$]+=Uint8Array[,;]/);
    expect(out.match(/Uint8Array/g)).toHaveLength(3); // the declaration, the shorthand key and d.Uint8Array
    expect(out).toContain('function s(Math){return Math}');
    expect(run(out)).toBe(run(src));
  });

  it('pools numbers the tokeniser keeps as text (>= 32768), not short ones', () => {
    const src = wrap('function run(){var a=[36864,36864,36864,36864,255,255,255,255,255,255],o={36864:1};switch(a[0]){case 36864:return a.join()+o[36864]}}');
    const out = poolConstants(src);
    expect(out).toMatch(/^var Firmware=\(function\(\)\{var [a-zA-Z_$]+=36864;/);
    expect(out.match(/36864/g)).toHaveLength(2); // the declaration and the object key
    expect(out.match(/255/g)).toHaveLength(6);
    expect(run(out)).toBe(run(src));
  });

  it('spells !0, !1 and void 0 as true, false and undefined (one stored byte each)', () => {
    const src = wrap('function run(){var a=!0,b=!1,c=void 0;return[a,b,c===void 0,!1 in{},typeof c].join()}');
    const out = poolConstants(src);
    expect(out).toContain('var a=true,b=false,c=undefined;return[a,b,c===undefined,false in{},typeof c]');
    expect(run(out)).toBe(run(src));
    expect(pretokenise(out).length).toBeLessThan(pretokenise(src).length);
  });

  it('reads .length and the other MEMBERS by a pooled name outside loops, never inside one', () => {
    const src = wrap('function f(t){return t.length+t.subarray(1).length+t.fill(0,3).length+"ab".length+t.length+t.length}'
      + 'function run(){var t=new Uint8Array(5),s=0;for(var i=0;i<t.length;i++)s+=t.subarray(i).length;while(s>t.length)s--;'
      + 'do{s+=t.length}while(s<t.length*2);t.foo={length:1};return [f(t),s,t.foo.length,t.length].join()}');
    const out = poolConstants(src);
    const name = /var ([a-zA-Z_$]+)="length"/.exec(out)?.[1];
    expect(name).toBeDefined();
    expect(out).toContain(`function f(t){return t[${name}]+`);
    // Inside the loops (their tests, updates and bodies) .length stays as it is.
    expect(out).toContain('for(var i=0;i<t.length;i++)s+=t.subarray(i).length;while(s>t.length)s--;do{s+=t.length}while(s<t.length*2)');
    expect(out).toContain('{length:1}'); // a key, not a member read
    expect(run(out)).toBe(run(src));
    expect(pretokenise(out).length).toBeLessThan(pretokenise(src).length);
  });

  it('refuses text that is not one top function in a var', () => {
    expect(() => poolConstants('function run(){}')).toThrow(/pool-constants/);
  });
});
