// Every README sample (a block after `<!-- sample: COMMAND -->`) equals what COMMAND prints now.
// A difference fails with both texts; `npx tsx --conditions=@epassport/source
// test/docs/readme-samples.ts --write` rewrites the samples after a deliberate change.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canOpenPseudoTerminal } from '@epassport/hardware/sim/pty';
import { README_FILES, ROOT, findSamples, normalise, runSample } from './readme-samples';

const samples = README_FILES.flatMap((file) => findSamples(file, readFileSync(join(ROOT, file), 'utf8')));

describe('README samples', () => {
  it('are there to check (the markers parse)', () => {
    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(findSamples('x.md', '<!-- sample: echo hi | reader: utopia-anna -->\n```text\nhi\n```\n')).toEqual([
      { file: 'x.md', command: 'echo hi', reader: 'utopia-anna', text: 'hi\n', start: 55, end: 58 },
    ]);
    expect(normalise(`on /dev/pts/17 in ${ROOT}/out/x  \n\n`)).toBe('on /dev/pts/N in out/x\n');
  });

  // Sequential: each run has its own virtual reader, and the machine has two cores.
  describe.skipIf(!canOpenPseudoTerminal())('match a fresh run', () => {
    it.each(samples.map((s) => [`${s.file}: ${s.command}`, s] as const))('%s', async (_name, sample) => {
      expect(await runSample(sample)).toBe(normalise(sample.text));
    }, 90_000);
  });
});
