// Runs scripts on the real Espruino interpreter built for Linux (../shared/espruino, see its
// README): each run gets its own temporary directory, whose `espruino.flash` backs
// require('Storage'). Files are written into Storage by small loader scripts, a few KB per
// interpreter run, because a script file is itself held in the interpreter's variables: one
// loader with a 60 KB bundle inside would not fit a Pico's 5,100 variables.

import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where the interpreters live; ESPRUINO_DIR overrides. */
export const ESPRUINO_DIR = process.env.ESPRUINO_DIR ?? resolve(repoRoot, '../shared/espruino');

/** Where build-measure-interpreter.sh puts the measurement interpreter; MEASURE_ESPRUINO_DIR
 * overrides. */
export const MEASURE_DIR = process.env.MEASURE_ESPRUINO_DIR ?? resolve(repoRoot, 'firmware/test/real-interpreter/measure-interpreter');

/** pico64: the 64-bit build (17-byte blocks); pico32: the Pico's 13-byte blocks, under qemu-i386;
 * pico64-measure / pico32-measure: the same with 8,191 variables and the same JsVar layout
 * (build-measure-interpreter.sh), for reads that carry a measured share of their own
 * (oracle-read.ts); only their usage, never their free count, is the Pico's. */
export type Build = 'pico64' | 'pico32' | 'pico64-measure' | 'pico32-measure';

/** Lines the harness prints start with this, so that the banner and prompts can be dropped. */
export const LINE_PREFIX = '@@ ';
/** Loader script text per run (about 1,000 of the 5,100 variables). */
const LOADER_SCRIPT = 12 * 1024;
/** Bytes per Storage.write: one string literal at a time in RAM. */
const STRING_PIECE = 1024;

function executable(build: Build): string {
  const dir = build.endsWith('-measure') ? MEASURE_DIR : ESPRUINO_DIR;
  return join(dir, build.startsWith('pico64') ? 'espruino' : 'espruino-pico32');
}

function command(build: Build): { file: string; args: string[] } {
  const exe = executable(build);
  return build.startsWith('pico32') ? { file: 'qemu-i386', args: ['-L', '/', exe] } : { file: exe, args: [] };
}

/** Why the interpreter cannot run here, or null when it can (it is run once to be sure). */
export function interpreterProblem(build: Build = 'pico64'): string | null {
  const { file, args } = command(build);
  try {
    accessSync(executable(build), constants.X_OK);
  } catch {
    return `no Espruino interpreter at ${executable(build)}`;
  }
  const r = spawnSync(file, [...args, '-e', `print("${LINE_PREFIX}ok")`], { encoding: 'latin1', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return `${file} cannot run: ${r.error.message}`;
  return r.stdout.includes(`${LINE_PREFIX}ok`) ? null : `${file} ran but printed nothing (${r.stderr.slice(0, 200)})`;
}

export interface RunResult {
  /** Everything the interpreter printed (banner and prompts included). */
  output: string;
  /** Lines printed with LINE_PREFIX, without it. */
  lines: string[];
  status: number | null;
  timedOut: boolean;
}

export interface EspruinoSession {
  dir: string;
  build: Build;
  /** Writes a Storage file (latin1 text or bytes) through loader runs. */
  writeFile(name: string, content: string | Uint8Array): void;
  /** Runs a script file in the session's directory (the Storage written so far is there). */
  run(script: string, timeoutMs?: number): RunResult;
  /** As `run`, without blocking the caller's event loop: for runs of minutes, which would stall a
   * test worker past vitest's 60 s RPC timeout. */
  runAsync(script: string, timeoutMs?: number): Promise<RunResult>;
  close(): void;
}

/** A string literal of latin1 text with every byte outside printable ASCII as \xHH (raw bytes
 * >= 0x80 would be read as UTF-8 by Espruino 2v29's parser). */
function literal(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) out += text[i];
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** An interpreter run's output (stdout, then stderr) and the lines the harness printed. */
function result(output: string, status: number | null, timedOut: boolean): RunResult {
  const lines: string[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const at = raw.indexOf(LINE_PREFIX);
    if (at >= 0) lines.push(raw.slice(at + LINE_PREFIX.length));
  }
  return { output, lines, status, timedOut };
}

/** A fresh interpreter directory with an empty flash. Close it when done. */
export function openSession(build: Build = 'pico64'): EspruinoSession {
  const dir = mkdtempSync(join(tmpdir(), 'espruino-real-'));
  const { file, args } = command(build);
  const scriptPath = (script: string): string => {
    const path = join(dir, 'script.js');
    writeFileSync(path, script, { encoding: 'latin1', mode: 0o600 });
    return path;
  };
  const run = (script: string, timeoutMs = 20_000): RunResult => {
    scriptPath(script);
    const r = spawnSync(file, [...args, 'script.js'], {
      cwd: dir, encoding: 'latin1', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024,
    });
    return result((r.stdout ?? '') + (r.stderr ?? ''), r.status, (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT');
  };
  const runAsync = (script: string, timeoutMs = 20_000): Promise<RunResult> => new Promise((done, fail) => {
    scriptPath(script);
    // stdin a pipe that stays open and silent: at end of file the pico32 build under qemu-i386
    // ends a long run ("EXITING."), and a console that waits for input costs nothing.
    const child = spawn(file, [...args, 'script.js'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => {});
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      done(result(Buffer.concat(out).toString('latin1') + Buffer.concat(err).toString('latin1'), status, timedOut));
    });
  });
  const writeFile = (name: string, content: string | Uint8Array): void => {
    const text = typeof content === 'string' ? content : Buffer.from(content).toString('latin1');
    if (text.length === 0) throw new Error(`empty Storage file ${name}`);
    const writes: string[] = [];
    for (let at = 0; at < text.length; at += STRING_PIECE) {
      const piece = literal(text.slice(at, at + STRING_PIECE));
      writes.push(at === 0 ? `S.write(${literal(name)},${piece},0,${text.length});\n` : `S.write(${literal(name)},${piece},${at});\n`);
    }
    // As few loader runs as fit: each script's text is itself held in variables.
    for (let i = 0; i < writes.length;) {
      let script = 'var S=require("Storage");\n';
      while (i < writes.length && (script.length + writes[i].length <= LOADER_SCRIPT || script.length < 40)) script += writes[i++];
      script += `print("${LINE_PREFIX}stored " + S.read(${literal(name)}).length);\n`;
      const r = run(script);
      const stored = r.lines[r.lines.length - 1];
      if (!stored || !stored.startsWith('stored ')) throw new Error(`writing Storage file ${name} failed:\n${r.output.slice(-2000)}`);
    }
  };
  return { dir, build, writeFile, run, runAsync, close: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Text in the output that means the interpreter complained. */
export function complaints(output: string): string[] {
  return output.split(/\r?\n/).filter((l) => !l.includes(LINE_PREFIX) && /Uncaught|WARNING|ERROR|OUT OF MEMORY|New interpreter error/.test(l));
}
