import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { inlineConstants } from './inline-constants';

// exportsAsGlobal-shaped input: the bundle's one top function, its result in a global.
const wrap = (body: string) => `var Firmware=(function(){${body}\nreturn{run:run}})();`;
const run = (source: string) => runInNewContext(source + ';Firmware.run()') as unknown;

describe('inlineConstants', () => {
  it('reads of an integer table become its numbers (the table is left for drop-unused), and the program computes the same', () => {
    const src = wrap('var M={HELLO:1,HELLO_REPLY:129},F={COM:30};function run(){return M.HELLO_REPLY+M.HELLO*F.COM}');
    const out = inlineConstants(src);
    expect(out).toBe(wrap('var M={HELLO:1,HELLO_REPLY:129},F={COM:30};function run(){return 159}'));
    expect(run(out)).toBe(run(src));
  });

  it('keeps a table read by a computed key, passed on, written, shadowed, read with an unknown key or not of integers', () => {
    const kept = [
      'var T={A:1};function run(){var k="A";return T[k]}',
      'var T={A:1};function g(t){return t.A}function run(){return g(T)}',
      'var T={A:1};function run(){T.A=2;return T.A}',
      'var T={A:1};function run(){T.A++;return T.A}',
      'var T={A:1};function run(){var T={A:5};return T.A}',
      'var T={A:1};function run(){return T.B===undefined?T.A:0}',
      'var T={A:1.5};function run(){return T.A}',
      'var T={A:"a"};function run(){return T.A}',
      'var T={A:1};function run(T){return T.A}',
      'var T={A:1};function run(){function T(){}return T.A}',
      'var T={A:1};function run(){try{throw 1}catch(T){return T.A}}',
      'var T={A:1},T2=class T{};function run(){return T.A}',
    ];
    for (const k of kept) expect(inlineConstants(wrap(k)), k).toBe(wrap(k));
  });

  it('an integer constant becomes its number where that stores fewer bytes, if never written nor bound again', () => {
    // LONGNAME: 2 bytes a read instead of 8 (7+7 then folds); k=400: 3 bytes a read instead of 1,
    // four reads cost more than its declaration: kept.
    const src = wrap('var LONGNAME=7,k=400;function run(){return LONGNAME+LONGNAME+k+k+k+k}');
    const out = inlineConstants(src);
    expect(out).toBe(wrap('var LONGNAME=7,k=400;function run(){return 14+k+k+k+k}'));
    expect(run(out)).toBe(run(src));
    const kept = [
      'var NN=7;function run(){NN=8;return NN}',
      'var NN=7;function run(){NN++;return NN}',
      'var NN=7;function run(NN){return NN}',
      'var NN=7;function run(){return NN.toString()}',
      'var NN=7;function run(){return {NN}}',
      'var NN=7;function run(){for(NN of [1]);return NN}',
      'var NN=7,NN=8;function run(){return NN}',
    ];
    for (const k of kept) expect(inlineConstants(wrap(k)), k).toBe(wrap(k));
  });

  it('folds what the inlining leaves of integers and | & ^ + - * << >> into one number, and nothing else', () => {
    const src = wrap('var C={A:1,B:2,D:2048};function run(x){return (C.A|C.B|C.D)+(x|1)+(1/2)+(2-5)+(1<<30)}');
    const out = inlineConstants(src);
    expect(out).toBe(wrap('var C={A:1,B:2,D:2048};function run(x){return (2051)+(x|1)+(1/2)+(2-5)+(1<<30)}'));
    expect(run(out)).toBe(run(src));
  });
});
