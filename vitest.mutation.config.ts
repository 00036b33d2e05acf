// The unit tests Stryker runs against each mutant (stryker.config.mjs): the tests that live beside
// the mutated packages, nothing that needs a pty, a child process or the bundled firmware.
// (Spread, not mergeConfig: mergeConfig would append to the base include list.)
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['protocol/src/**/*.test.ts', 'firmware/src/icao/**/*.test.ts', 'host-sdk/src/pa/**/*.test.ts'],
    reporters: ['default'],
    // Instrumented code runs several times slower (Stryker's mutant switches and coverage).
    testTimeout: 120_000,
  },
});
