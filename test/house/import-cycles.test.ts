// The SDK and the protocol have no import cycles (type-only imports count), and the checker
// finds one when there is one.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findCycles, importGraph, sourceFiles } from './import-cycles';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('import cycles', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cycles-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(['host-sdk/src', 'protocol/src'])('none in %s', (dir) => {
    const cycles = findCycles(importGraph(sourceFiles(join(ROOT, dir))));
    expect(cycles.map((c) => c.map((f) => relative(ROOT, f)))).toEqual([]);
  });

  it('finds a cycle closed by a type-only import, through an index file, and a file importing itself', () => {
    mkdirSync(join(scratch, 'lds'));
    writeFileSync(join(scratch, 'error.ts'), "import type { Doc } from './doc';\nexport class E { d?: Doc }\n");
    writeFileSync(join(scratch, 'doc.ts'), "import type { Dg1 } from './lds';\nexport interface Doc { dg1: Dg1 }\n");
    writeFileSync(join(scratch, 'lds/index.ts'), "import { E } from '../error.js';\nexport interface Dg1 { e: E }\n");
    writeFileSync(join(scratch, 'leaf.ts'), "import { E } from './error';\nexport const x = new E();\n");
    writeFileSync(join(scratch, 'self.ts'), "export * from './self';\n");
    const cycles = findCycles(importGraph(sourceFiles(scratch))).map((c) => c.map((f) => relative(scratch, f)));
    expect(cycles).toHaveLength(2);
    expect(cycles).toContainEqual(['doc.ts', 'error.ts', 'lds/index.ts']);
    expect(cycles).toContainEqual(['self.ts']);
  });
});
