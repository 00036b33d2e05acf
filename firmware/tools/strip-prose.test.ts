import { describe, expect, it } from 'vitest';
import { stripErrorProse } from './strip-prose';

// esbuild-shaped input: a banner function, then the bundle's top function.
const wrap = (body: string) => `function espruinoModule(n){return n}\nvar Firmware=(function(){${body}\nreturn{}})();`;
const ICAO = 'var E=class extends Error{constructor(t,e,r){super(e),this.message=e,this.name="IcaoError",this.code=t,this.sw=r||0}};';

describe('stripErrorProse', () => {
  it('empties the text of IcaoError and Error, keeps codes and status words', () => {
    const out = stripErrorProse(wrap(ICAO + 'function f(n){if(n)throw new E("malformed-data","TLV runs past "+n,27264);throw new RangeError("frame of "+n+" bytes")}'));
    expect(out).toContain('new E("malformed-data","",27264)');
    expect(out).toContain('new RangeError("")');
    expect(out).not.toMatch(/TLV|frame of/);
  });

  it('follows helpers whose parameter only makes the message, also through a local', () => {
    const out = stripErrorProse(wrap(ICAO + 'function s(w,what){let t=what+": status "+w.toString(16);return new E("card-error",t,w)}'
      + 'var C=class{x(m,w){return s(w,m)}run(w){throw this.x("chip said no",w)}};function g(w){throw s(w,"SELECT")}'));
    expect(out).toContain('let t=""');
    expect(out).toContain('throw s(w)}'); // `what` has no use left: the argument goes
    expect(out).toContain('this.x("",w)');
    expect(out).not.toMatch(/SELECT|chip said no|status/);
  });

  it('leaves alone a parameter used for more than the message, and a shadowed name', () => {
    const src = wrap(ICAO + 'function s(w,c){return new E(c,"x",w)}function h(a){log(a);return new E("internal",a)}'
      + 'function u(){var s=function(w,v){return v};return s(1,"kept")}h("kept too");');
    const out = stripErrorProse(src);
    expect(out).toContain('s(1,"kept")');
    expect(out).toContain('h("kept too")');
    expect(out).toContain('new E(c,"",w)');
  });

  it('drops an emptied last message where the class takes a missing one as \'\' (IcaoError, Pn532Error), keeps it elsewhere', () => {
    const tolerant = 'var E=class{constructor(t,e,r){this.message=e||"",this.name="IcaoError",this.code=t,this.sw=r||0}};'
      + 'var P=class{constructor(t,e){this.message=e||"",this.name="Pn532Error",this.code=t,this.sw=0}};';
    const out = stripErrorProse(wrap(tolerant + 'function f(n){if(n)throw new E("malformed-data","TLV of "+n);if(n>1)throw new E("card-error","x",n);throw new P("pn532-silent","no ACK")}'
      + 'function g(){throw new Error("bad")}'));
    expect(out).toContain('new E("malformed-data")');
    expect(out).toContain('new E("card-error","",n)');
    expect(out).toContain('new P("pn532-silent")');
    expect(out).toContain('new Error("")'); // Espruino's new Error() has no message string
    expect(stripErrorProse(wrap(ICAO + 'function f(){throw new E("internal","x")}'))).toContain('new E("internal","")');
  });

  it('refuses a bundle without an IcaoError class (nothing to strip would be a wrong build)', () => {
    expect(() => stripErrorProse(wrap('function f(){}'))).toThrow(/IcaoError/);
  });
});
