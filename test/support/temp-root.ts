// Every temporary file of a run (mkdtemp in tests, bundles, pseudo-terminal links, the
// interpreter's scratch files, child processes' own) goes under one private directory that is
// removed when the run ends, so a run leaves nothing in /tmp: no sample documents, no trust stores,
// no CLI output (hundreds of directories a run before this).
// os.tmpdir() reads TMPDIR on every call; workers and child processes inherit it.
// KEEP_TEST_TMP=1 keeps the directory for a look after a failure; its path is printed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Points TMPDIR at a new private directory; the function returned removes it. */
export function privateTempRoot(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'epassport-test-'));
  process.env.TMPDIR = root;
  return () => {
    if (process.env.KEEP_TEST_TMP) {
      process.stdout.write(`test temporary files kept in ${root}\n`);
      return;
    }
    rmSync(root, { recursive: true, force: true });
  };
}

/** Vitest global setup (vitest.config.ts): one directory per `npm test`. */
export default function setup(): () => void {
  return privateTempRoot();
}
