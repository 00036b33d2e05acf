// Runs probe.js on the real interpreter and parses what it prints (see probe.js for the format).

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { v8Names } from './v8-names';

export interface ProbeResult {
  version: string;
  commit: string;
  board: string;
  /** Global name -> typeof its value. */
  globals: Record<string, string>;
  /** Global name -> members reachable on its value. */
  statics: Record<string, string[]>;
  /** Built-in type -> members reachable on an instance. */
  instances: Record<string, string[]>;
  /** Module name -> members of require(name). */
  modules: Record<string, string[]>;
  /** Global object -> the constructor it is an instance of (Serial1 -> Serial). */
  types: Record<string, string>;
}

/** The interpreter the table is made from: ESPRUINO_BIN, else ../shared/espruino/espruino. */
export function interpreterPath(): string {
  return process.env.ESPRUINO_BIN ?? join(import.meta.dirname, '../../../../shared/espruino/espruino');
}

export function interpreterAvailable(): boolean {
  return existsSync(interpreterPath());
}

const PROBE_SOURCE = join(import.meta.dirname, 'probe.js');

/** Runs the probe; asynchronous, since it takes 10 s and more: a test worker blocked that long
 * on a loaded machine misses vitest's 60 s RPC deadline (test/support/block-monitor.ts). */
export async function runProbe(candidates: Iterable<string>): Promise<ProbeResult> {
  const names = [...new Set(candidates)].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n)).sort();
  // Storage is a file `espruino.flash` in the working directory: a fresh one per probe.
  const dir = mkdtempSync(join(tmpdir(), 'espruino-probe-'));
  try {
    const script = join(dir, 'probe.js');
    // The list goes in as the probe's argument, not as a global (it would show up among them).
    const probe = readFileSync(PROBE_SOURCE, 'utf8').replace('})(CANDIDATES);', `})(${JSON.stringify(names.join(','))});`);
    writeFileSync(script, probe);
    // Output to a file: into a pipe, the interpreter drops what does not fit the pipe's buffer.
    const outFile = join(dir, 'out.txt');
    const fd = openSync(outFile, 'w');
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(interpreterPath(), [script], { cwd: dir, stdio: ['ignore', fd, 'pipe'] });
        const err: Buffer[] = [];
        child.stderr?.on('data', (d: Buffer) => err.push(d));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`the probe exited ${code}: ${Buffer.concat(err).toString('utf8')}`))));
      });
    } finally {
      closeSync(fd);
    }
    return parseProbe(readFileSync(outFile, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseProbe(raw: string): ProbeResult {
  const out = raw.replace(/\r\n/g, '\n'); // the interpreter's console ends lines with CR LF
  const begin = out.indexOf('\nBEGIN\n');
  const end = out.indexOf('\nEND\n', begin);
  if (begin < 0 || end < 0) throw new Error('the probe did not finish:\n' + out.slice(-2000));
  const r: ProbeResult = { version: '', commit: '', board: '', globals: {}, statics: {}, instances: {}, modules: {}, types: {} };
  const push = (map: Record<string, string[]>, k: string, v: string) => (map[k] ??= []).push(v);
  for (const line of out.slice(begin + 7, end).split('\n')) {
    const [tag, a, b, c] = line.trim().split(' ');
    if (tag === 'V') Object.assign(r, { version: a, commit: b, board: c });
    else if (tag === 'G') r.globals[a] = b;
    else if (tag === 'S') push(r.statics, a, b);
    else if (tag === 'I') push(r.instances, a, b);
    else if (tag === 'M') push(r.modules, a, b);
    else if (tag === 'T') r.types[a] = b;
    else if (line.trim()) throw new Error('unexpected probe line: ' + line);
  }
  for (const map of [r.statics, r.instances, r.modules]) for (const k of Object.keys(map)) map[k] = [...new Set(map[k])].sort();
  return r;
}
