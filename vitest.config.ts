import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { BLOCK_MARKER, SKIP_MARKER } from './test/support/skip-marker';

// Workspace packages resolve to their TypeScript sources (the "@epassport/source" export
// condition); the published packages' dist/ is for consumers and the pack test.
const SOURCE = '@epassport/source';

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    include: ['**/*.test.ts'],
    // .stryker-tmp: npm run mutation's copy of the tree, while it runs.
    exclude: ['**/node_modules/**', '**/dist/**', '.stryker-tmp/**'],
    // One private temporary directory per run, removed at the end (test/support/temp-root.ts).
    globalSetup: ['./test/support/temp-root.ts'],
    // Names a test that holds its worker's event loop for seconds (see the file).
    setupFiles: ['./test/support/block-monitor.ts'],
    // Two files at a time: on 2 cores vitest's default (cores - 1) runs one file at a time while
    // most files wait on child processes (the interpreter, the simulated chain, the CLI).
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The skip lines of test/support/requires-tool.ts are printed once, in the summary at the end
    // (with their count and the slowest files), not by the default reporter as well.
    reporters: ['default', './test/support/summary-reporter.ts'],
    onConsoleLog: (log) => !log.startsWith(SKIP_MARKER) && !log.startsWith(BLOCK_MARKER),
  },
});
