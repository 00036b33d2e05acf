// Ends every vitest run (npm test, or one file) with what it did not check and where the time went:
// - the skips of requireTool (requires-tool.ts): one line each, then their count;
// - the ten slowest test files (load + collect + run), to keep `npm test` inside its budget;
// - the tests that held their worker's event loop for 10 s or more (block-monitor.ts).
// Registered after the default reporter in vitest.config.ts.

import { relative } from 'node:path';
import type { File } from '@vitest/runner';
import type { UserConsoleLog } from 'vitest';
import type { Reporter, Vitest } from 'vitest/node';
import { BLOCK_MARKER, SKIP_MARKER } from './skip-marker';

export default class SummaryReporter implements Reporter {
  private root = process.cwd();
  private readonly skips = new Set<string>();
  private readonly blocks: { ms: number; file: string; test: string }[] = [];

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onUserConsoleLog(log: UserConsoleLog): void {
    for (const line of log.content.split('\n')) {
      if (line.startsWith(SKIP_MARKER)) this.skips.add(line.slice(SKIP_MARKER.length));
      if (line.startsWith(BLOCK_MARKER)) this.blocks.push(JSON.parse(line.slice(BLOCK_MARKER.length)));
    }
  }

  // onFinished, not onTestRunEnd: it runs after the default reporter's summary, so this comes last.
  onFinished(files: File[] = []): void {
    const out: string[] = [''];
    const slowest = files
      .map((f) => ({
        file: relative(this.root, f.filepath),
        ms: (f.environmentLoad ?? 0) + (f.prepareDuration ?? 0) + (f.collectDuration ?? 0) + (f.setupDuration ?? 0) + (f.result?.duration ?? 0),
      }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10);
    if (slowest.length > 1) {
      out.push('Slowest test files (load + collect + run):');
      for (const s of slowest) out.push(`  ${(s.ms / 1000).toFixed(1).padStart(6)} s  ${s.file}`);
    }
    if (this.blocks.length) {
      out.push("Tests that held their worker's event loop 10 s or more (vitest's worker RPC gives up at 60 s):");
      for (const b of this.blocks.sort((x, y) => y.ms - x.ms)) out.push(`  ${(b.ms / 1000).toFixed(1).padStart(6)} s  ${relative(this.root, b.file)} > ${b.test}`);
    }
    for (const s of this.skips) out.push(`skipped, tool missing: ${s}`);
    out.push(`Skipped for a missing tool: ${this.skips.size}${this.skips.size ? ' (CI=1 turns each into a failure)' : ''}`);
    process.stdout.write(out.join('\n') + '\n');
  }
}
