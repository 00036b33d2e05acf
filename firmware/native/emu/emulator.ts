// Node side of the blob tests: runs batches of operations on the committed blob under the
// emulated Cortex-M4 (run_ops.py, Debian's python3-unicorn) in one python process per batch.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireTool } from '../../../test/support/requires-tool';

export const PYTHON = '/usr/bin/python3';
export const BLOB_PATH = fileURLToPath(new URL('../blob/native.bin', import.meta.url));
/** The PACE / Chip Authentication blob (pace/ABI.md). */
export const PACE_BLOB_PATH = fileURLToPath(new URL('../blob/pace.bin', import.meta.url));
const RUN_OPS = fileURLToPath(new URL('./run_ops.py', import.meta.url));

/** Two flash addresses, both 4-byte aligned, 0x2A004 apart: the same bytes must run at either. */
export const LOAD_ADDRESSES = [0x08010000, 0x0803a004];

/** Why the emulator cannot run here, or null when it can. */
export function emulatorMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ['-c', 'import unicorn'], { encoding: 'utf8' });
  return probe.status === 0 ? null : 'python3-unicorn is not installed (apt-get install python3-unicorn)';
}

/** The project's rule for tools (test/support/requires-tool.ts): in CI a missing emulator fails
 * the file; elsewhere the suite is skipped with one counted line. */
export function toolGate(missing: string | null, what = 'the native blob on the emulated Cortex-M4'): boolean {
  return requireTool({ name: 'Cortex-M4 emulator (python3-unicorn)', install: 'apt-get install python3-unicorn', problem: () => missing }, what);
}

export type Op = Record<string, unknown> & { op: string };

/** Runs `ops` in order on a fresh emulator with the blob (native.bin unless `blob` names
 * another, e.g. PACE_BLOB_PATH) at `loadAddress`; one result per op. */
export function runOps(ops: Op[], loadAddress: number, blob: string = BLOB_PATH, guard = false): Record<string, unknown>[] {
  const r = spawnSync(PYTHON, [RUN_OPS], {
    input: JSON.stringify({ blob, loadAddress, ops, guard }),
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`run_ops.py failed (${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: Record<string, unknown>[] }).results;
}

/** runOps for big batches: the same, without blocking the test worker while python runs. A
 * worker blocked past vitest's 60 s RPC timeout (a loaded 2-core machine took 30 s for 1,200
 * sm_unwrap cases) fails the whole run with "Timeout calling onTaskUpdate". */
export function runOpsAsync(ops: Op[], loadAddress: number, blob: string = BLOB_PATH, guard = false): Promise<Record<string, unknown>[]> {
  return runPython(RUN_OPS, JSON.stringify({ blob, loadAddress, ops, guard })).then(
    (out) => (JSON.parse(out) as { results: Record<string, unknown>[] }).results,
  );
}

/** Runs a python script of this directory with `input` on stdin; resolves to its stdout. */
export function runPython(script: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${script} failed (${status}): ${Buffer.concat(err).toString('utf8')}`));
    });
    child.stdin.end(input);
  });
}
