// The packages depend one way: hardware (simulators) -> firmware -> protocol. The firmware's
// device code, its build and flash tools and its board files may not import the simulators'
// package (by name or by a relative path into it); its tests may, to run on the simulators.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importSpecifiers, sourceFiles } from './import-cycles';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** "file: specifier" for each import (non-test files under `dirs`) of package `name` at `dir`. */
function importsOf(dirs: string[], name: string, dir: string): string[] {
  const out: string[] = [];
  for (const file of dirs.flatMap((d) => sourceFiles(d))) {
    for (const s of importSpecifiers(file)) {
      const byName = s === name || s.startsWith(name + '/');
      const byPath = s.startsWith('.') && (resolve(dirname(file), s) + sep).startsWith(dir + sep);
      if (byName || byPath) out.push(`${relative(ROOT, file)}: ${s}`);
    }
  }
  return out;
}

describe('package layers', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'layers-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('firmware/src, firmware/tools and firmware/boards do not import @epassport/hardware', () => {
    const dirs = ['firmware/src', 'firmware/tools', 'firmware/boards'].map((d) => join(ROOT, d));
    expect(importsOf(dirs, '@epassport/hardware', join(ROOT, 'hardware'))).toEqual([]);
  });

  it('protocol/src imports neither the firmware nor the simulators', () => {
    const dirs = [join(ROOT, 'protocol/src')];
    expect(importsOf(dirs, '@epassport/firmware', join(ROOT, 'firmware'))).toEqual([]);
    expect(importsOf(dirs, '@epassport/hardware', join(ROOT, 'hardware'))).toEqual([]);
  });

  it('finds an import by name, a type-only one, a re-export, a dynamic one and one by relative path; not tests', () => {
    const fw = join(scratch, 'firmware/tools');
    mkdirSync(join(scratch, 'hardware/sim'), { recursive: true });
    mkdirSync(fw, { recursive: true });
    writeFileSync(join(scratch, 'hardware/sim/clock.ts'), 'export const c = 1;\n');
    writeFileSync(join(fw, 'a.ts'), "import { loadBoard } from '@epassport/hardware/boards/index';\nexport const a = loadBoard;\n");
    writeFileSync(join(fw, 'b.ts'), "import type { Clock } from '@epassport/hardware';\nexport type B = Clock;\n");
    writeFileSync(join(fw, 'c.ts'), "export * from '../../hardware/sim/clock';\n");
    writeFileSync(join(fw, 'd.ts'), "export const d = () => import('@epassport/hardware/sim/clock');\n");
    writeFileSync(join(fw, 'e.ts'), "import { x } from '@epassport/hardware-extra';\nimport { y } from '../../hardwareish/y';\nexport const e = [x, y];\n");
    writeFileSync(join(fw, 'f.test.ts'), "import '@epassport/hardware/sim/clock';\n");
    const found = importsOf([fw], '@epassport/hardware', join(scratch, 'hardware')).map((l) => l.replace(/^.*firmware\/tools\//, ''));
    expect(found.sort()).toEqual([
      "a.ts: @epassport/hardware/boards/index",
      "b.ts: @epassport/hardware",
      "c.ts: ../../hardware/sim/clock",
      "d.ts: @epassport/hardware/sim/clock",
    ]);
  });
});
