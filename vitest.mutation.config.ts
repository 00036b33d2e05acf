// The unit tests Stryker runs against each mutant (stryker.config.mjs): the tests that live beside
// the mutated packages, nothing that needs a pty, a child process or the bundled firmware.
// (Spread, not mergeConfig: mergeConfig would append to the base include list.)
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'protocol/src/**/*.test.ts', 'firmware/src/icao/**/*.test.ts', 'host-sdk/src/pa/**/*.test.ts',
      // The files mutated with a package from outside its folder (stryker.config.mjs).
      'firmware/src/reader/file-streamer.test.ts', 'host-sdk/src/verdict.test.ts',
      // equalBytes, under the SM MAC check and the hash comparisons (a root path in MUTATE).
      'firmware/src/crypto/retail-mac.test.ts',
    ],
    reporters: ['default'],
    // Instrumented code runs several times slower (Stryker's mutant switches and coverage).
    testTimeout: 120_000,
  },
});
