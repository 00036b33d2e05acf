import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { arrowFunctions } from './arrow-functions';

const wrap = (body: string) => `var Firmware=(function(){${body}\nreturn{run:run}})();`;
const run = (source: string) => runInNewContext(source + ';Firmware.run()') as unknown;

describe('arrowFunctions', () => {
  it('writes function expressions without this or arguments as arrows, nested ones too, and the program computes the same', () => {
    const src = wrap('var f=function(a){return a+1},g=function(a,b){var c=a*b;return c},h=function(){return{k:1}};'
      + 'function run(){var o={m:function(x){return [x].map(function(y){return y*2})[0]}};return f(1)+g(2,3)+h().k+o.m(4)}');
    const out = arrowFunctions(src);
    expect(out).toBe(wrap('var f=a=>a+1,g=(a,b)=>{var c=a*b;return c},h=()=>({k:1});'
      + 'function run(){var o={m:x=>[x].map(y=>y*2)[0]};return f(1)+g(2,3)+h().k+o.m(4)}'));
    expect(run(out)).toBe(run(src));
  });

  it('keeps functions that use this or arguments (nested too), named ones, methods, and those where an arrow would parse otherwise', () => {
    const kept = [
      'var f=function(){return this};function run(){return 1}',
      'var f=function(){return function(){return this}};function run(){return 1}',
      'var f=function(){return arguments.length};function run(){return 1}',
      'var f=function g(n){return n?g(n-1):0};function run(){return 1}',
      'var C=class{m(){return 1}},o={get x(){return 1}};function run(){return 1}',
      'var f=null||function(){return 1};function run(){return 1}',
      'var v=(function(){return 1})();function run(){return v}',
    ];
    for (const k of kept) expect(arrowFunctions(wrap(k)), k).toBe(wrap(k));
  });
});
