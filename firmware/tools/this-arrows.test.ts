import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { thisArrows } from './this-arrows';

const wrap = (body: string) => `var C=class{constructor(){this.y=5}${body}};function run(x){return new C().m(x)}`;
const run = (source: string, x: boolean) => runInNewContext(source + ';[run(' + x + ')]') as unknown;

describe('thisArrows', () => {
  it('drops var e=this where its arrows always run when their function runs, and runs the same', () => {
    const cases = [
      ['m(x){var e=this;if(!x)return 0;return [1].map(t=>e.y+t)[0]}', 'm(x){if(!x)return 0;return [1].map(t=>this.y+t)[0]}'],
      ['m(x){var e=this;let f=()=>[2].map(t=>e.y*t)[0];return x?f():e.y}', 'm(x){let f=()=>[2].map(t=>this.y*t)[0];return x?f():this.y}'],
      ['m(x){var e=this;return [1].map(t=>{if(x)return e.y;return 0})[0]}', 'm(x){return [1].map(t=>{if(x)return this.y;return 0})[0]}'],
    ];
    for (const [from, to] of cases) {
      expect(thisArrows(wrap(from)), from).toBe(wrap(to));
      for (const x of [false, true]) expect(run(thisArrows(wrap(from)), x)).toEqual(run(wrap(from), x));
    }
  });

  it('keeps the alias where Espruino would parse such an arrow without running it', () => {
    const kept = [
      'm(x){var e=this;return x?[1].map(()=>e.y)[0]:0}', // ?:
      'm(x){var e=this;return x&&[1].map(()=>e.y)[0]}', // &&
      'm(x){var e=this;if(x)return [1].map(()=>e.y)[0];return 0}', // if
      'm(x){var e=this;let r=0;for(let i=0;i<(x?1:0);i++)r=[1].map(()=>e.y)[0];return r}', // loop body
      'm(x){var e=this;switch(x){case true:return [1].map(()=>e.y)[0]}return 0}', // switch case
      'm(x){var e=this;try{return 1}catch(t){return [1].map(()=>e.y)[0]}}', // catch
      'm(x){var e=this;return [1].map(()=>[1].map(t=>x?e.y:0)[0]&&x)[0]}', // an inner arrow under && (its left side too: conservative)
      'm(x){var e=this;return [1].map(function(){return e.y})[0]}', // a function between: its own this
      'm(x){var e=this;return [1].map(()=>({e}))[0].e.y}', // shorthand {e}
    ];
    for (const k of kept) expect(thisArrows(wrap(k)), k).toBe(wrap(k));
  });
});
