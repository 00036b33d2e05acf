// The shim's memory model: its constants are the real interpreter's (memory.json), a typed array
// costs what the interpreter measured, and the ledger sees buffers come and go in the shim.

import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../sim/clock';
import { EspruinoRuntime } from './espruino-runtime';
import { PICO_MEMORY, TypedArrayLedger, typedArrayVars } from './memory-model';

const measured = JSON.parse(readFileSync(new URL('../../firmware/test/real-interpreter/memory.json', import.meta.url), 'utf8'));

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('memory model', () => {
  it('PICO_MEMORY is what the real interpreter measured (memory.json "model")', () => {
    expect(PICO_MEMORY).toEqual({
      total: measured.model.total,
      blockBytes: measured.model.blockBytes,
      typedArrayHeader: measured.model.typedArrayHeader,
      afterLoad: measured.model.afterLoad,
      other: measured.model.other,
    });
  });

  it('a typed array costs header + ceil(bytes / block) variables, as measured on both builds', () => {
    for (const [build, block] of [['pico32', 13], ['pico64', 17]] as const) {
      const figures = { ...PICO_MEMORY, blockBytes: block };
      for (const [n, vars] of Object.entries(measured.builds[build].typedArrayVars as Record<string, number>)) {
        expect(`${build} ${n}: ${typedArrayVars(Number(n), figures)}`).toBe(`${build} ${n}: ${vars}`);
      }
    }
  });

  it('the ledger sees the buffers a script in the shim keeps, and their release', () => {
    const runtime = new EspruinoRuntime({ clock: new VirtualClock(), board: 'PICO' });
    const ledger = new TypedArrayLedger();
    ledger.install((code) => runtime.evaluate(code));
    runtime.evaluate('var kept = []; for (var i = 0; i < 10; i++) kept.push(new Uint8Array(1000));');
    gc();
    const grown = ledger.estimateVars();
    expect(ledger.live().bytes).toBeGreaterThanOrEqual(10_000);
    expect(grown - PICO_MEMORY.afterLoad - PICO_MEMORY.other).toBeGreaterThanOrEqual(10 * typedArrayVars(1000));
    runtime.evaluate('kept = null;');
    gc();
    expect(ledger.live().bytes).toBeLessThan(10_000);
    expect(ledger.estimateVars()).toBeLessThan(grown - 9 * typedArrayVars(1000));
  });
});
