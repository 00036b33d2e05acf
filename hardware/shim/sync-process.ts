// A child process the shim talks to synchronously, one text line out and one line back, because
// Espruino's E.nativeCall is synchronous and the firmware runs inside a synchronous vm call.
// Node's child pipes are non-blocking; two FIFOs in a private (0700) temporary directory, opened
// with blocking fs calls, give readSync/writeSync that wait for the child instead.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Processes still open: closed (FIFO directory removed) when Node exits without close(). */
const open = new Set<SyncLineProcess>();
let exitHook = false;

export class SyncLineProcess {
  private readonly child: ChildProcess;
  private readonly dir: string;
  private readonly out: number;
  private readonly in: number;
  private readonly buf = Buffer.alloc(1 << 16);
  private pending = '';
  private closed = false;

  constructor(command: string, args: string[]) {
    this.dir = mkdtempSync(join(tmpdir(), 'shim-native-'));
    const req = join(this.dir, 'requests');
    const res = join(this.dir, 'responses');
    const mk = spawnSync('mkfifo', ['-m', '600', req, res]);
    if (mk.status !== 0) throw new Error(`mkfifo failed: ${mk.stderr}`);
    // The shell opens requests (read) then responses (write), in the order we open them below,
    // so neither side waits forever; its stderr goes to a file we show if the child dies.
    this.child = spawn('/bin/sh', ['-c', 'exec "$@" <"$REQ" >"$RES" 2>"$ERR"', 'sh', command, ...args], {
      stdio: 'ignore',
      env: { ...process.env, REQ: req, RES: res, ERR: join(this.dir, 'stderr') },
    });
    this.child.unref();
    this.out = openSync(req, 'w');
    this.in = openSync(res, 'r');
    open.add(this);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const p of open) p.close();
      });
    }
  }

  /** Sends one line, waits for and returns the next line. */
  request(line: string): string {
    if (this.closed) throw new Error('native emulator closed');
    writeSync(this.out, line + '\n');
    for (;;) {
      const nl = this.pending.indexOf('\n');
      if (nl >= 0) {
        const reply = this.pending.slice(0, nl);
        this.pending = this.pending.slice(nl + 1);
        return reply;
      }
      const n = readSync(this.in, this.buf, 0, this.buf.length, null);
      if (n === 0) throw new Error(`native emulator exited: ${this.stderr()}`);
      this.pending += this.buf.toString('latin1', 0, n);
    }
  }

  private stderr(): string {
    try {
      return readFileSync(join(this.dir, 'stderr'), 'utf8').trim().split('\n').slice(-5).join(' | ');
    } catch {
      return '(no stderr)';
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    open.delete(this);
    closeSync(this.out); // EOF on the child's stdin: it exits
    closeSync(this.in);
    this.child.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
