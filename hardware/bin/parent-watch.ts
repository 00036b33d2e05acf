// Notices when whoever started this process is gone, so that a long-running tool (simulate)
// does not outlive a parent that was killed without passing a signal on (SIGKILL, a crash).
//
// The process that counts is the first ancestor that is not a launcher: `npx`/`npm run`,
// `sh -c`, and tsx's CLI each sit between a caller and the script, survive the caller's death,
// and (tsx) relay only SIGINT and SIGTERM. Ancestors come from /proc (Linux); elsewhere only the
// direct parent is watched (a change of process.ppid means it died).

import { readFileSync } from 'node:fs';

const LAUNCHER_SCRIPTS = [/[\\/]tsx$/, /[\\/]tsx[\\/]dist[\\/]cli\.m?js$/, /[\\/]npm-cli\.js$/, /[\\/]npx-cli\.js$/, /[\\/]\.bin[\\/](npm|npx)$/];
const SHELLS = /^(?:.*\/)?(sh|bash|dash|zsh)$/;

function procArgs(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

function procParent(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** True for a launcher whose death leaves its child running (see above). */
export function isLauncher(args: string[]): boolean {
  if (args.length === 0) return false;
  if (SHELLS.test(args[0])) return args[1] === '-c';
  if (/^(npm|npx)(\s|$)/.test(args[0])) return true; // `npm exec` renames its process title
  return /(^|\/)node$/.test(args[0]) && args.length > 1 && LAUNCHER_SCRIPTS.some((re) => re.test(args[1]));
}

/** The parent, and above it every launcher up to and including the first process that is not one. */
export function watchedAncestors(pid = process.pid): number[] {
  const out: number[] = [];
  let current = procParent(pid) ?? process.ppid;
  for (let depth = 0; depth < 8 && current > 1; depth++) {
    out.push(current);
    const args = procArgs(current);
    if (!args || !isLauncher(args)) break;
    const up = procParent(current);
    if (up === null) break;
    current = up;
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return true; // no /proc: cannot tell
    return false;
  }
}

/** Calls `onGone` once when the parent or a watched ancestor has died; returns a stop function. */
export function watchParent(onGone: () => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const ancestors = process.platform === 'linux' ? watchedAncestors() : [];
  const timer = setInterval(() => {
    if (process.ppid === parent && ancestors.every(alive)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
