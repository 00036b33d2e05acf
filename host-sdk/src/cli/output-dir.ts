// `-o DIR` is checked before the reader is touched: a read is slow and needs the passport on
// the reader, so a bad folder must fail first. The folder is 0700 and its files 0600: they hold
// personal data.

import { access, chmod, constants, mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ReaderError } from '../reader-error.js';

/** mkdir -p, one level at a time: node's recursive mkdir never returns for a path under /proc. */
async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    const found = await stat(d).then(() => true, () => false);
    if (found || dirname(d) === d) break;
    missing.unshift(d);
  }
  for (const d of missing) await mkdir(d, { mode: 0o700 });
}

function outputError(dir: string, what: string, tryThis: string): ReaderError {
  return new ReaderError('invalid-argument', '--out ' + dir + ': ' + what + '; ' + tryThis);
}

/** Creates `dir` (0700) or checks an existing one; refuses a non-empty one without `force`.
 * Returns true when it created the folder (a read that fails then removes it again). */
export async function prepareOutputDir(dir: string, force: boolean): Promise<boolean> {
  let existing;
  try {
    existing = await stat(dir);
  } catch {
    existing = null;
  }
  if (existing) {
    if (!existing.isDirectory()) throw outputError(dir, 'this is a file, not a folder', 'give a folder name');
    if (!force && (await readdir(dir)).length) throw outputError(dir, 'the folder is not empty and its files would be overwritten', 'give a new folder or add --force');
  } else {
    try {
      await makeDirs(dir);
    } catch (e) {
      throw outputError(dir, 'cannot create the folder (' + (e as NodeJS.ErrnoException).code + ')', 'check that its parent exists and is writable');
    }
  }
  try {
    await access(dir, constants.W_OK);
    await chmod(dir, 0o700);
  } catch (e) {
    throw outputError(dir, 'the folder is not writable (' + (e as NodeJS.ErrnoException).code + ')', 'choose a folder you own');
  }
  return !existing;
}

/** Removes a folder prepareOutputDir created, if a failed read left it empty. */
export async function removeIfCreatedAndEmpty(dir: string, created: boolean): Promise<void> {
  if (created) await rmdir(dir).catch(() => {});
}
