// Guards for parser fuzzing: a hang detector that interrupts synchronous code (node:vm's
// watchdog terminates whatever JavaScript runs, so an endless loop in a parser becomes an error
// instead of a stuck test), and an allocation probe that records the largest typed array or
// ArrayBuffer a call asks for (a parser that allocates by a declared length before checking it
// against the input shows up as an allocation far larger than its input).

import vm from 'node:vm';

/** Number of fast-check runs: `n` scaled by FUZZ_SCALE (default 1; e.g. FUZZ_SCALE=20 for a long run). */
export function runs(n: number): number {
  const scale = Number(process.env.FUZZ_SCALE || 1);
  return Math.max(1, Math.round(n * (scale > 0 ? scale : 1)));
}

/** Deadline for one parse of fuzzed input: generous, it only exists to turn a hang into a failure. */
export const HANG_MS = 10_000;

const context = vm.createContext({ fn: null as null | (() => unknown) });
const call = new vm.Script('fn()');

/** Runs `fn` synchronously; an endless loop throws 'Script execution timed out' after `ms`. */
export function withDeadline<T>(fn: () => T, ms = HANG_MS): T {
  context.fn = fn;
  try {
    return call.runInContext(context, { timeout: ms }) as T;
  } finally {
    context.fn = null;
  }
}

/** Numeric sizes asked of `new Uint8Array(n)` / `new ArrayBuffer(n)` during `fn` (the largest). */
export function largestAllocation<T>(fn: () => T): { result?: T; error?: unknown; largest: number } {
  const g = globalThis as unknown as { Uint8Array: Uint8ArrayConstructor; ArrayBuffer: ArrayBufferConstructor };
  const RealU8 = g.Uint8Array;
  const RealAB = g.ArrayBuffer;
  let largest = 0;
  const note = (args: unknown[]) => {
    if (typeof args[0] === 'number' && args[0] > largest) largest = args[0];
  };
  g.Uint8Array = new Proxy(RealU8, { construct(target, args, newTarget) { note(args); return Reflect.construct(target, args, newTarget); } });
  g.ArrayBuffer = new Proxy(RealAB, { construct(target, args, newTarget) { note(args); return Reflect.construct(target, args, newTarget); } });
  try {
    return { result: fn(), largest };
  } catch (error) {
    return { error, largest };
  } finally {
    g.Uint8Array = RealU8;
    g.ArrayBuffer = RealAB;
  }
}
