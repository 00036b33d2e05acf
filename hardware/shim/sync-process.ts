// A child process the shim talks to synchronously, one text line out and one line back, because
// Espruino's E.nativeCall is synchronous and the firmware runs inside a synchronous vm call.
// Node's child pipes are non-blocking; two FIFOs in a private (0700) temporary directory, opened
// with blocking fs calls, give readSync/writeSync that wait for the child instead. The directory
// is removed as soon as both ends are open: nothing stays on disk.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class SyncLineProcess {
  private readonly child: ChildProcess;
  private readonly out: number;
  private readonly err: number;
  private readonly in: number;
  private readonly buf = Buffer.alloc(1 << 16);
  private pending = '';
  private closed = false;

  constructor(command: string, args: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'shim-native-'));
    try {
      const req = join(dir, 'requests');
      const res = join(dir, 'responses');
      const mk = spawnSync('mkfifo', ['-m', '600', req, res]);
      if (mk.status !== 0) throw new Error(`mkfifo failed: ${mk.stderr}`);
      // The child's stderr: a file we keep open (and show if the child dies), unlinked below.
      this.err = openSync(join(dir, 'stderr'), 'w+', 0o600);
      // The shell opens requests (read) then responses (write), in the order we open them below,
      // so neither side waits forever.
      this.child = spawn('/bin/sh', ['-c', 'exec "$@" <"$REQ" >"$RES"', 'sh', command, ...args], {
        stdio: ['ignore', 'ignore', this.err],
        env: { ...process.env, REQ: req, RES: res },
      });
      this.child.unref();
      this.out = openSync(req, 'w');
      this.in = openSync(res, 'r');
    } finally {
      rmSync(dir, { recursive: true, force: true });
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
    const buf = Buffer.alloc(4096);
    const n = readSync(this.err, buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, n).trim().split('\n').slice(-5).join(' | ') || '(no stderr)';
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.out); // EOF on the child's stdin: it exits
    closeSync(this.in);
    closeSync(this.err);
    this.child.kill();
  }
}
