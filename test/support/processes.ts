// Child processes for the end-to-end tests: every one is registered so that `stopAll()` (called in
// afterEach/afterAll) ends it and its whole process group (tsx's node child, socat), and every wait
// is for an event (a line, an exit) that fails with the process's output when the process dies
// first. No fixed sleeps.

import { spawn, execFileSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Tracked {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  /** The first line (already printed or still to come) on `stream` matching `re`, at or after
   * line index `from`. Rejects when the process exits without printing it, or after `timeoutMs`. */
  waitForLine(stream: 'stdout' | 'stderr', re: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<RegExpExecArray>;
  /** SIGTERM to the process group, SIGKILL if it is still there after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<Exit>;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
}

/** How long stop() waits after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 5000;

const live = new Set<Tracked>();
/** Every process group started here: stopAll() ends what is left of each, even when the leader
 * was stopped on its own and a grandchild (socat) outlived it. */
const groups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Spawns `command` in its own process group (so the group can be ended as a whole), with piped
 * stdout/stderr collected line by line. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): Tracked {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not start ' + command);
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const waiters: Array<() => void> = [];
  const notify = () => {
    for (const w of waiters.slice()) w();
  };
  for (const name of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[name]! }).on('line', (line) => {
      lines[name].push(line);
      notify();
    });
  }
  let done = false;
  const exited = new Promise<Exit>((resolve) => {
    // 'close': the exit and the end of both pipes (so every line has been seen).
    child.once('close', (code, signal) => {
      done = true;
      live.delete(tracked);
      notify();
      resolve({ code, signal });
    });
  });
  const tracked: Tracked = {
    child,
    pid: child.pid,
    stdout: lines.stdout,
    stderr: lines.stderr,
    exited,
    output: () => `--- stdout\n${lines.stdout.join('\n')}\n--- stderr\n${lines.stderr.join('\n')}`,
    waitForLine: (stream, re, { from = 0, timeoutMs = 30_000 } = {}) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const list = lines[stream];
          for (let i = from; i < list.length; i++) {
            const m = re.exec(list[i]);
            if (m) return finish(() => resolve(m));
          }
          if (done) finish(() => reject(new Error(`${command} exited before printing ${re} on ${stream}\n${tracked.output()}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${re} on ${stream} within ${timeoutMs} ms\n${tracked.output()}`))), timeoutMs);
        const finish = (f: () => void) => {
          clearTimeout(timer);
          const i = waiters.indexOf(check);
          if (i >= 0) waiters.splice(i, 1);
          f();
        };
        waiters.push(check);
        check();
      }),
    stop: async (graceMs = STOP_GRACE_MS) => {
      if (!done) {
        killGroup(tracked.pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(tracked.pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // The leader is gone; anything left in its group (an orphaned grandchild) goes too.
      killGroup(tracked.pid, 'SIGKILL');
      return exited;
    },
  };
  live.add(tracked);
  groups.add(tracked.pid);
  return tracked;
}

/** Ends every process started by spawnTracked that is still running, and anything left in
 * their process groups. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((t) => t.stop()));
  for (const group of groups) killGroup(group, 'SIGKILL');
  groups.clear();
}

/** Pids of every descendant of `pid` (children, grandchildren...), with their command names. */
export function descendants(pid: number): Array<{ pid: number; command: string }> {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), command: m[3].trim() }));
  const out: Array<{ pid: number; command: string }> = [];
  const walk = (parent: number) => {
    for (const p of table) {
      if (p.ppid === parent) {
        out.push({ pid: p.pid, command: p.command });
        walk(p.pid);
      }
    }
  };
  walk(pid);
  return out;
}

/** True while a process with this pid runs (a zombie, exited but not yet reaped, does not). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs (a grandchild such as tsx's esbuild service ends on its own
 * once its parent is gone, a moment later; there is no exit event for a process that is not our
 * child, so this polls). Resolves with those still running after `timeoutMs`. */
export async function waitUntilGone(pids: number[], timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Pids of the socat processes on the machine (pgrep -x socat). */
export function socatPids(): number[] {
  try {
    return execFileSync('pgrep', ['-x', 'socat'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when none match
  }
}
