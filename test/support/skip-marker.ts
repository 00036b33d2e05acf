// The first words of every line requireTool prints for a skip (requires-tool.ts); the summary
// reporter collects those lines and vitest.config.ts keeps the default reporter from printing
// them twice. A file of its own, without imports: the vitest config loads it with plain Node.
export const SKIP_MARKER = 'SKIPPED (tool missing): ';
/** The first words of a line block-monitor.ts prints for a test that held its worker's event
 * loop for seconds (vitest's worker RPC gives up after 60 s: "Timeout calling onTaskUpdate"). */
export const BLOCK_MARKER = 'WORKER BLOCKED: ';
