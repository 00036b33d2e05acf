// A real pseudo-terminal (/dev/pts/N) whose other end is this process, made by Debian's socat:
// socat copies between the pty master and its stdin/stdout, which are pipes to us. Programs that
// open the pty (serialport, libnfc) see an ordinary serial device.

import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';

export interface PseudoTerminal {
  /** The device path, e.g. /dev/pts/3. */
  readonly path: string;
  write(data: Uint8Array): void;
  onData(listener: (data: Uint8Array) => void): void;
  close(): Promise<void>;
}

/** True when socat is installed (the tests that need a pty skip with a reason otherwise). */
export function hasSocat(): boolean {
  const paths = (process.env.PATH ?? '').split(':');
  return paths.some((p) => {
    try {
      return statSync(p + '/socat').isFile();
    } catch {
      return false;
    }
  });
}

export function openPseudoTerminal(options: { link?: string } = {}): Promise<PseudoTerminal> {
  const address = 'PTY,raw,echo=0' + (options.link ? ',link=' + options.link : '');
  const child: ChildProcess = spawn('socat', ['-d', '-d', address, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const listeners: Array<(data: Uint8Array) => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length).slice();
    for (const l of listeners) l(bytes);
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const onStderr = (chunk: Buffer) => {
      stderr += chunk.toString();
      // Resolve only once socat has configured the pty (raw, no echo) and entered its transfer
      // loop: a client that opens the device earlier may still see line discipline (\n -> \r\n).
      const m = /PTY is (\S+)/.exec(stderr);
      if (!m || !/starting data transfer loop/.test(stderr)) return;
      child.stderr!.off('data', onStderr);
      child.stderr!.resume();
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      resolve({
        path: m[1],
        write: (data) => {
          child.stdin!.write(data);
        },
        onData: (l) => {
          listeners.push(l);
        },
        close: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stderr!.on('data', onStderr);
    child.once('error', (e) => reject(new Error('cannot start socat for a pseudo-terminal: ' + e.message)));
    child.once('exit', (code) => reject(new Error('socat exited (' + code + ') before making a pty: ' + stderr.trim())));
  });
}
