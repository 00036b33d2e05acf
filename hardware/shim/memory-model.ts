// Espruino's memory, estimated in the shim. The board counts memory in variables (JsVars) of one
// block each: 5,100 on a Pico, 13-byte blocks with the Pico's 32-bit layout. V8's heap says
// nothing about that, so the shim keeps a ledger of the typed arrays the firmware creates (the
// buffers that make up nearly all of its dynamic memory, firmware/README.md "Memory budget") and
// turns it into variables with constants measured on the real interpreter:
//
//   variables in use ~ AFTER_LOAD + sum over live typed arrays of (HEADER + ceil(bytes / BLOCK))
//                      + OTHER (closures, objects, arrays and strings the ledger does not see)
//
// Constants: ../shared/espruino/espruino-pico32 (Espruino 2v29, the Pico's layout), measured by
// `npm run measure:memory` into firmware/test/real-interpreter/memory.json; memory-model.test.ts
// fails when the two disagree. A typed array of n bytes costs HEADER + ceil(n / BLOCK) variables
// (measured for n = 13 .. 4,096: 64-bit build 17-byte blocks, pico32 13-byte blocks; HEADER = 3).
// Views (subarray) share their buffer and are not counted; E.toUint8Array's arrays are created
// inside the shim's API and are not counted either (both are short-lived on the device too).

export interface EspruinoMemoryFigures {
  /** Variables of the board. */
  total: number;
  /** Bytes of one variable's block. */
  blockBytes: number;
  /** Variables of a typed array besides its data blocks (the view, the buffer, their names). */
  typedArrayHeader: number;
  /** In use once the bundle of the measured read (dist/firmware-pico-ts.js, the Pico's HSU bundle
   * with the TypeScript crypto) has loaded from Storage (pretokenised), before start(). */
  afterLoad: number;
  /** At the peak of the scripted utopia-jp2 read on the interpreter: its variables beyond
   * after-load, minus the typed-array variables the ledger saw in the shim at the same points
   * (objects, closures, arrays, strings; measured on the 64-bit build, objects cost the same
   * number of variables on both). */
  other: number;
}

/** The Pico (espruino-pico32 blocks), from memory.json of 2026-12-03 13:10, the full utopia-jp2
 * read (see memory-model.test.ts). */
export const PICO_MEMORY: EspruinoMemoryFigures = {
  total: 5100,
  blockBytes: 13,
  typedArrayHeader: 3,
  afterLoad: 2900,
  other: 793,
};

/** Variables one typed array of `bytes` bytes takes. */
export function typedArrayVars(bytes: number, figures: EspruinoMemoryFigures = PICO_MEMORY): number {
  return figures.typedArrayHeader + Math.ceil(bytes / figures.blockBytes);
}

const CONSTRUCTORS = ['Uint8Array', 'Int8Array', 'Uint8ClampedArray', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array'];

/** Wraps a vm context's typed-array constructors so that every buffer created with `new` is
 * seen; `live()` counts those still reachable (exact after a garbage collection). */
export class TypedArrayLedger {
  private buffers = new Set<WeakRef<ArrayBuffer>>();
  private seen = new WeakSet<ArrayBuffer>();

  /** Installs the ledger through the runtime's `evaluate` (EspruinoRuntime.evaluate), before the
   * bundle loads so that its preallocated buffers are seen too. The proxies are made on the Node
   * side: the strict context has no Proxy or Reflect of its own. */
  install(evaluate: (code: string) => unknown): void {
    const setGlobal = evaluate('(function (name, value) { var g = (function () { return this; })(); g[name] = value; })') as (n: string, v: unknown) => void;
    for (const name of CONSTRUCTORS) {
      const C = evaluate(`typeof ${name} === 'function' ? ${name} : null`) as (new (...args: unknown[]) => { buffer: ArrayBuffer }) | null;
      if (!C) continue;
      setGlobal(name, new Proxy(C, {
        construct: (target, args, newTarget) => {
          const a = Reflect.construct(target, args, newTarget) as { buffer: ArrayBuffer };
          this.note(a.buffer);
          return a;
        },
      }));
    }
  }

  private note(buffer: ArrayBuffer): void {
    if (this.seen.has(buffer)) return;
    this.seen.add(buffer);
    this.buffers.add(new WeakRef(buffer));
  }

  /** Typed-array buffers still alive and their bytes. */
  live(): { arrays: number; bytes: number } {
    let arrays = 0;
    let bytes = 0;
    for (const ref of this.buffers) {
      const b = ref.deref();
      if (!b) this.buffers.delete(ref);
      else {
        arrays++;
        bytes += b.byteLength;
      }
    }
    return { arrays, bytes };
  }

  /** Estimated variables in use on the board (see the formula at the top). */
  estimateVars(figures: EspruinoMemoryFigures = PICO_MEMORY): number {
    let vars = figures.afterLoad + figures.other;
    for (const ref of this.buffers) {
      const b = ref.deref();
      if (b) vars += typedArrayVars(b.byteLength, figures);
    }
    return vars;
  }
}
