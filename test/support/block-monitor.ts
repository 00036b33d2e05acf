// A vitest setup file: measures, per test, the longest time the worker's event loop did not turn
// (a spawnSync, a long synchronous loop). vitest's worker answers RPC only between turns and gives
// up after 60 s with "Timeout calling onTaskUpdate", which fails the whole run without naming a
// test; a loaded 2-core machine stretches a 25 s block past that. Blocks of BLOCK_REPORT_MS or
// more are printed with BLOCK_MARKER, and the summary reporter lists them at the end of the run.

import { afterEach, beforeEach, expect } from 'vitest';
import { BLOCK_MARKER } from './skip-marker';

/** Report blocks from this long: well under the 60 s RPC timeout. */
export const BLOCK_REPORT_MS = 10_000;
const TICK_MS = 200;

// Taken before any test can install fake timers.
const now = performance.now.bind(performance);
const every = setInterval;

let last = now();
let worst = 0;

function sample(): void {
  const t = now();
  worst = Math.max(worst, t - last - TICK_MS);
  last = t;
}

every(sample, TICK_MS).unref();

beforeEach(() => {
  last = now();
  worst = 0;
});

afterEach(() => {
  sample(); // a block right before the end (a test that ends synchronously after a spawnSync)
  if (worst < BLOCK_REPORT_MS) return;
  const state = expect.getState();
  console.log(BLOCK_MARKER + JSON.stringify({ ms: Math.round(worst), file: state.testPath ?? '', test: state.currentTestName ?? '' }));
});
